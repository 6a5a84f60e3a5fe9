"""Campaigns in the database (design D19): loaded from records, created or copied by the board,
and the board's status table fed by one query.

Services take a session and never commit. A campaign's deadline reading ("trước ngày" or
"đến hết ngày") and its refuse-late flag are settings of the database row: reloading the
records keeps them, as it keeps the packages and nominees already entered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from docgen import domain
from docgen.errors import Conflict, FieldError, Forbidden, NotFound, RuleError
from docgen.models import (
    Campaign,
    CampaignDeadline,
    CampaignParticipant,
    CampaignQuota,
    Nomination,
    NominationPackage,
    OrganisationRow,
)
from docgen.models.campaigns import DeadlinePurpose
from docgen.policy import Action, Actor, can
from docgen.rules.campaigns import DeadlineReading, check_campaign_dates, deadline_moment
from docgen.rules.nomination_status import ParticipantFacts, StatusSummary, compute_status
from docgen.services.archive import audit, check_actor, require

# The order of a recorded campaign's deadlines says what they are for (records/campaigns.yaml):
# the first is when organisations send nominations, the second when the board submits.
PURPOSE_BY_POSITION = (DeadlinePurpose.NOMINATIONS, DeadlinePurpose.SELECTION)


def _purpose(index: int) -> str:
    return str(PURPOSE_BY_POSITION[index]) if index < len(PURPOSE_BY_POSITION) else "other"


def _set_children(session: Session, row: Campaign, spec: CampaignSpec) -> None:
    """Replace the campaign's deadlines, quotas and participants with those of ``spec``."""
    for cls in (CampaignDeadline, CampaignQuota, CampaignParticipant):
        for child in session.scalars(select(cls).where(cls.campaign_id == row.id)):
            session.delete(child)
    session.flush()
    for i, d in enumerate(spec.deadlines):
        session.add(
            CampaignDeadline(
                campaign_id=row.id,
                code=d.code,
                purpose=_purpose(i),
                day=d.date,
                description=d.description,
            )
        )
    for q in spec.quotas:
        session.add(
            CampaignQuota(
                campaign_id=row.id,
                kinds=[str(k) for k in q.kinds],
                minimum=q.minimum,
                description=q.description,
            )
        )
    for code in dict.fromkeys(spec.participants):
        session.add(CampaignParticipant(campaign_id=row.id, organisation_id=code))


@dataclass(frozen=True)
class CampaignSpec:
    """What creating a campaign needs (the record type plus its settings)."""

    code: str
    title: str
    year: int
    deadlines: tuple[domain.Deadline, ...] = ()
    quotas: tuple[domain.Quota, ...] = ()
    participants: tuple[str, ...] = ()
    selection_min: int = 0
    selection_max: int = 0
    plan_record: str | None = None
    plan_document_id: int | None = None
    deadline_reading: str = DeadlineReading.BEFORE
    refuse_late: bool = False
    organiser: str | None = None  # the console names it; a board member organises their own


def spec_from_record(record: domain.Campaign) -> CampaignSpec:
    return CampaignSpec(
        code=record.code,
        title=record.name,
        year=record.year,
        deadlines=record.deadlines,
        quotas=record.quotas,
        participants=record.participants,
        selection_min=record.selection_min,
        selection_max=record.selection_max,
        plan_record=record.plan,
    )


def load_campaigns_into(
    session: Session, campaigns: Mapping[str, domain.Campaign], *, now: datetime
) -> int:
    """Return how many recorded campaigns were upserted (by code), children replaced."""
    for record in campaigns.values():
        row = session.scalar(select(Campaign).where(Campaign.code == record.code))
        if row is None:
            row = Campaign(
                code=record.code, created_at=now, deadline_reading="before", refuse_late=False
            )
            session.add(row)
        row.title, row.year, row.organisation_id = record.name, record.year, record.organiser
        row.plan_record = record.plan
        row.selection_min, row.selection_max = record.selection_min, record.selection_max
        row.updated_at = now
        session.flush()
        _set_children(session, row, spec_from_record(record))
    session.flush()
    return len(campaigns)


# --- reading ------------------------------------------------------------------------------------


def get_campaign(session: Session, campaign_id: int) -> Campaign:
    row = session.get(Campaign, campaign_id)
    if row is None:
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id}.", id=campaign_id)
    return row


def find_campaign(session: Session, ref: str | int) -> Campaign:
    """Return the campaign whose code is ``ref``, or the only campaign of year ``ref``."""
    text = str(ref).strip()
    row = session.scalar(select(Campaign).where(Campaign.code == text))
    if row is not None:
        return row
    if text.isdigit():
        rows = list(session.scalars(select(Campaign).where(Campaign.year == int(text))))
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            codes = ", ".join(r.code for r in rows)
            raise Conflict(f"Năm {text} có nhiều đợt thi đua ({codes}); hãy ghi mã đợt.")
    raise NotFound(f"Không có đợt thi đua “{text}” (hãy chạy “docgen load-records”).", ref=text)


def list_campaigns(session: Session) -> list[Campaign]:
    return list(session.scalars(select(Campaign).order_by(Campaign.year.desc(), Campaign.code)))


def deadlines(session: Session, campaign: Campaign) -> list[CampaignDeadline]:
    query = select(CampaignDeadline).where(CampaignDeadline.campaign_id == campaign.id)
    return list(session.scalars(query.order_by(CampaignDeadline.day, CampaignDeadline.id)))


def quotas(session: Session, campaign: Campaign) -> list[CampaignQuota]:
    query = select(CampaignQuota).where(CampaignQuota.campaign_id == campaign.id)
    return list(session.scalars(query.order_by(CampaignQuota.id)))


def participants(session: Session, campaign: Campaign) -> list[str]:
    query = select(CampaignParticipant.organisation_id).where(
        CampaignParticipant.campaign_id == campaign.id
    )
    return list(session.scalars(query.order_by(CampaignParticipant.id)))


def is_participant(session: Session, campaign: Campaign, organisation: str | None) -> bool:
    query = select(CampaignParticipant.id).where(
        CampaignParticipant.campaign_id == campaign.id,
        CampaignParticipant.organisation_id == organisation,
    )
    return organisation is not None and session.scalar(query) is not None


def nominations_deadline(session: Session, campaign: Campaign) -> datetime | None:
    """Return the first moment at which a package is late, in Vietnam (None: no deadline)."""
    for d in deadlines(session, campaign):
        if d.purpose == DeadlinePurpose.NOMINATIONS:
            return deadline_moment(d.day, DeadlineReading(campaign.deadline_reading))
    return None


def minimum_by_kind(rows: Iterable[CampaignQuota]) -> dict[str, int]:
    found: dict[str, int] = {}
    for quota in rows:
        for kind in quota.kinds:
            found.setdefault(kind, quota.minimum)
    return found


# --- writing ------------------------------------------------------------------------------------


def spec_errors(session: Session, spec: CampaignSpec, organiser: str) -> dict[str, str]:
    """Return a Vietnamese message per field of ``spec`` that cannot make a campaign (the
    form shows them all at once, next to its fields)."""
    errors: dict[str, str] = {}
    if not spec.code.strip() or len(spec.code) > 64:
        errors["code"] = "Mã đợt thi đua bắt buộc, tối đa 64 ký tự."
    elif session.scalar(select(Campaign.id).where(Campaign.code == spec.code)) is not None:
        errors["code"] = f"Đã có đợt thi đua mã “{spec.code}”."
    if not spec.title.strip() or len(spec.title) > 300:
        errors["title"] = "Tên đợt thi đua bắt buộc, tối đa 300 ký tự."
    if not 2000 <= spec.year <= 2100:
        errors["year"] = "Năm không hợp lệ."
    if not 0 <= spec.selection_min <= spec.selection_max:
        errors["selection_min"] = "Cần 0 ≤ số chọn tối thiểu ≤ số chọn tối đa."
    if spec.deadline_reading not in set(DeadlineReading):
        errors["deadline_reading"] = "Cách tính hạn phải là “trước ngày” hoặc “đến hết ngày”."
    known = set(session.scalars(select(OrganisationRow.code)))
    unknown = [code for code in spec.participants if code not in known]
    if unknown:
        errors["participants"] = "Không có cơ quan: " + ", ".join(unknown)
    if organiser not in known:
        errors["organiser"] = f"Không có cơ quan tổ chức “{organiser}”."
    days = {_purpose(i): d.date for i, d in enumerate(spec.deadlines)}
    for key, message in check_campaign_dates(
        spec.year, days.get(DeadlinePurpose.NOMINATIONS), days.get(DeadlinePurpose.SELECTION)
    ).items():
        errors.setdefault(key, message)
    return errors


def _check_spec(session: Session, spec: CampaignSpec, organiser: str) -> None:
    errors = spec_errors(session, spec, organiser)
    if errors:
        raise FieldError(errors)


def create_campaign(
    session: Session,
    spec: CampaignSpec,
    *,
    actor: Actor,
    now: datetime,
    copied_from: int | None = None,
) -> Campaign:
    """Return a new campaign organised by ``actor``'s organisation (the board's members only)."""
    name = check_actor(actor)
    organiser = (spec.organiser if actor.system else actor.organisation) or ""
    require(
        actor,
        Action.MANAGE_CAMPAIGN,
        organiser,
        "Chỉ Ban Thi đua - Khen thưởng được tạo đợt thi đua.",
    )
    _check_spec(session, spec, organiser)
    row = Campaign(
        code=spec.code,
        year=spec.year,
        title=spec.title,
        organisation_id=organiser,
        plan_record=spec.plan_record,
        plan_document_id=spec.plan_document_id,
        deadline_reading=str(spec.deadline_reading),
        refuse_late=spec.refuse_late,
        selection_min=spec.selection_min,
        selection_max=spec.selection_max,
        copied_from_id=copied_from,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _set_children(session, row, spec)
    audit(
        session,
        at=now,
        actor=name,
        action="campaign_create",
        target=row,
        code=row.code,
        copied_from=copied_from,
    )
    session.flush()
    return row


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/2 into a common year
        return day.replace(year=day.year + years, day=28)


def copy_campaign(
    session: Session,
    source_id: int,
    year: int,
    *,
    actor: Actor,
    now: datetime,
    code: str | None = None,
) -> Campaign:
    """Return a copy of campaign ``source_id`` for ``year``: deadlines moved by the years
    between, the same quotas, participants, range and settings; no packages or nominees."""
    if not 1900 <= year <= 2100:
        raise RuleError(f"Năm của đợt thi đua phải từ 1900 đến 2100, không phải {year}.", year=year)
    source = get_campaign(session, source_id)
    shift = year - source.year
    new_code = code or (
        source.code.replace(str(source.year), str(year))
        if str(source.year) in source.code
        else f"{source.code}-{year}"
    )
    title = source.title.replace(str(source.year), str(year))
    spec = CampaignSpec(
        code=new_code,
        title=title,
        year=year,
        deadlines=tuple(
            domain.Deadline(d.code, _shift(d.day, shift), d.description)
            for d in deadlines(session, source)
        ),
        quotas=tuple(
            domain.Quota(tuple(domain.OrgKind(k) for k in q.kinds), q.minimum, q.description)
            for q in quotas(session, source)
        ),
        participants=tuple(participants(session, source)),
        selection_min=source.selection_min,
        selection_max=source.selection_max,
        deadline_reading=source.deadline_reading,
        refuse_late=source.refuse_late,
        organiser=source.organisation_id,
    )
    return create_campaign(session, spec, actor=actor, now=now, copied_from=source.id)


def update_settings(
    session: Session,
    campaign_id: int,
    *,
    reading: str,
    refuse_late: bool,
    actor: Actor,
    now: datetime,
) -> Campaign:
    """Return the campaign after changing how its deadlines are read and whether it refuses
    late packages (its organiser's board only; audited with the values before and after)."""
    name = check_actor(actor)
    row = get_campaign(session, campaign_id)
    if not can(actor, Action.MANAGE_CAMPAIGN, row.organisation_id):
        if actor.of(row.organisation_id):
            raise Forbidden("Chỉ Ban Thi đua - Khen thưởng được đổi thiết lập của đợt thi đua.")
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id}.", id=campaign_id)
    if reading not in set(DeadlineReading):
        raise FieldError({"reading": "Cách tính hạn phải là “trước ngày” hoặc “đến hết ngày”."})
    before = {"reading": row.deadline_reading, "refuse_late": row.refuse_late}
    row.deadline_reading, row.refuse_late = str(reading), bool(refuse_late)
    row.updated_at = now
    audit(session, at=now, actor=name, action="campaign_settings", target=row, before=before,
          after={"reading": row.deadline_reading, "refuse_late": row.refuse_late})  # fmt: skip
    session.flush()
    return row


# --- the board's status table -------------------------------------------------------------------


def status_facts(session: Session, campaign: Campaign) -> list[ParticipantFacts]:
    """Return every participant with its package and nominee count, in one query."""
    counts = (
        select(Nomination.package_id, func.count(Nomination.id).label("n"))
        .where(Nomination.campaign_id == campaign.id)
        .group_by(Nomination.package_id)
        .subquery()
    )
    query = (
        select(
            OrganisationRow.code,
            OrganisationRow.name,
            OrganisationRow.kind,
            NominationPackage.state,
            NominationPackage.submitted_at,
            counts.c.n,
        )
        .select_from(CampaignParticipant)
        .join(OrganisationRow, OrganisationRow.code == CampaignParticipant.organisation_id)
        .outerjoin(
            NominationPackage,
            and_(
                NominationPackage.campaign_id == campaign.id,
                NominationPackage.organisation_id == CampaignParticipant.organisation_id,
            ),
        )
        .outerjoin(counts, counts.c.package_id == NominationPackage.id)
        .where(CampaignParticipant.campaign_id == campaign.id)
    )
    return [
        ParticipantFacts(code, name, kind, state, submitted_at, n or 0)
        for code, name, kind, state, submitted_at, n in session.execute(query)
    ]


def campaign_status(session: Session, campaign: Campaign) -> StatusSummary:
    """Return the board's status table of ``campaign``."""
    return compute_status(
        status_facts(session, campaign),
        minimum_by_kind(quotas(session, campaign)),
        nominations_deadline(session, campaign),
    )
