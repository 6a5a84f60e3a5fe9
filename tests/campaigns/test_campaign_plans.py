"""A campaign cites its plan by number and date once the plan's record is issued."""

from __future__ import annotations

from datetime import datetime

from docgen.db import get_db
from docgen.services.campaign_plans import plan_citation, plan_document
from docgen.services.campaigns import find_campaign


def _citation(app) -> tuple[object, str]:
    with get_db(app).session() as session:
        campaign = find_campaign(session, "dien-hinh-2017")
        return plan_document(session, campaign), plan_citation(session, campaign)


def test_issuing_the_plan_record_links_it_and_letters_cite_its_number(app, runner, loaded, clock):
    document, before = _citation(app)
    assert document is None
    assert before == "Kế hoạch giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm 2017"

    clock.set(datetime(2017, 3, 20, 9))
    result = runner.invoke(args=["issue", "--record", "ke-hoach-2017"])
    assert result.exit_code == 0, result.output
    document, after = _citation(app)
    assert document is not None and document.template == "ke-hoach"
    assert after.startswith(
        f"Kế hoạch số {document.code_number}/KH-UBND ngày 20/3/2017 của Ủy ban nhân dân tỉnh "
        "Kiên Giang về "
    )
    assert document.subject[1:] in after

    # Issuing another record does not move the link; a second plan issue does not either.
    result = runner.invoke(args=["issue", "--record", "ke-hoach-2017"])
    assert result.exit_code == 0, result.output
    again, _ = _citation(app)
    assert again.id == document.id
