"""The cover công văn of an organisation's nominations (issue 10): "Gửi hồ sơ" drafts it, and
issuing it (ban hành) is what submits the package.

The letter is an ordinary ``cong-van`` draft of the organisation (drafting desk: trình ký →
duyệt → ban hành) linked to the package by a ``CampaignDocument`` whose snapshot holds the
nominees it lists (id, version, content digest) and the paragraphs generated for them. When
the letter is issued, ``_cover_issued`` runs inside the issuing transaction: a nominee list
changed since drafting, a package no longer editable, or a late package of a campaign that
refuses late ones raises, so the issuance rolls back and no number is spent. Services never
commit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import Conflict, RuleError
from docgen.models import Campaign, Document, Draft, Nomination, NominationPackage, OrganisationRow
from docgen.models.campaigns import CampaignDocument, CampaignDocumentPurpose
from docgen.policy import Actor
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.campaigns import count_phrase
from docgen.rules.drafts import DraftState
from docgen.rules.nominations import COLLECTIVE, FIELDS
from docgen.rules.recipient_lines import Block
from docgen.services import drafts, nominations, recipient_lists
from docgen.services.campaign_documents import links_of_campaign, on_issue, record_draft
from docgen.services.campaign_plans import plan_citation
from docgen.services.campaigns import get_campaign
from docgen.services.chain import plain
from docgen.services.clock import VIETNAM

TEMPLATE = "cong-van"
CHANGED_MESSAGE = (
    "Danh sách người được giới thiệu đã thay đổi sau khi soạn công văn gửi hồ sơ: hãy mở hồ "
    "sơ giới thiệu, bấm “Cập nhật danh sách trong công văn”, trình ký lại rồi ban hành."
)


# --- what the letter says -----------------------------------------------------------------------


def stamp(row: Nomination) -> list[Any]:
    """Return [id, updated_at (UTC ISO), digest of the trích ngang values] of a nominee."""
    values = json.dumps({key: getattr(row, key) for key in FIELDS}, ensure_ascii=False)
    digest = hashlib.sha256(values.encode()).hexdigest()[:16]
    return [row.id, plain(row.updated_at), digest]


def nominees_of(session: Session, package: NominationPackage) -> list[Nomination]:
    query = select(Nomination).where(Nomination.package_id == package.id)
    return list(session.scalars(query.order_by(Nomination.id)))


def nominee_line(index: int, row: Nomination) -> str:
    """Return the paragraph listing one nominee: number, name, position/unit, field, class."""
    if row.kind == COLLECTIVE:
        who = f"{index}. Tập thể {row.name}, {row.position}"
    else:
        title = "Bà" if row.gender == "nu" else "Ông"
        born = f", sinh năm {row.birth_year}" if row.birth_year else ""
        who = f"{index}. {title} {row.name}{born}, {row.position}"
    parts = [who]
    if row.field:
        parts.append(f"lĩnh vực: {row.field}")
    parts.append(f"phân loại: {row.classification}")
    return "; ".join(parts) + "."


def count_line(rows: list[Nomination], plan: str, sender: str) -> str:
    collectives = sum(1 for r in rows if r.kind == COLLECTIVE)
    people = len(rows) - collectives
    return (
        f"Thực hiện {plan}, {sender} giới thiệu {count_phrase(collectives)} tập thể và "
        f"{count_phrase(people)} cá nhân tiêu biểu (tổng cộng {count_phrase(len(rows))}), "
        "cụ thể như sau:"
    )


def plan_reference(session: Session, campaign: Campaign) -> str:
    """Return how the letter cites the campaign's plan: its number and date when issued."""
    return plan_citation(session, campaign, with_subject=False)


def _organisation(session: Session, code: str) -> OrganisationRow:
    return session.get(OrganisationRow, code)


@dataclass(frozen=True)
class CoverText:
    summary: str
    intro: str
    lines: tuple[str, ...]
    closing: tuple[str, ...]

    def body(self) -> list[dict[str, str]]:
        texts = [("para", self.intro), *(("para", t) for t in self.lines)]
        texts += [("para", t) for t in self.closing]
        return [{"kind": kind, "text": text} for kind, text in texts]


def cover_text(session: Session, campaign: Campaign, package: NominationPackage) -> CoverText:
    """Return the letter's summary and paragraphs for the package's nominees as they are now."""
    rows = nominees_of(session, package)
    sender = _organisation(session, package.organisation_id).name
    board = _organisation(session, campaign.organisation_id)
    return CoverText(
        summary=(f"giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm {campaign.year}"),
        intro=count_line(rows, plan_reference(session, campaign), sender),
        lines=tuple(nominee_line(i, r) for i, r in enumerate(rows, start=1)),
        closing=(
            "Kèm theo công văn này là trích ngang thành tích của từng tập thể, cá nhân nêu trên.",
            f"{sender} kính gửi {board.recipient_name or board.name} xem xét, tổng hợp.",
        ),
    )


def _snapshot(session: Session, package: NominationPackage, text: CoverText) -> dict[str, Any]:
    return {
        "nominees": [stamp(r) for r in nominees_of(session, package)],
        "intro": text.intro,
        "lines": list(text.lines),
    }


# --- the package's cover letters -----------------------------------------------------------------


def covers(session: Session, package: NominationPackage) -> list[tuple[CampaignDocument, Draft]]:
    """Return the package's cover letters, oldest first (issued ones stay in the list)."""
    return links_of_campaign(
        session,
        package.campaign_id,
        purpose=CampaignDocumentPurpose.COVER,
        package_id=package.id,
    )


def pending_cover(
    session: Session, package: NominationPackage
) -> tuple[CampaignDocument, Draft] | None:
    """Return the package's cover letter not yet issued, if any."""
    for link, draft in reversed(covers(session, package)):
        if draft.state != DraftState.DA_BAN_HANH:
            return link, draft
    return None


def list_changed(session: Session, link: CampaignDocument) -> bool:
    """Return whether the package's nominees differ from those the letter lists."""
    package = session.get(NominationPackage, link.package_id)
    current = [stamp(r) for r in nominees_of(session, package)]
    return current != (link.snapshot or {}).get("nominees")


def create_cover(
    session: Session,
    campaign_id: int,
    *,
    actor: Actor,
    renderer: DocumentRenderer,
    now: datetime,
) -> Draft:
    """Return the new cover letter draft of ``actor``'s organisation's package.

    The package must be editable and hold nominees; a cover letter already drafted and not
    issued is a ``Conflict`` (the clerk updates that one instead).
    """
    campaign = get_campaign(session, campaign_id)
    org = nominations.acting_organisation(actor, None, campaign)
    package = nominations.package_for_edit(session, campaign, org, actor, now)
    if not nominees_of(session, package):
        raise RuleError("Chưa có người được giới thiệu nào: hãy nhập danh sách trước khi gửi.")
    if pending_cover(session, package) is not None:
        raise Conflict(
            "Hồ sơ đã có công văn gửi đang soạn; hãy mở công văn đó.", code="cover_pending"
        )
    text = cover_text(session, campaign, package)
    units = _organisation(session, org).units or []
    draft = drafts.create_draft(
        session,
        actor=actor,
        template=TEMPLATE,
        data={"summary": text.summary, "body": text.body()},
        unit=str(units[0]["code"]) if len(units) == 1 else None,  # else the clerk chooses
        renderer=renderer,
        now=now,
    )
    board = _organisation(session, campaign.organisation_id)
    block = Block(kinh_gui=(board.recipient_name or board.name,))
    code = recipient_lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    draft = drafts.update_draft(
        session, draft.id, actor=actor, version=draft.version, now=now, recipients=code
    )
    record_draft(
        session,
        draft,
        campaign_id=campaign.id,
        purpose=CampaignDocumentPurpose.COVER,
        actor=actor,
        now=now,
        package_id=package.id,
        snapshot=_snapshot(session, package, text),
    )
    return draft


def refresh_cover(
    session: Session, campaign_id: int, *, actor: Actor, now: datetime
) -> tuple[Draft, bool]:
    """Return (the draft, whether other paragraphs were kept) after replacing the nominee
    paragraphs and the count paragraph of the pending cover letter with the current list.

    The paragraphs docgen wrote earlier are found by their text: those the clerk did not
    touch are replaced, the rest of the body is kept. If none is found any more, the whole
    body is written again (the second value is then False).
    """
    campaign = get_campaign(session, campaign_id)
    org = nominations.acting_organisation(actor, None, campaign)
    nominations.require_edit(session, campaign, org, actor)
    package = nominations.find_package(session, campaign, org)
    found = pending_cover(session, package) if package is not None else None
    if found is None:
        raise Conflict("Hồ sơ không có công văn gửi nào đang soạn.", code="no_cover")
    link, draft = found
    text = cover_text(session, campaign, package)
    old = link.snapshot or {}
    old_lines, old_intro = set(old.get("lines", [])), old.get("intro")
    body = list((draft.data or {}).get("body") or [])
    kept: list[dict[str, str]] = []
    at = None
    for block in body:
        said = block.get("text") if isinstance(block, dict) else None
        if said in old_lines:
            at = len(kept) if at is None else at
            continue
        if said == old_intro:
            kept.append({"kind": "para", "text": text.intro})
            continue
        kept.append(block)
    merged = at is not None
    if merged:
        new_blocks = [{"kind": "para", "text": t} for t in text.lines]
        kept[at:at] = new_blocks
    else:
        kept = text.body()
    data = {**(draft.data or {}), "body": kept}
    draft = drafts.update_draft(
        session, draft.id, actor=actor, version=draft.version, now=now, data=data
    )
    link.snapshot = _snapshot(session, package, text)
    session.flush()
    return draft, merged


@on_issue(CampaignDocumentPurpose.COVER)
def _cover_issued(
    session: Session,
    link: CampaignDocument,
    draft: Draft,
    document: Document,
    actor: Actor,
    now: datetime,
) -> None:
    """Submit the package at the moment its cover letter is issued (or refuse the issuance).

    The package's row lock comes first: a nominee edit committing between the check and the
    submission would otherwise send a list the letter does not show."""
    if link.package_id is not None:
        nominations.lock_package(session, link.package_id)
    if list_changed(session, link):
        raise RuleError(CHANGED_MESSAGE, code="cover_list_changed")
    nominations.submit_package(
        session,
        link.campaign_id,
        actor=actor,
        now=now.astimezone(VIETNAM),
        organisation=link.organisation_id,
    )
