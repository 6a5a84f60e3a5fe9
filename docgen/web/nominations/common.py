"""What the nominations pages share: the campaign loader scoped to the actor's organisation,
and the summary of its package (deadline, countdown, quota line, cover letter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.db import get_session
from docgen.errors import NotFound
from docgen.models import (
    Campaign,
    CampaignParticipant,
    Draft,
    Nomination,
    NominationPackage,
    OrganisationRow,
)
from docgen.models.campaigns import CampaignDocument, PackageState
from docgen.policy import Action, Actor, can
from docgen.rules.campaigns import DeadlineReading, count_phrase, countdown
from docgen.services import campaigns as campaign_svc
from docgen.services import nominations as noms
from docgen.services import package_cover
from docgen.services.clock import VIETNAM


def addressed_campaigns(session: Session, actor: Actor) -> list[Campaign]:
    """Return the campaigns addressing ``actor``'s organisation, the latest year first."""
    if actor.organisation is None:
        return []
    query = (
        select(Campaign)
        .join(CampaignParticipant, CampaignParticipant.campaign_id == Campaign.id)
        .where(CampaignParticipant.organisation_id == actor.organisation)
        .order_by(Campaign.year.desc(), Campaign.id.desc())
    )
    return list(session.scalars(query))


def addressed(actor: Actor) -> bool:
    """Return whether some campaign addresses ``actor``'s organisation (the navigation asks)."""
    if actor.organisation is None:
        return False
    query = select(CampaignParticipant.id).where(
        CampaignParticipant.organisation_id == actor.organisation
    )
    return get_session().scalar(query.limit(1)) is not None


def load_campaign(session: Session, campaign_id: int, actor: Actor) -> Campaign:
    """Return the campaign if it addresses ``actor``'s organisation (a 404 otherwise)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or not campaign_svc.is_participant(session, campaign, actor.organisation):
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id} giao cơ quan bạn giới thiệu.")
    return campaign


def quota_line(entered: int, minimum: int | None) -> str:
    """Return "Cần ít nhất 05 — đã nhập 03, còn thiếu 02" (or that the quota is met)."""
    if minimum is None:
        return f"Không giao chỉ tiêu — đã nhập {count_phrase(entered)}"
    head = f"Cần ít nhất {count_phrase(minimum)} — đã nhập {count_phrase(entered)}"
    if entered >= minimum:
        return f"{head}, đạt chỉ tiêu"
    return f"{head}, còn thiếu {count_phrase(minimum - entered)}"


@dataclass
class Summary:
    """One campaign as the organisation sees it."""

    campaign: Campaign
    package: NominationPackage | None
    nominees: list[Nomination]
    minimum: int | None
    deadline: datetime | None  # first late moment, in Vietnam
    last_day: date | None  # the last day a package is on time
    left: str | None
    reading: DeadlineReading
    cover: tuple[CampaignDocument, Draft] | None  # the pending cover letter
    covers: list[tuple[CampaignDocument, Draft]]
    list_changed: bool

    @property
    def state(self) -> PackageState:
        return PackageState(self.package.state) if self.package else PackageState.DRAFT

    @property
    def editable(self) -> bool:
        return self.state in noms.EDITABLE_STATES

    @property
    def quota(self) -> str:
        return quota_line(len(self.nominees), self.minimum)

    @property
    def short(self) -> bool:
        return self.minimum is not None and len(self.nominees) < self.minimum


def summary(
    session: Session, campaign: Campaign, organisation: str, actor: Actor, now: datetime
) -> Summary:
    """Return the organisation's package of ``campaign`` with what the page shows of it."""
    package = noms.get_package(session, campaign.id, organisation, actor)
    rows = noms.list_nominations(session, campaign.id, organisation, actor)
    kind = session.get(OrganisationRow, organisation).kind
    minimum = campaign_svc.minimum_by_kind(campaign_svc.quotas(session, campaign)).get(kind)
    deadline = campaign_svc.nominations_deadline(session, campaign)
    covers = package_cover.covers(session, package) if package else []
    cover = package_cover.pending_cover(session, package) if package else None
    changed = cover is not None and package_cover.list_changed(session, cover[0])
    return Summary(
        campaign=campaign,
        package=package,
        nominees=rows,
        minimum=minimum,
        deadline=deadline.astimezone(VIETNAM) if deadline else None,
        last_day=(deadline.astimezone(VIETNAM) - timedelta(seconds=1)).date() if deadline else None,
        left=countdown(now, deadline) if deadline else None,
        reading=DeadlineReading(campaign.deadline_reading),
        cover=cover,
        covers=covers,
        list_changed=changed,
    )


def may_edit(actor: Actor, campaign: Campaign, organisation: str) -> bool:
    return can(actor, Action.EDIT_NOMINATIONS, noms.nomination_facts(campaign, organisation))
