"""The board's reminder (công văn đôn đốc, issue 10) to the organisations that still owe nominees.

One call drafts a ``cong-van`` of the organiser's organisation, through the drafting desk's own
service (services/drafts.py), addressed — in a recipient list composed for the draft, like the
desk composes one — to exactly the organisations the status table finds short or missing, with
what each owes in the body. The draft is linked to the campaign (``REMINDER``) with a snapshot
of what was owed: issuing it is refused (no number spent) once that has changed, so a reminder
never duns an organisation that has sent since. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from docgen.errors import Forbidden, RuleError
from docgen.models import Campaign, Document, Draft, OrganisationRow
from docgen.models.campaigns import (
    CampaignDocument,
    CampaignDocumentPurpose,
    DeadlinePurpose,
    PackageState,
)
from docgen.policy import Action, Actor, can
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.campaigns import DeadlineReading, Timing, count_phrase, deadline_moment
from docgen.rules.nomination_status import StatusRow
from docgen.rules.recipient_lines import Lines, check_lines
from docgen.services import campaign_documents, drafts
from docgen.services import recipient_lists as lists
from docgen.services.campaign_plans import plan_citation
from docgen.services.campaigns import campaign_status, deadlines
from docgen.services.clock import VIETNAM
from docgen.services.reviews import review_campaign

TEMPLATE = "cong-van"
ARCHIVE_UNIT = "TĐKT"  # "Lưu: VT, TĐKT."


@dataclass(frozen=True)
class Owed:
    """What one organisation still owes the campaign."""

    organisation: str
    name: str
    submitted: int
    minimum: int | None
    short_by: int
    missing: bool  # nothing counted yet (nothing sent, recalled, or returned)
    returned: bool

    @property
    def line(self) -> str:
        """Return the body's line: "UBND huyện …: đã gửi 03/05, còn thiếu 02"."""
        need = f" (cần ít nhất {count_phrase(self.minimum)})" if self.minimum else ""
        if self.returned:
            return f"{self.name}: hồ sơ bị trả lại, chưa gửi lại{need}"
        if self.missing:
            return f"{self.name}: chưa gửi{need}"
        return (
            f"{self.name}: đã gửi {count_phrase(self.submitted)}/{count_phrase(self.minimum or 0)}"
            f", còn thiếu {count_phrase(self.short_by)}"
        )


def _owed(row: StatusRow) -> Owed:
    return Owed(
        organisation=row.organisation,
        name=row.name,
        submitted=row.submitted,
        minimum=row.quota.minimum,
        short_by=row.quota.short_by,
        missing=row.timing is Timing.MISSING,
        returned=row.package_state == PackageState.RETURNED,
    )


def owed(session: Session, campaign: Campaign) -> list[Owed]:
    """Return the organisations short of their quota or with nothing sent, in table order."""
    return [_owed(row) for row in campaign_status(session, campaign).short]


def _day(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _deadline_phrase(session: Session, campaign: Campaign) -> tuple[str | None, datetime | None]:
    for d in deadlines(session, campaign):
        if d.purpose == DeadlinePurpose.NOMINATIONS:
            reading = DeadlineReading(campaign.deadline_reading)
            words = "trước" if reading is DeadlineReading.BEFORE else "đến hết"
            return f"{words} {_day(d.day)}", deadline_moment(d.day, reading)
    return None, None


def reminder_data(session: Session, campaign: Campaign, rows: list[Owed], *, now: datetime) -> dict:
    """Return the cong-van fields of the reminder: its V/v and body blocks."""
    deadline, moment = _deadline_phrase(session, campaign)
    plan = plan_citation(session, campaign)
    today = _day(now.astimezone(VIETNAM).date())
    asked = f" **{deadline}**" if deadline else ""
    board = session.get(OrganisationRow, campaign.organisation_id).name  # the organiser
    body = [
        {"kind": "para", "text": (
            f"Thực hiện {plan}, các cơ quan, địa phương, đơn vị được đề nghị giới thiệu tập thể, "
            f"cá nhân tiêu biểu, gửi danh sách kèm trích ngang thành tích về {board}{asked}."
        )},
        {"kind": "para", "text": (
            f"Đến {today}, các cơ quan, địa phương, đơn vị sau đây chưa gửi hoặc "
            "chưa gửi đủ số lượng tập thể, cá nhân được giới thiệu:"
        )},
    ]  # fmt: skip
    for i, row in enumerate(rows):
        body.append({"kind": "dash", "text": f"- {row.line}{'.' if i == len(rows) - 1 else ';'}"})
    late = moment is not None and now >= moment
    closing = (
        "Đã quá hạn gửi danh sách; đề nghị Thủ trưởng các cơ quan, địa phương, đơn vị nêu trên "
        f"khẩn trương gửi ngay để {board} kịp tổng hợp, trình Ủy ban nhân dân tỉnh"
        if late
        else "Đề nghị Thủ trưởng các cơ quan, địa phương, đơn vị nêu trên quan tâm chỉ đạo, gửi "
        f"danh sách về {board}{asked}"
    )
    body.append({"kind": "para", "text": closing})
    title = campaign.title
    summary = f"đôn đốc gửi danh sách {title[:1].lower()}{title[1:]}"[:200]
    return {"summary": summary, "body": body}


def _only_choices(session: Session, organisation: str) -> dict[str, str | None]:
    """Return the signer and drafting unit the organisation has exactly one of (else None:
    the clerk picks them on the drafting desk)."""
    org = session.get(OrganisationRow, organisation)
    units = [str(u.get("code")) for u in (org.units if org is not None else [])]
    return {
        "signer": campaign_documents.sole_signer(session, organisation),
        "unit": units[0] if len(units) == 1 else None,
    }


def draft_reminder(
    session: Session,
    campaign_id: int,
    *,
    actor: Actor,
    renderer: DocumentRenderer,
    now: datetime,
) -> Draft:
    """Return the new reminder draft addressed to the organisations that owe nominees.

    ``RuleError`` when nobody owes anything (no draft is made); ``Forbidden`` for a board
    member who is not a drafter of the organiser.
    """
    campaign = review_campaign(session, campaign_id, actor)
    organiser = campaign.organisation_id
    if not can(actor, Action.RENDER_DRAFT, organiser):
        raise Forbidden(
            "Soạn công văn đôn đốc cần vai trò Chuyên viên (hoặc Văn thư) của Ban Thi đua - "
            "Khen thưởng; tài khoản của bạn chỉ có quyền xem và xét duyệt hồ sơ.",
            code="reminder_needs_drafter",
        )
    rows = owed(session, campaign)
    if not rows:
        raise RuleError(
            "Mọi cơ quan, đơn vị đã gửi đủ số lượng theo chỉ tiêu: không cần công văn đôn đốc.",
            code="nobody_owes",
        )
    block, problems = check_lines(
        Lines(kinh_gui=tuple(r.name for r in rows), archive=ARCHIVE_UNIT), organisations=()
    )
    if problems:  # names come from records; a bad one is a records problem, said plainly
        raise RuleError("Không lập được nơi nhận: " + "; ".join(problems.values()))
    data = reminder_data(session, campaign, rows, now=now)
    choices = _only_choices(session, organiser)
    draft = drafts.create_draft(session, actor=actor, template=TEMPLATE, data=data,
                                renderer=renderer, now=now, **choices)  # fmt: skip
    code = lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    draft = drafts.update_draft(session, draft.id, actor=actor, version=draft.version, now=now,
                                recipients=code)  # fmt: skip
    snapshot = {
        r.organisation: dict(
            submitted=r.submitted, minimum=r.minimum, owed=r.short_by, missing=r.missing
        )
        for r in rows
    }
    campaign_documents.record_draft(
        session, draft, campaign_id=campaign.id, purpose=CampaignDocumentPurpose.REMINDER,
        actor=actor, now=now, snapshot=snapshot,
    )  # fmt: skip
    return draft


def changes_since(snapshot: dict[str, Any], rows: list[Owed]) -> list[str]:
    """Return the codes of organisations whose debt differs from the reminder's ``snapshot``
    (sent since, or newly short); empty when the letter still says what is true."""
    now = {
        r.organisation: dict(
            submitted=r.submitted, minimum=r.minimum, owed=r.short_by, missing=r.missing
        )
        for r in rows
    }
    codes = snapshot.keys() | now.keys()
    return sorted(code for code in codes if snapshot.get(code) != now.get(code))


@campaign_documents.on_issue(CampaignDocumentPurpose.REMINDER)
def _reminder_issued(
    session: Session, link: CampaignDocument, draft: Draft, document: Document, actor: Actor,
    now: datetime,
) -> None:  # fmt: skip
    """Refuse to issue a reminder that no longer says who owes what (no number is spent)."""
    campaign = session.get(Campaign, link.campaign_id)
    changed = [
        session.get(OrganisationRow, code).name
        for code in changes_since(link.snapshot, owed(session, campaign))
    ]
    if changed:
        more = f" và {len(changed) - 5} cơ quan khác" if len(changed) > 5 else ""
        shown = ", ".join(changed[:5]) + more
        raise RuleError(
            f"Từ khi soạn công văn đôn đốc, tình hình gửi hồ sơ đã thay đổi ({shown}): hãy "
            "soạn lại công văn đôn đốc từ trang đợt thi đua.",
            code="reminder_outdated",
        )
