"""An organisation's nominees to a campaign (design D19): add, edit, delete, submit, recall.

Only drafters and registrars of an organisation the campaign addresses enter its nominees;
the board reads them but does not edit them (403); another organisation's nominee is a 404.
Nominees are edited while their package is a draft, recalled or returned; submitting takes
the moment from the caller's clock and marks the package late against the nominations
deadline (rules/campaigns.py), or refuses it when the campaign refuses late packages.
Services never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, FieldError, Forbidden, NotFound, RuleError
from docgen.models import Campaign, Nomination, NominationAttachment, NominationPackage
from docgen.models.campaigns import NominationState, PackageState
from docgen.policy import Action, Actor, NominationFacts, can
from docgen.rules.campaigns import Timing, timing
from docgen.rules.nominations import FIELDS, check_nominee
from docgen.services.archive import audit, check_actor
from docgen.services.campaigns import get_campaign, is_participant, nominations_deadline
from docgen.services.clock import VIETNAM

EDITABLE_STATES = frozenset({PackageState.DRAFT, PackageState.RECALLED, PackageState.RETURNED})
SENT_STATES = frozenset({PackageState.SUBMITTED, PackageState.ACCEPTED, PackageState.RETURNED})


def nomination_facts(campaign: Campaign, organisation: str) -> NominationFacts:
    return NominationFacts(organisation=organisation, organiser=campaign.organisation_id)


def require_edit(session: Session, campaign: Campaign, organisation: str, actor: Actor) -> None:
    """Raise unless ``actor`` may enter nominees of ``organisation`` to ``campaign``."""
    facts = nomination_facts(campaign, organisation)
    if not can(actor, Action.EDIT_NOMINATIONS, facts):
        raise Forbidden("Chỉ chuyên viên hoặc văn thư của cơ quan được nhập người được giới thiệu.")
    if not is_participant(session, campaign, organisation):
        raise Forbidden(
            f"Đợt thi đua “{campaign.title}” không giao cơ quan này giới thiệu điển hình.",
            code="not_a_participant",
        )


def acting_organisation(actor: Actor, organisation: str | None, campaign: Campaign) -> str:
    """Return the organisation ``actor`` acts for: its own, or the one named (the console, or
    one ``actor`` may see — the board then gets 403 from the edit check, others 404)."""
    org = organisation or actor.organisation
    if org is None:
        raise FieldError({"organisation": "Cần ghi cơ quan giới thiệu (--org)."})
    if not can(actor, Action.READ_NOMINATIONS, nomination_facts(campaign, org)):
        raise NotFound(f"Không có cơ quan “{org}” trong phạm vi của bạn.")
    return org


# --- packages -----------------------------------------------------------------------------------


def find_package(
    session: Session, campaign: Campaign, organisation: str, *, lock: bool = False
) -> NominationPackage | None:
    """Return the package of ``organisation``; with ``lock``, re-read under a row lock so the
    state checked next cannot change before this transaction ends (see ``lock_package``)."""
    query = select(NominationPackage).where(
        NominationPackage.campaign_id == campaign.id,
        NominationPackage.organisation_id == organisation,
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.scalar(query)


def lock_package(session: Session, package_id: int) -> NominationPackage:
    """Return the package re-read under a row lock.

    Every change of a package's or its nominees' state takes this lock first (PostgreSQL
    ``SELECT … FOR UPDATE``; on SQLite ``begin_write`` already serialises writers), so two
    people acting at once are ordered: the board accepting while the organisation recalls,
    or returning while a nominee is selected, ends with one of them refused.
    """
    query = (
        select(NominationPackage)
        .where(NominationPackage.id == package_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(query).one()


def get_package(
    session: Session, campaign_id: int, organisation: str, actor: Actor
) -> NominationPackage | None:
    """Return the package of ``organisation`` (None: none yet); 404 if ``actor`` may not see it."""
    campaign = get_campaign(session, campaign_id)
    if not can(actor, Action.READ_NOMINATIONS, nomination_facts(campaign, organisation)):
        raise NotFound(f"Không có hồ sơ giới thiệu của cơ quan “{organisation}”.")
    return find_package(session, campaign, organisation)


def package_for_edit(
    session: Session, campaign: Campaign, organisation: str, actor: Actor, now: datetime
) -> NominationPackage:
    """Return the organisation's package, created as a draft if missing; refuse if locked."""
    require_edit(session, campaign, organisation, actor)
    package = find_package(session, campaign, organisation, lock=True)
    if package is None:
        package = NominationPackage(
            campaign_id=campaign.id,
            organisation_id=organisation,
            state=PackageState.DRAFT,
            late=False,
            created_at=now,
            updated_at=now,
        )
        session.add(package)
        session.flush()
    elif package.state not in EDITABLE_STATES:
        raise Conflict(
            f"Hồ sơ đang ở trạng thái “{PackageState(package.state).label}”: hãy rút lại hồ sơ "
            "trước khi sửa danh sách.",
            code="package_locked",
        )
    return package


# --- nominees -----------------------------------------------------------------------------------


def get_nomination(session: Session, nomination_id: int, actor: Actor) -> Nomination:
    """Return the nominee; ``NotFound`` when it does not exist or ``actor`` may not see it."""
    row = session.get(Nomination, nomination_id)
    if row is not None:
        campaign = get_campaign(session, row.campaign_id)
        facts = nomination_facts(campaign, row.organisation_id)
        if can(actor, Action.READ_NOMINATIONS, facts) and _readable(session, row, actor):
            return row
    raise NotFound(f"Không có người được giới thiệu mã số {nomination_id}.", id=nomination_id)


def _readable(session: Session, row: Nomination, actor: Actor) -> bool:
    """Return whether ``actor`` reads ``row`` now: its organisation always, the board once the
    package is sent (a list being drafted, or recalled, is still the organisation's own work)."""
    if actor.system or actor.of(row.organisation_id):
        return True
    query = select(NominationPackage.state).where(NominationPackage.id == row.package_id)
    return session.scalar(query) in SENT_STATES


def list_nominations(
    session: Session, campaign_id: int, organisation: str, actor: Actor
) -> list[Nomination]:
    """Return the nominees of ``organisation`` to a campaign, in entry order."""
    campaign = get_campaign(session, campaign_id)
    if not can(actor, Action.READ_NOMINATIONS, nomination_facts(campaign, organisation)):
        raise NotFound(f"Không có hồ sơ giới thiệu của cơ quan “{organisation}”.")
    query = select(Nomination).where(
        Nomination.campaign_id == campaign.id, Nomination.organisation_id == organisation
    )
    return list(session.scalars(query.order_by(Nomination.id)))


def clean_nominee(campaign: Campaign, values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the checked values of a nominee, or raise ``FieldError`` naming each problem."""
    clean, errors = check_nominee(values, year=campaign.year)
    if errors:
        raise FieldError(errors)
    return clean


def add_nomination(
    session: Session,
    campaign_id: int,
    values: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
    organisation: str | None = None,
) -> Nomination:
    """Return a new nominee of ``actor``'s organisation (the console names ``organisation``)."""
    name = check_actor(actor)
    begin_write(session)
    campaign = get_campaign(session, campaign_id)
    org = acting_organisation(actor, organisation, campaign)
    package = package_for_edit(session, campaign, org, actor, now)
    clean = clean_nominee(campaign, values)
    row = Nomination(
        campaign_id=campaign.id,
        organisation_id=org,
        package_id=package.id,
        state=NominationState.DRAFT,
        created_by=name,
        created_at=now,
        updated_at=now,
        **clean,
    )
    session.add(row)
    package.updated_at = now
    session.flush()
    audit(session, at=now, actor=name, action="nomination_add", target=row, name=row.name)
    return row


def update_nomination(
    session: Session,
    nomination_id: int,
    values: Mapping[str, Any],
    *,
    actor: Actor,
    now: datetime,
) -> Nomination:
    """Return the nominee after replacing its trích ngang values with ``values``."""
    name = check_actor(actor)
    begin_write(session)
    row = get_nomination(session, nomination_id, actor)
    campaign = get_campaign(session, row.campaign_id)
    package = package_for_edit(session, campaign, row.organisation_id, actor, now)
    clean = clean_nominee(campaign, values)
    changed = sorted(key for key in FIELDS if getattr(row, key) != clean[key])
    for key in changed:
        setattr(row, key, clean[key])
    if changed:
        row.updated_at = package.updated_at = now
        audit(session, at=now, actor=name, action="nomination_edit", target=row, changed=changed)
    session.flush()
    return row


def delete_nomination(session: Session, nomination_id: int, *, actor: Actor, now: datetime) -> None:
    """Delete a nominee and its attachment rows (the stored bytes stay: blobs are shared)."""
    name = check_actor(actor)
    begin_write(session)
    row = get_nomination(session, nomination_id, actor)
    campaign = get_campaign(session, row.campaign_id)
    package = package_for_edit(session, campaign, row.organisation_id, actor, now)
    audit(session, at=now, actor=name, action="nomination_delete", target=row, name=row.name)
    query = select(NominationAttachment).where(NominationAttachment.nomination_id == row.id)
    for attached in session.scalars(query):  # the trail accounts for every stored file
        audit(session, at=now, actor=name, action="nomination_detach", target=attached,
              sha256=attached.sha256)  # fmt: skip
    session.execute(
        delete(NominationAttachment).where(NominationAttachment.nomination_id == row.id)
    )
    session.delete(row)
    package.updated_at = now
    session.flush()


# --- submitting and recalling -------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y")


def submit_package(
    session: Session,
    campaign_id: int,
    *,
    actor: Actor,
    now: datetime,
    organisation: str | None = None,
) -> NominationPackage:
    """Return the package after submitting it at ``now``: late after the deadline, or refused
    when the campaign refuses late packages. An empty package cannot be submitted."""
    name = check_actor(actor)
    begin_write(session)
    campaign = get_campaign(session, campaign_id)
    org = acting_organisation(actor, organisation, campaign)
    package = package_for_edit(session, campaign, org, actor, now)
    count = session.scalar(select(func.count()).where(Nomination.package_id == package.id))
    if not count:
        raise RuleError("Chưa có người được giới thiệu nào: hãy nhập danh sách trước khi gửi.")
    deadline = nominations_deadline(session, campaign)
    late = deadline is not None and timing(now, deadline) is Timing.LATE
    if late and campaign.refuse_late:
        raise RuleError(
            f"Đã quá hạn gửi hồ sơ (hạn chót trước {_when(deadline)}); đợt thi đua này không "
            "nhận hồ sơ trễ hạn.",
            code="deadline_passed",
        )
    package.state = PackageState.SUBMITTED
    package.submitted_at, package.submitted_by, package.late = now, name, late
    package.return_reason = None
    package.updated_at = now
    _set_states(session, package, NominationState.SUBMITTED)
    audit(
        session,
        at=now,
        actor=name,
        action="package_submit",
        target=package,
        nominees=count,
        late=late,
    )
    session.flush()
    return package


def recall_package(
    session: Session,
    campaign_id: int,
    *,
    actor: Actor,
    now: datetime,
    organisation: str | None = None,
) -> NominationPackage:
    """Return the package after its organisation recalls it (only before the board accepts)."""
    name = check_actor(actor)
    begin_write(session)
    campaign = get_campaign(session, campaign_id)
    org = acting_organisation(actor, organisation, campaign)
    require_edit(session, campaign, org, actor)
    package = find_package(session, campaign, org, lock=True)
    if package is None or package.state != PackageState.SUBMITTED:
        state = PackageState(package.state).label if package else "chưa có hồ sơ"
        raise Conflict(
            f"Chỉ rút lại được hồ sơ đã gửi và chưa được tiếp nhận (hiện: {state}).",
            code="package_not_recallable",
        )
    package.state = PackageState.RECALLED
    package.updated_at = now
    _set_states(session, package, NominationState.DRAFT)
    audit(session, at=now, actor=name, action="package_recall", target=package)
    session.flush()
    return package


def _set_states(session: Session, package: NominationPackage, state: NominationState) -> None:
    session.execute(
        update(Nomination)
        .where(Nomination.package_id == package.id)
        .values(state=state)
        .execution_options(synchronize_session="fetch")
    )
