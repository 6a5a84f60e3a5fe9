"""The board's review of nominations (issue 10): accept or return a package, select nominees.

Only the board of the campaign's organiser reviews (``Action.REVIEW_NOMINATIONS``); for anyone
else the campaign and its packages are not there (404). A package is accepted or returned as a
whole once its organisation submitted it; a return needs a reason, which the organisation sees
when it edits and resubmits. Nominees of accepted packages are selected for the centre one by
one; the selection may stray outside the campaign's range while the board works (the page
flags it), the dossier refuses it (rules/campaigns.check_selection). Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, FieldError, NotFound, RuleError
from docgen.models import (
    Campaign,
    Document,
    Draft,
    Nomination,
    NominationAttachment,
    NominationPackage,
    OrganisationRow,
)
from docgen.models.campaigns import CampaignDocumentPurpose, NominationState, PackageState
from docgen.policy import Action, Actor, can
from docgen.rules.campaigns import check_selection, count_phrase
from docgen.rules.nomination_status import GROUPS, group_of
from docgen.rules.text import fold
from docgen.services import campaign_documents
from docgen.services.archive import audit, check_actor
from docgen.services.campaigns import get_campaign, is_participant
from docgen.services.nominations import SENT_STATES, find_package, lock_package

MAX_REASON = 2000
RETURNABLE = frozenset({PackageState.SUBMITTED, PackageState.ACCEPTED})
SENT = SENT_STATES  # packages the board reads (a draft or recalled list is the organisation's)


# --- loaders ------------------------------------------------------------------------------------


def review_campaign(session: Session, campaign_id: int, actor: Actor) -> Campaign:
    """Return the campaign ``actor`` reviews; ``NotFound`` unless it is its organiser's board."""
    campaign = get_campaign(session, campaign_id)
    if not can(actor, Action.REVIEW_NOMINATIONS, campaign.organisation_id):
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id}.", id=campaign_id)
    return campaign


def review_organisation(session: Session, campaign: Campaign, organisation: str) -> OrganisationRow:
    """Return an organisation the campaign addresses; ``NotFound`` for any other."""
    row = session.get(OrganisationRow, organisation)
    if row is None or not is_participant(session, campaign, organisation):
        raise NotFound(f"Đợt thi đua không giao cơ quan “{organisation}” giới thiệu điển hình.")
    return row


def _package(session: Session, campaign: Campaign, organisation: str) -> NominationPackage:
    review_organisation(session, campaign, organisation)
    package = find_package(session, campaign, organisation, lock=True)
    if package is None:
        raise Conflict("Cơ quan này chưa lập hồ sơ giới thiệu.", code="no_package")
    return package


def _nominee(session: Session, nomination_id: int, actor: Actor) -> tuple[Campaign, Nomination]:
    row = session.get(Nomination, nomination_id)
    if row is None:
        raise NotFound(f"Không có người được giới thiệu mã số {nomination_id}.", id=nomination_id)
    try:
        campaign = review_campaign(session, row.campaign_id, actor)
    except NotFound:
        raise NotFound(
            f"Không có người được giới thiệu mã số {nomination_id}.", id=nomination_id
        ) from None
    return campaign, row


def _set_states(session: Session, package: NominationPackage, state: NominationState) -> None:
    session.execute(
        update(Nomination)
        .where(Nomination.package_id == package.id)
        .values(state=state)
        .execution_options(synchronize_session="fetch")
    )


def _label(state: str) -> str:
    return PackageState(state).label


# --- accepting and returning --------------------------------------------------------------------


def accept_package(
    session: Session, campaign_id: int, organisation: str, *, actor: Actor, now: datetime
) -> NominationPackage:
    """Return the package after the board accepts it (only a submitted one)."""
    name = check_actor(actor)
    begin_write(session)
    campaign = review_campaign(session, campaign_id, actor)
    package = _package(session, campaign, organisation)
    if package.state != PackageState.SUBMITTED:
        raise Conflict(
            f"Chỉ tiếp nhận được hồ sơ đã gửi (hồ sơ hiện: {_label(package.state)}).",
            code="package_not_submitted",
        )
    package.state, package.updated_at = PackageState.ACCEPTED, now
    _set_states(session, package, NominationState.ACCEPTED)
    audit(session, at=now, actor=name, action="package_accept", target=package,
          organisation=organisation)  # fmt: skip
    session.flush()
    return package


def return_package(
    session: Session,
    campaign_id: int,
    organisation: str,
    reason: str,
    *,
    actor: Actor,
    now: datetime,
) -> NominationPackage:
    """Return the package after the board sends it back with ``reason`` (required).

    A submitted or accepted package may be returned; an accepted one only while none of its
    nominees is selected (unselect them first: the selection must not change unseen).
    """
    name = check_actor(actor)
    text = " ".join((reason or "").split())
    if not text:
        raise FieldError({"reason": "Cần ghi lý do trả lại hồ sơ."})
    if len(text) > MAX_REASON:
        raise FieldError({"reason": f"Lý do trả lại dài quá {MAX_REASON} ký tự."})
    begin_write(session)
    campaign = review_campaign(session, campaign_id, actor)
    package = _package(session, campaign, organisation)
    if package.state not in RETURNABLE:
        raise Conflict(
            f"Chỉ trả lại được hồ sơ đã gửi hoặc đã tiếp nhận (hồ sơ hiện: "
            f"{_label(package.state)}).",
            code="package_not_returnable",
        )
    selected = session.scalar(
        select(func.count()).where(
            Nomination.package_id == package.id, Nomination.state == NominationState.SELECTED
        )
    )
    if selected:
        raise Conflict(
            f"Hồ sơ có {count_phrase(selected)} tập thể, cá nhân đã được chọn: hãy bỏ chọn "
            "trước khi trả lại hồ sơ.",
            code="package_has_selected",
        )
    package.state, package.return_reason, package.updated_at = PackageState.RETURNED, text, now
    _set_states(session, package, NominationState.RETURNED)
    audit(session, at=now, actor=name, action="package_return", target=package,
          organisation=organisation, reason=text)  # fmt: skip
    session.flush()
    return package


# --- selecting ----------------------------------------------------------------------------------


def select_nomination(
    session: Session, nomination_id: int, *, actor: Actor, now: datetime
) -> Nomination:
    """Return the nominee after selecting it for the centre (only of an accepted package)."""
    return _move(session, nomination_id, NominationState.ACCEPTED, NominationState.SELECTED,
                 actor=actor, now=now)  # fmt: skip


def unselect_nomination(
    session: Session, nomination_id: int, *, actor: Actor, now: datetime
) -> Nomination:
    """Return the nominee after taking it out of the selection."""
    return _move(session, nomination_id, NominationState.SELECTED, NominationState.ACCEPTED,
                 actor=actor, now=now)  # fmt: skip


def _move(
    session: Session,
    nomination_id: int,
    before: NominationState,
    after: NominationState,
    *,
    actor: Actor,
    now: datetime,
) -> Nomination:
    name = check_actor(actor)
    begin_write(session)
    _campaign, row = _nominee(session, nomination_id, actor)
    lock_package(session, row.package_id)  # a return of the package waits, or is waited for
    session.refresh(row)
    if row.state != before:
        if after is NominationState.SELECTED:
            message = "Chỉ chọn được tập thể, cá nhân thuộc hồ sơ đã được tiếp nhận."
            if row.state == NominationState.SELECTED:
                message = "Tập thể, cá nhân này đã được chọn."
        else:
            message = "Tập thể, cá nhân này chưa được chọn."
        raise Conflict(message, code="nomination_state")
    row.state, row.updated_at = after, now
    action = "nomination_select" if after is NominationState.SELECTED else "nomination_unselect"
    audit(session, at=now, actor=name, action=action, target=row, name=row.name)
    session.flush()
    return row


@dataclass(frozen=True)
class SelectionSummary:
    """How many nominees are selected, by kind, against the campaign's range."""

    collectives: int
    individuals: int
    minimum: int
    maximum: int

    @property
    def selected(self) -> int:
        return self.collectives + self.individuals

    @property
    def problem(self) -> str | None:
        """Return why the selection cannot go to the dossier (None: within the range)."""
        try:
            check_selection(self.selected, self.minimum, self.maximum)
        except RuleError as exc:
            return exc.message
        return None

    @property
    def label(self) -> str:
        """Return the counter as the pages print it: "Đã chọn 03 (yêu cầu từ 05 đến 10)"."""
        return (
            f"Đã chọn {count_phrase(self.selected)} (yêu cầu từ {count_phrase(self.minimum)} "
            f"đến {count_phrase(self.maximum)})"
        )


def selection_summary(session: Session, campaign: Campaign) -> SelectionSummary:
    """Return the campaign's selection counter."""
    query = (
        select(Nomination.kind, func.count())
        .where(Nomination.campaign_id == campaign.id, Nomination.state == NominationState.SELECTED)
        .group_by(Nomination.kind)
    )
    counts = {kind: n for kind, n in session.execute(query).all()}
    return SelectionSummary(
        collectives=counts.get("collective", 0),
        individuals=counts.get("individual", 0),
        minimum=campaign.selection_min,
        maximum=campaign.selection_max,
    )


def selected_nominations(session: Session, campaign: Campaign) -> list[Nomination]:
    """Return the selected nominees in dossier order: the organisation's kind group (as the
    dashboard groups them), the organisation's name, then the nominee's id."""
    query = (
        select(Nomination, OrganisationRow.name, OrganisationRow.kind)
        .join(OrganisationRow, OrganisationRow.code == Nomination.organisation_id)
        .where(Nomination.campaign_id == campaign.id, Nomination.state == NominationState.SELECTED)
    )
    order = {label: i for i, label in enumerate(GROUPS.values())}
    rows = [tuple(r) for r in session.execute(query).all()]
    rows.sort(key=lambda r: (order.get(group_of(r[2]), len(order)), fold(r[1]), r[1], r[0].id))
    return [nominee for nominee, _name, _kind in rows]


def organisation_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Return code → name of the organisations ``codes``."""
    query = select(OrganisationRow.code, OrganisationRow.name).where(
        OrganisationRow.code.in_(codes)
    )
    return {code: name for code, name in session.execute(query)}


# --- what the package page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class CoverLetter:
    """An organisation's cover letter prepared for its package, and its number once issued."""

    draft: Draft
    document: Document | None

    @property
    def number(self) -> str | None:
        doc = self.document
        return f"{doc.code_number}/{doc.code_notation}" if doc is not None else None


@dataclass(frozen=True)
class PackageReview:
    campaign: Campaign
    organisation: OrganisationRow
    package: NominationPackage | None
    nominees: list[Nomination]
    attachments: dict[int, list[NominationAttachment]]
    covers: list[CoverLetter]


def package_review(
    session: Session, campaign_id: int, organisation: str, actor: Actor
) -> PackageReview:
    """Return what the board reads of one organisation's package (``NotFound`` if not its)."""
    campaign = review_campaign(session, campaign_id, actor)
    org = review_organisation(session, campaign, organisation)
    package = find_package(session, campaign, organisation)
    nominees: list[Nomination] = []
    attachments: dict[int, list[NominationAttachment]] = {}
    if package is not None and package.state in SENT:  # an unsent list is the organisation's
        query = select(Nomination).where(Nomination.package_id == package.id)
        nominees = list(session.scalars(query.order_by(Nomination.id)))
        attachments = nominee_attachments(session, [n.id for n in nominees])
    covers = [
        CoverLetter(draft, session.get(Document, draft.document_id) if draft.document_id else None)
        for _link, draft in campaign_documents.links_of_campaign(
            session, campaign.id, purpose=CampaignDocumentPurpose.COVER, organisation=organisation
        )
        if draft.document_id is not None  # the board sees issued letters, not drafts
    ]
    return PackageReview(campaign, org, package, nominees, attachments, covers)


def nominee_attachments(session: Session, ids: list[int]) -> dict[int, list[NominationAttachment]]:
    """Return nominee id → its attachments, oldest first."""
    found: dict[int, list[NominationAttachment]] = {}
    query = select(NominationAttachment).where(NominationAttachment.nomination_id.in_(ids))
    for row in session.scalars(query.order_by(NominationAttachment.id)):
        found.setdefault(row.nomination_id, []).append(row)
    return found


def review_attachment(
    session: Session, campaign_id: int, attachment_id: int, actor: Actor
) -> NominationAttachment:
    """Return an attachment of the campaign's nominees the board may download."""
    campaign = review_campaign(session, campaign_id, actor)
    row = session.get(NominationAttachment, attachment_id)
    nominee = session.get(Nomination, row.nomination_id) if row is not None else None
    package = session.get(NominationPackage, nominee.package_id) if nominee is not None else None
    if nominee is None or nominee.campaign_id != campaign.id or package.state not in SENT:
        raise NotFound(f"Không có tệp đính kèm mã số {attachment_id}.")
    return row
