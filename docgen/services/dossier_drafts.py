"""The drafts of the central submission (issue 10): the board's tờ trình from its selection,
and the People's Committee's công văn to the central council once the dossier is built.

Both are ordinary drafts (services/drafts.py) linked to the campaign by a ``CampaignDocument``
whose snapshot names the selected nominees. Issuing the tờ trình runs ``_submission_issued``
inside the issuing transaction: a selection changed since drafting (or now out of range)
raises, so no number is spent on a tờ trình that no longer says what was selected.
Services never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import Conflict, NotFound, RuleError
from docgen.models import (
    Campaign,
    Document,
    Draft,
    Nomination,
    OrganisationRow,
)
from docgen.models.archive import DocumentStatus
from docgen.models.campaigns import CampaignDocument, CampaignDocumentPurpose
from docgen.models.dossier import Dossier
from docgen.policy import Action, Actor
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.campaigns import check_selection
from docgen.rules.dossier import (
    Nominee,
    citation,
    council_body,
    submission_body,
    submission_summary,
)
from docgen.rules.drafts import DraftState
from docgen.rules.recipient_lines import Block
from docgen.services import drafts, recipient_lists
from docgen.services.archive import require, statuses
from docgen.services.campaign_documents import (
    links_of_campaign,
    on_issue,
    record_draft,
    sole_signer,
)
from docgen.services.campaign_plans import plan_citation, plan_document
from docgen.services.campaigns import get_campaign
from docgen.services.reviews import selected_nominations

CHANGED = (
    "Danh sách xét chọn đã thay đổi sau khi soạn tờ trình: hãy soạn lại tờ trình từ danh sách "
    "hiện tại (trang Hồ sơ trình Trung ương) rồi trình ký và ban hành."
)


def selection(session: Session, campaign: Campaign) -> list[Nomination]:
    """Return the board's selection in dossier order (helper B's ``selected_nominations``)."""
    return selected_nominations(session, campaign)


def nominees(session: Session, rows: list[Nomination]) -> list[Nominee]:
    names = dict(session.execute(select(OrganisationRow.code, OrganisationRow.name)).all())
    return [Nominee(r.id, r.kind, r.name, names.get(r.organisation_id, "")) for r in rows]


def checked_selection(session: Session, campaign: Campaign) -> list[Nomination]:
    """Return the selection, or ``RuleError`` saying how many are selected when out of range."""
    rows = selection(session, campaign)
    check_selection(len(rows), campaign.selection_min, campaign.selection_max)
    return rows


def addressee(session: Session, campaign: Campaign) -> OrganisationRow:
    """Return who the tờ trình goes to: the issuer of the campaign's plan, else the province's
    People's Committee above the organiser."""
    plan = plan_document(session, campaign)
    if plan is not None and (issuer := session.get(OrganisationRow, plan.issuer)) is not None:
        return issuer
    row = session.get(OrganisationRow, campaign.organisation_id)
    while row is not None and row.kind != "province_committee" and row.parent:
        row = session.get(OrganisationRow, row.parent)
    if row is None or row.kind != "province_committee":
        raise NotFound("Không xác định được Ủy ban nhân dân nhận tờ trình của đợt thi đua này.")
    return row


def plan_basis(session: Session, campaign: Campaign) -> str:
    """Return the basis line citing the plan (its number and date once issued)."""
    return f"Căn cứ {plan_citation(session, campaign)};"


# A withdrawn or superseded tờ trình carries no dossier.
IN_FORCE = frozenset({DocumentStatus.IN_FORCE, DocumentStatus.CORRECTED})


def submissions(session: Session, campaign_id: int) -> list[tuple[CampaignDocument, Draft]]:
    return links_of_campaign(session, campaign_id, purpose=CampaignDocumentPurpose.SUBMISSION)


def issued_submission(session: Session, campaign_id: int) -> Document | None:
    """Return the campaign's latest issued tờ trình still in force (a withdrawn or superseded
    one carries no dossier), if any."""
    for _link, draft in reversed(submissions(session, campaign_id)):
        if draft.state == DraftState.DA_BAN_HANH and draft.document_id is not None:
            document = session.get(Document, draft.document_id)
            if statuses(session, [document.id])[document.id] in IN_FORCE:
                return document
    return None


def create_submission(
    session: Session, campaign_id: int, *, actor: Actor, renderer: DocumentRenderer, now: datetime
) -> Draft:
    """Return the new tờ trình draft of the organiser, from the board's selection."""
    campaign = get_campaign(session, campaign_id)
    require(actor, Action.MANAGE_CAMPAIGN, campaign.organisation_id,
            "Chỉ Ban Thi đua - Khen thưởng tổ chức đợt thi đua được soạn tờ trình.")  # fmt: skip
    pending = _pending(submissions(session, campaign.id))
    if pending is not None:
        raise Conflict(
            f"Đợt thi đua đã có tờ trình đang soạn (dự thảo số {pending.id}): hãy hoàn tất hoặc "
            "xóa dự thảo đó trước khi soạn tờ trình mới.",
            code="submission_pending",
            draft=pending.id,
        )
    rows = checked_selection(session, campaign)
    organiser = session.get(OrganisationRow, campaign.organisation_id)
    to = addressee(session, campaign)
    people = nominees(session, rows)
    body = submission_body(people, organiser.name, to.name)
    data = {
        "summary": submission_summary(campaign.year),
        "basis": [plan_basis(session, campaign)],
        "body": [{"kind": "para", "text": text} for text in body],
    }
    draft = drafts.create_draft(
        session, actor=actor, template="to-trinh", data=data, renderer=renderer, now=now,
        signer=sole_signer(session, campaign.organisation_id),
    )  # fmt: skip
    block = Block(kinh_gui=(to.name,), noi_nhan=({"name": to.name, "organisation": to.code},))
    code = recipient_lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    draft = drafts.update_draft(
        session, draft.id, actor=actor, version=draft.version, now=now, recipients=code
    )
    record_draft(session, draft, campaign_id=campaign.id,
                 purpose=CampaignDocumentPurpose.SUBMISSION, actor=actor, now=now,
                 snapshot={"selected": [r.id for r in rows]})  # fmt: skip
    return draft


@on_issue(CampaignDocumentPurpose.SUBMISSION)
def _submission_issued(
    session: Session, link: CampaignDocument, draft: Draft, document: Document, actor: Actor,
    now: datetime,
) -> None:  # fmt: skip
    """Refuse to issue a tờ trình whose selection changed since it was drafted."""
    campaign = get_campaign(session, link.campaign_id)
    current = [r.id for r in checked_selection(session, campaign)]
    if current != list((link.snapshot or {}).get("selected") or []):
        raise RuleError(CHANGED, code="selection_changed")


def create_council_letter(
    session: Session, dossier_id: int, *, actor: Actor, renderer: DocumentRenderer, now: datetime
) -> Draft:
    """Return the People's Committee's new công văn introducing the dossier's selection to the
    central council, drafted by a drafter of the organisation the tờ trình was addressed to."""
    dossier = session.get(Dossier, dossier_id)
    if (
        dossier is None
        or dossier.addressed_to is None
        or actor.organisation != dossier.addressed_to
    ):
        raise NotFound(f"Không có hồ sơ trình Trung ương số {dossier_id}.", id=dossier_id)
    require(actor, Action.RENDER_DRAFT, dossier.addressed_to,
            "Chỉ chuyên viên hoặc văn thư của cơ quan được soạn công văn.")  # fmt: skip
    campaign = get_campaign(session, dossier.campaign_id)
    letters = links_of_campaign(session, campaign.id, purpose=CampaignDocumentPurpose.COUNCIL,
                                organisation=dossier.addressed_to)  # fmt: skip
    pending = _pending([(lk, d) for lk, d in letters if lk.snapshot.get("dossier") == dossier.id])
    if pending is not None:
        raise Conflict(
            f"Hồ sơ này đã có công văn giới thiệu đang soạn (dự thảo số {pending.id}): hãy mở "
            "dự thảo đó.",
            code="council_pending",
            draft=pending.id,
        )
    province = session.get(OrganisationRow, dossier.addressed_to)
    submission = session.get(Document, dossier.submission_document_id)
    cited = citation(submission.type_name, submission.notation, submission.issued_date,
                     submission.organ_name)  # fmt: skip
    by_id = {
        r.id: r
        for r in session.scalars(select(Nomination).where(Nomination.id.in_(dossier.nominees)))
    }
    people = nominees(session, [by_id[i] for i in dossier.nominees if i in by_id])
    data: dict[str, Any] = {
        "summary": f"giới thiệu điển hình tiên tiến năm {campaign.year}",
        "body": [{"kind": "para", "text": t} for t in council_body(people, province.name, cited)],
    }
    draft = drafts.create_draft(session, actor=actor, template="cong-van", data=data,
                                renderer=renderer, now=now)  # fmt: skip
    block = Block(
        kinh_gui=("Hội đồng Thi đua - Khen thưởng Trung ương",),
        noi_nhan=({"name": "Ban TĐKT Trung ương", "organisation": "btdkt-tw"},
                  {"name": _recipient_name(session, campaign.organisation_id),
                   "organisation": campaign.organisation_id}),
    )  # fmt: skip
    code = recipient_lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    draft = drafts.update_draft(
        session, draft.id, actor=actor, version=draft.version, now=now, recipients=code
    )
    record_draft(session, draft, campaign_id=campaign.id, purpose=CampaignDocumentPurpose.COUNCIL,
                 actor=actor, now=now,
                 snapshot={"dossier": dossier.id, "selected": list(dossier.nominees)})  # fmt: skip
    return draft


def _pending(links: list[tuple[CampaignDocument, Draft]]) -> Draft | None:
    """Return a draft among ``links`` not yet issued (deleted drafts are already left out)."""
    return next((d for _lk, d in links if d.state != DraftState.DA_BAN_HANH), None)


def _recipient_name(session: Session, code: str) -> str:
    row = session.get(OrganisationRow, code)
    return row.recipient_name or row.name
