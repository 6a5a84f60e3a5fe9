"""The board's reminder (đôn đốc): a cong-van draft addressed to exactly the organisations that
are short or missing, with what each owes in its body, read back from the rendered DOCX."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import func, select

from docgen.errors import Forbidden, RuleError
from docgen.models import Draft, RecipientListRow
from docgen.models.campaigns import CampaignDocument, CampaignDocumentPurpose
from docgen.runtime import get_renderer
from docgen.services import reminders, reviews
from docgen.services.clock import FixedClock
from docgen.services.draft_checks import issue_request
from docgen.services.issuance import render_draft
from tests.campaigns.review_fixtures import NOW, clerks, nominate, small_campaign


@pytest.fixture
def owing(app, loaded, session):
    """Return (campaign, people): Sở Nội vụ sent 02 of 02, Rạch Giá 05 of 05 (accepted),
    Kiên Lương 03 of 05, Sở Tư pháp nothing."""
    campaign, who = small_campaign(app), clerks(app)
    nominate(session, campaign.id, who["snv"], 2)
    nominate(session, campaign.id, who["ubnd-rach-gia"], 5)
    reviews.accept_package(session, campaign.id, "ubnd-rach-gia", actor=who["board"], now=NOW)
    session.commit()
    nominate(session, campaign.id, who["ubnd-kien-luong"], 3)
    return campaign, who


def _lines(rendered) -> list[str]:
    document = docx.Document(io.BytesIO(rendered.docx))
    lines = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text.strip() for p in cell.paragraphs]
    return [line for line in lines if line]


def test_the_reminder_addresses_exactly_who_owes(app, session, owing):
    campaign, who = owing
    actor = who["board_drafter"]
    draft = reminders.draft_reminder(session, campaign.id, actor=actor,
                                     renderer=get_renderer(app), now=NOW)  # fmt: skip
    session.commit()
    assert (draft.template, draft.organisation_id, draft.signer) == (
        "cong-van",
        "btdkt",
        "truong-ban-tdkt-mau",
    )
    listed = session.get(RecipientListRow, draft.recipients)
    assert listed.draft_id == draft.id
    assert listed.kinh_gui == ["Sở Tư pháp tỉnh Kiên Giang", "Ủy ban nhân dân huyện Kiên Lương"]
    assert (listed.noi_nhan, listed.archive) == ([], ["TĐKT"])
    (link,) = session.scalars(select(CampaignDocument))
    assert (link.purpose, link.draft_id, link.campaign_id) == (
        CampaignDocumentPurpose.REMINDER,
        draft.id,
        campaign.id,
    )
    assert link.snapshot == {
        "stp": {"submitted": 0, "minimum": 2, "owed": 2, "missing": True},
        "ubnd-kien-luong": {"submitted": 3, "minimum": 5, "owed": 2, "missing": False},
    }

    rendered = render_draft(session, issue_request(draft), actor=actor,
                            clock=FixedClock(NOW), renderer=get_renderer(app))  # fmt: skip
    assert rendered.number_line.endswith("/BTĐKT-TĐ")  # the board's drafting field
    lines = _lines(rendered)
    text = "\n".join(lines)
    assert "V/v đôn đốc gửi danh sách giới thiệu điển hình tiên tiến năm 2018" in text
    assert "Kính gửi:" in lines
    assert "- Sở Tư pháp tỉnh Kiên Giang;" in lines
    assert "- Ủy ban nhân dân huyện Kiên Lương." in lines
    assert "- Sở Tư pháp tỉnh Kiên Giang: chưa gửi (cần ít nhất 02);" in lines
    assert "- Ủy ban nhân dân huyện Kiên Lương: đã gửi 03/05, còn thiếu 02." in lines
    assert "trước ngày 20 tháng 04 năm 2018" in text  # the deadline, cited
    assert "Kế hoạch giới thiệu điển hình tiên tiến năm 2018" in text  # the plan
    assert not any(line.startswith("- Sở Nội vụ") for line in lines)  # they sent enough
    assert "Rạch Giá" not in text
    assert "về Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Kiên Giang" in text  # the organiser
    assert "- Như trên;" in lines and "- Lưu: VT, TĐKT." in lines


def test_a_board_member_who_does_not_draft_is_refused(session, owing, app):
    campaign, who = owing
    with pytest.raises(Forbidden, match="Chuyên viên"):
        reminders.draft_reminder(session, campaign.id, actor=who["board"],
                                 renderer=get_renderer(app), now=NOW)  # fmt: skip
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Draft)) == 0


def test_nobody_owes_nothing_is_drafted(app, session, loaded):
    campaign, who = small_campaign(app), clerks(app)
    for org, n in (("snv", 2), ("stp", 3), ("ubnd-kien-luong", 5), ("ubnd-rach-gia", 6)):
        nominate(session, campaign.id, who[org], n)
    assert reminders.owed(session, campaign) == []
    with pytest.raises(RuleError, match="không cần công văn đôn đốc"):
        reminders.draft_reminder(session, campaign.id, actor=who["board_drafter"],
                                 renderer=get_renderer(app), now=NOW)  # fmt: skip
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Draft)) == 0


def test_a_returned_package_is_owed_again(app, session, owing):
    campaign, who = owing
    reviews.return_package(session, campaign.id, "snv", "Thiếu trích ngang", actor=who["board"],
                           now=NOW)  # fmt: skip
    session.commit()
    lines = {r.organisation: r.line for r in reminders.owed(session, campaign)}
    assert (
        lines["snv"] == "Sở Nội vụ tỉnh Kiên Giang: hồ sơ bị trả lại, chưa gửi lại (cần ít nhất 02)"
    )
    assert set(lines) == {"snv", "stp", "ubnd-kien-luong"}


def test_a_reminder_that_no_longer_says_who_owes_is_not_issued(app, session, owing):
    """Sở Tư pháp sends its two after the reminder was drafted: issuing the reminder (the hook
    run inside the issuing transaction) is refused, naming it; unchanged, it passes."""
    from docgen.services import campaign_documents

    campaign, who = owing
    draft = reminders.draft_reminder(session, campaign.id, actor=who["board_drafter"],
                                     renderer=get_renderer(app), now=NOW)  # fmt: skip
    session.commit()
    campaign_documents.document_issued(session, draft, None, actor=who["board_drafter"], now=NOW)

    nominate(session, campaign.id, who["stp"], 2)
    with pytest.raises(RuleError, match=r"đã thay đổi \(Sở Tư pháp tỉnh Kiên Giang\)"):
        campaign_documents.document_issued(
            session, draft, None, actor=who["board_drafter"], now=NOW
        )
