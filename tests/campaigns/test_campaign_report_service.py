"""The campaign's report drafted from the records: the draft's data carries the figures, the
issued DOCX (read back) prints them and the by-group table, a period without data prints the
sentence and no table of zeros, and refreshing the figures keeps the clerk's prose."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import pytest
from flask import Flask
from sqlalchemy import update

from docgen.checker import check_docx, has_errors
from docgen.cli.samples import add_sample_accounts
from docgen.errors import Conflict, Forbidden, NotFound
from docgen.models import Nomination, NominationPackage
from docgen.models.campaigns import CampaignDocumentPurpose, NominationState, PackageState
from docgen.rules.campaign_report import NO_DATA
from docgen.runtime import get_renderer
from docgen.services import campaign_documents, drafts
from docgen.services import campaign_reports as reports
from docgen.services import nominations as noms
from docgen.services.archive import blob_bytes
from docgen.services.clock import VIETNAM, FixedClock
from docgen.services.draft_checks import issue_request
from docgen.services.issuance import render_draft
from tests.campaigns.conftest import actor_named, collective, individual
from tests.helpers import make_user

APRIL = datetime(2017, 4, 10, 9, 0, tzinfo=VIETNAM)
LATE = datetime(2017, 4, 25, 9, 0, tzinfo=VIETNAM)
JUNE = datetime(2017, 6, 30, 15, 0, tzinfo=VIETNAM)
SUMMARY = "Kết quả giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới 6 tháng đầu năm 2017"


@pytest.fixture
def board(app: Flask, loaded, session):
    """Return the board's clerk (board + drafter), as the sample ``thiduakt`` is."""
    add_sample_accounts(session, now=APRIL)
    session.commit()
    return actor_named(app, "thiduakt")


def _send(session, campaign, actor, nominees, at) -> None:
    for values in nominees:
        noms.add_nomination(session, campaign.id, values, actor=actor, now=at)
    noms.submit_package(session, campaign.id, actor=actor, now=at)
    session.commit()


def _mark(session, organisation: str, package: PackageState, *states: NominationState) -> None:
    """Set review states as the board's review would (package, then nominees in id order)."""
    session.execute(update(NominationPackage).where(NominationPackage.organisation_id ==
                    organisation).values(state=package))  # fmt: skip
    rows = session.query(Nomination).filter_by(organisation_id=organisation).order_by(Nomination.id)
    for row, state in zip(rows, states, strict=True):
        row.state = state
    session.commit()


def _two_senders(session, campaign, nominators) -> None:
    """Sở Nội vụ sends 02 on time (accepted, one selected); Rạch Giá sends 04, late."""
    _send(session, campaign, nominators.snv, [individual(), collective()], APRIL)
    district = [collective(f"Phòng {i}", position="UBND TP Rạch Giá") for i in range(4)]
    _send(session, campaign, nominators.district, district, LATE)
    _mark(session, "snv", PackageState.ACCEPTED, NominationState.ACCEPTED, NominationState.SELECTED)


def _tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _render(session, app, draft, actor) -> bytes:
    clock = FixedClock(JUNE)
    rendered = render_draft(session, issue_request(draft), actor=actor, clock=clock,
                            renderer=get_renderer(app))  # fmt: skip
    return rendered.docx


def test_the_report_draft_carries_the_figures_and_prints_them(
    app, session, campaign, nominators, board
):
    _two_senders(session, campaign, nominators)
    draft = reports.draft_report(session, campaign.id, period="h1", actor=board,
                                 renderer=get_renderer(app), now=JUNE)  # fmt: skip
    session.commit()
    assert (draft.template, draft.organisation_id, draft.state) == ("bao-cao", "btdkt", "soan_thao")
    assert draft.data["summary"] == SUMMARY
    assert draft.signer == "truong-ban-tdkt-mau" and draft.recipients == "bao-cao-6-thang-2017"
    figures = {row["label"]: row["value"] for row in draft.data["figures"]}
    assert figures["Cơ quan, địa phương, đơn vị được đề nghị giới thiệu"] == "50"
    assert figures["- Gửi đúng hạn"] == "01" and figures["- Gửi trễ hạn"] == "01"
    assert figures["Cơ quan, địa phương, đơn vị chưa gửi hồ sơ"] == "48"
    assert figures["- Tập thể"] == "05" and figures["- Cá nhân"] == "01"
    assert figures["Hồ sơ được tiếp nhận"] == "02"
    assert figures["Điển hình được chọn giới thiệu Trung ương"] == "01"
    # Sở Nội vụ met its 02; Rạch Giá sent 04 of its 05
    assert figures["Cơ quan, địa phương, đơn vị đạt chỉ tiêu giới thiệu"] == "01/50 (2%)"
    link = campaign_documents.link_of(session, draft.id)
    assert link.purpose == CampaignDocumentPurpose.REPORT and link.snapshot["period"] == "h1"
    assert link.snapshot["figures"] == draft.data["figures"]

    # Through the desk: trình ký → duyệt → ban hành; then read the issued DOCX back.
    drafts.submit(session, draft.id, actor=board, version=draft.version,
                  renderer=get_renderer(app), now=JUNE)  # fmt: skip
    signer = actor_named(app, "truongban")
    drafts.approve(session, draft.id, actor=signer, version=draft.version, now=JUNE)
    registrar = actor_named(app, "vanthu-btdkt")
    document = drafts.issue_approved(session, draft.id, actor=registrar, clock=FixedClock(JUNE),
                                     renderer=get_renderer(app))  # fmt: skip
    session.commit()
    issued = blob_bytes(session, document.blob_sha256)
    tables = _tables(issued)
    figures_table = next(t for t in tables if t[0][:2] == ["STT", "Nội dung"])
    printed = {row[1]: row[2] for row in figures_table[1:]}
    assert printed["Cơ quan, địa phương, đơn vị chưa gửi hồ sơ"] == "48"
    assert printed["Cơ quan, địa phương, đơn vị đạt chỉ tiêu giới thiệu"] == "01/50 (2%)"
    breakdown = next(t for t in tables if t[0][:2] == ["STT", "Nhóm cơ quan, đơn vị"])
    rows = {row[1]: row[2:] for row in breakdown[1:]}
    assert rows["Sở, ban, ngành cấp tỉnh"] == ["21", "01", "00", "20", "02 (01/01)", "01/21 (4,8%)"]
    assert rows["Huyện, thị xã, thành phố"] == ["15", "00", "01", "14", "04 (04/00)", "00/15 (0%)"]
    assert rows["Tổng cộng"][0] == "50"
    text = _text(issued)
    assert "Tính đến hết ngày 30/6/2017, có 02/50 cơ quan, địa phương, đơn vị" in text
    assert "Số liệu theo nhóm cơ quan, đơn vị:" in text and "I. KẾT QUẢ THỰC HIỆN" in text
    assert "II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM" in text
    assert not has_errors(check_docx(issued)), check_docx(issued)
    with pytest.raises(Conflict):  # an issued report keeps its figures
        reports.refresh_report(session, draft.id, actor=board, version=draft.version, now=JUNE)


def test_a_period_without_data_says_so_and_prints_no_table(
    app, session, campaign, nominators, board
):
    # Sent on 1/7 00:01 in Vietnam: after the first half, inside the year.
    _send(session, campaign, nominators.snv, [individual()],
          datetime(2017, 7, 1, 0, 1, tzinfo=VIETNAM))  # fmt: skip
    h1 = reports.draft_report(session, campaign.id, period="h1", actor=board,
                              renderer=get_renderer(app), now=JUNE)  # fmt: skip
    year = reports.draft_report(session, campaign.id, period="year", actor=board,
                                renderer=get_renderer(app), now=JUNE)  # fmt: skip
    session.commit()
    assert h1.data["figures"] == [] and h1.data["breakdown"] == []
    assert year.data["summary"].endswith("mô hình mới, nhân tố mới năm 2017")
    assert len(year.data["figures"]) > 0
    data = _render(session, app, h1, board)
    text = _text(data)
    assert NO_DATA.format(addressed="50") in text
    labels = [t[0][0] for t in _tables(data)]
    assert "STT" not in labels  # neither the figures table nor the by-group one
    assert "Số liệu theo nhóm" not in text
    assert not has_errors(check_docx(data)), check_docx(data)


def test_refreshing_the_figures_keeps_the_prose(app, session, campaign, nominators, board):
    draft = reports.draft_report(session, campaign.id, period="h1", actor=board,
                                 renderer=get_renderer(app), now=APRIL)  # fmt: skip
    session.commit()
    body = list(draft.data["body"])
    assert body[-1]["text"].startswith("Trong kỳ báo cáo chưa có")
    body[1] = {"kind": "para", "text": "Ban đã tổ chức 03 hội nghị tuyên truyền Kế hoạch."}
    conclusion = [{"kind": "section", "text": "II. PHƯƠNG HƯỚNG"},
                  {"kind": "para", "text": "Tiếp tục nhân rộng điển hình"}]  # fmt: skip
    edited = {**draft.data, "body": body, "conclusion": conclusion, "summary": "Báo cáo riêng"}
    draft = drafts.update_draft(session, draft.id, actor=board, version=draft.version, now=APRIL,
                                data=edited)  # fmt: skip
    session.commit()
    campaign_row = reports.report_campaign(session, campaign.id, board)
    assert [r.stale for r in reports.report_drafts(session, campaign_row)] == [False]

    _two_senders(session, campaign, nominators)
    assert [r.stale for r in reports.report_drafts(session, campaign_row)] == [True]
    result = reports.refresh_report(session, draft.id, actor=board, version=draft.version,
                                    now=JUNE)  # fmt: skip
    session.commit()
    data = result.draft.data
    assert result.sentences_replaced
    assert data["summary"] == "Báo cáo riêng" and data["conclusion"] == conclusion
    texts = [b["text"] for b in data["body"]]
    assert texts[:2] == [
        "I. KẾT QUẢ THỰC HIỆN",
        "Ban đã tổ chức 03 hội nghị tuyên truyền Kế hoạch.",
    ]
    assert not any(t.startswith("Trong kỳ báo cáo chưa có") for t in texts)
    assert texts[2].startswith("Tính đến hết ngày 30/6/2017, có 02/50")
    assert {r["label"]: r["value"] for r in data["figures"]}["- Gửi trễ hạn"] == "01"
    assert data["breakdown"][-1]["group"] == "Tổng cộng"
    assert [r.stale for r in reports.report_drafts(session, campaign_row)] == [False]
    assert "Ban đã tổ chức 03 hội nghị" in _text(_render(session, app, result.draft, board))


def test_rewritten_sentences_are_kept_and_the_new_ones_added():
    body = [{"kind": "section", "text": "I."}, {"kind": "para", "text": "Câu người soạn sửa."}]
    new = [{"kind": "para", "text": "Số liệu mới."}]
    merged, found = reports.merge_sentences(body, ["Câu máy tính cũ."], new)
    assert not found and merged == [*body, *new]


def test_only_the_organisers_drafters_draft_the_report(app, session, campaign, board):
    make_user(app, "xem.ban", organisation="btdkt", roles=("board",))
    make_user(app, "ban.khac", organisation="snv", roles=("board", "drafter"))
    with pytest.raises(Forbidden):
        reports.draft_report(session, campaign.id, period="h1", actor=actor_named(app, "xem.ban"),
                             renderer=get_renderer(app), now=JUNE)  # fmt: skip
    with pytest.raises(NotFound):
        reports.draft_report(session, campaign.id, period="h1", actor=actor_named(app, "ban.khac"),
                             renderer=get_renderer(app), now=JUNE)  # fmt: skip


def test_the_console_prints_the_same_figures(app, runner, session, campaign, nominators, board):
    result = runner.invoke(args=["campaigns", "report", "--campaign", "2017", "--period", "h1"])
    assert result.exit_code == 0, result.output
    assert NO_DATA.format(addressed="50") in result.output and "Theo nhóm" not in result.output
    _two_senders(session, campaign, nominators)
    result = runner.invoke(args=["campaigns", "report", "--campaign", "2017", "--period", "year"])
    assert result.exit_code == 0, result.output
    assert "năm 2017" in result.output and "01/50 (2%)" in result.output
    assert "Huyện, thị xã, thành phố" in result.output and "04 (04/00)" in result.output


def test_a_package_sent_again_after_a_return_counts_from_its_first_sending(
    app, session, campaign, nominators
):
    """Sent on 10/4 (on time), returned on 5/7, sent again on 8/7 (after the deadline): the
    six-month report still counts it as sent on time; the row itself keeps the last sending."""
    from docgen.services import reviews

    _send(session, campaign, nominators.snv, [individual(), collective()], APRIL)
    add_sample_accounts(session, now=APRIL)
    session.commit()
    board_member = actor_named(app, "thiduakt")
    july = datetime(2017, 7, 5, 9, 0, tzinfo=VIETNAM)
    reviews.return_package(session, campaign.id, "snv", "Bổ sung số liệu", actor=board_member,
                           now=july)  # fmt: skip
    session.commit()
    noms.submit_package(session, campaign.id, actor=nominators.snv, now=july.replace(day=8))
    session.commit()
    row = session.query(NominationPackage).filter_by(organisation_id="snv").one()
    assert row.late and row.submitted_at.astimezone(VIETNAM).day == 8

    first_half = reports.campaign_report(session, campaign, "h1")
    assert first_half.has_data
    assert (first_half.total.on_time, first_half.total.late) == (1, 0)
    year = reports.campaign_report(session, campaign, "year")
    assert (year.total.on_time, year.total.late) == (1, 0)
