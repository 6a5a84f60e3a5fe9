"""Reference data in the database: load ``records/`` into it, and read it back as records.

``DbRecordLookup`` implements ``RecordLookup`` over the tables ``load_records_into`` fills,
so that issuing reads what the database holds, not the YAML files of the moment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.domain import (
    Authority,
    Contact,
    Organisation,
    OrgKind,
    RecipientEntry,
    RecipientList,
    Signer,
    Unit,
)
from docgen.errors import NotFound, RecordsError
from docgen.models import AuditEvent, OrganisationRow, RecipientListRow, Register, SignerRow
from docgen.policy import Actor, system_actor


class DbRecordLookup:
    """Returns organisations, signers and recipient lists from the database (cached per use)."""

    def __init__(self, session: Session, *, organisation: str | None = None) -> None:
        self.session = session
        # When set, recipient lists owned by another organisation (its named lists and the
        # lists composed in its drafts) are as absent as a code that does not exist.
        self.for_organisation = organisation
        self._cache: dict[tuple[type, str], Any] = {}

    def _row(self, cls: type, code: str, what: str) -> Any:
        key = (cls, code)
        if key not in self._cache:
            row = self.session.get(cls, code)
            if row is None:
                raise NotFound(
                    f"Không có {what} mã “{code}” trong cơ sở dữ liệu "
                    "(hãy chạy “docgen load-records”).",
                    record=what,
                    record_code=code,
                )
            self._cache[key] = row
        return self._cache[key]

    def organisation(self, code: str) -> Organisation:
        """Return the organisation ``code`` or raise ``NotFound``."""
        return organisation_from_row(self._row(OrganisationRow, code, "cơ quan, tổ chức"))

    def signer(self, code: str) -> Signer:
        """Return the signer ``code`` or raise ``NotFound``."""
        return signer_from_row(self._row(SignerRow, code, "người ký"))

    def recipient_list(self, code: str) -> RecipientList:
        """Return the recipient list ``code`` or raise ``NotFound`` (also for another
        organisation's own list when this lookup serves one organisation)."""
        row = self._row(RecipientListRow, code, "danh sách nơi nhận")
        if not list_usable_by(row, self.for_organisation):
            raise NotFound(
                f"Không có danh sách nơi nhận mã “{code}” trong cơ sở dữ liệu "
                "(hãy chạy “docgen load-records”).",
                record="danh sách nơi nhận",
                record_code=code,
            )
        return recipient_list_from_row(row)


def list_usable_by(row: RecipientListRow, organisation: str | None) -> bool:
    """Return whether ``organisation`` may name the list: a shared one (from the records) or
    its own (named, or composed in one of its drafts); None means any (the console)."""
    return organisation is None or row.organisation is None or row.organisation == organisation


def organisation_from_row(row: OrganisationRow) -> Organisation:
    """Return the ``Organisation`` a row holds."""
    return Organisation(
        code=row.code,
        name=row.name,
        kind=OrgKind(row.kind),
        parent=row.parent,
        header_parent_lines=tuple(row.header_parent_lines),
        header_lines=tuple(row.header_lines),
        symbol=row.symbol,
        place=row.place,
        identifier=row.identifier,
        units=tuple(Unit(**u) for u in row.units),
        recipient_name=row.recipient_name,
        sample=row.sample,
        sources=tuple(row.sources),
        contact=_contact(row.contact),
    )


def _contact(raw: dict[str, Any] | None) -> Contact | None:
    """Return the organisation's contact a row's JSON holds (None when none was recorded)."""
    if not raw:
        return None
    return Contact(**{**raw, "sources": tuple(raw.get("sources") or ())})


def signer_from_row(row: SignerRow) -> Signer:
    """Return the ``Signer`` a row holds."""
    return Signer(
        code=row.code,
        name=row.name,
        organisation=row.organisation,
        title=row.title,
        authority=Authority(row.authority),
        head_title=row.head_title,
        collective=row.collective,
        deputy_for=row.deputy_for,
        sample=row.sample,
    )


def recipient_list_from_row(row: RecipientListRow) -> RecipientList:
    """Return the ``RecipientList`` a row holds."""
    return RecipientList(
        code=row.code,
        name=row.name,
        kinh_gui=tuple(row.kinh_gui),
        noi_nhan=tuple(RecipientEntry(**e) for e in row.noi_nhan),
        archive=tuple(row.archive),
        archive_copies=row.archive_copies,
    )


def _refuse_owned_code(session: Session, code: str) -> None:
    """Raise ``RecordsError`` when ``code`` is an organisation's own list (made on the pages):
    loading would silently rewrite a list its registrar keeps, perhaps one already issued."""
    row = session.get(RecipientListRow, code)
    if row is not None and (row.organisation is not None or row.draft_id is not None):
        raise RecordsError(
            [f"recipient_lists: mã “{code}” đã là danh sách riêng của “{row.organisation}”; "
             "hãy đặt mã khác trong records/"]
        )  # fmt: skip


@dataclass(frozen=True)
class LoadSummary:
    """How many records of each kind ``load_records_into`` wrote."""

    organisations: int
    signers: int
    recipient_lists: int
    registers: int
    campaigns: int = 0


def _columns(record: Any, *, enum_fields: tuple[str, ...] = ()) -> dict[str, Any]:
    values = asdict(record)
    for name, value in values.items():
        if isinstance(value, tuple):
            values[name] = list(value)
    for name in enum_fields:
        values[name] = str(values[name])
    return values


def load_records_into(
    session: Session, records: Any, *, actor: Actor | None = None, now: datetime | None = None
) -> LoadSummary:
    """Return counts after upserting ``records`` (a ``Records``) into the reference tables.

    Rows missing from the records are kept: documents already issued may name them.
    Registers are matched by code; their counters and chains are never touched here.
    """
    for org in records.organisations.values():
        session.merge(OrganisationRow(**_columns(org, enum_fields=("kind",))))
    session.flush()
    for signer in records.signers.values():
        session.merge(SignerRow(**_columns(signer, enum_fields=("authority",))))
    for the_list in records.recipient_lists.values():
        _refuse_owned_code(session, the_list.code)
        session.merge(RecipientListRow(**_columns(the_list)))  # stays shared: no owner
    existing = {r.code: r for r in session.scalars(select(Register))}
    for spec in records.registers.values():
        row = existing.get(spec.code)
        if row is None:
            row = Register(code=spec.code, chain_seq=0)
            session.add(row)
        row.organisation = spec.organisation
        row.organisation_id = spec.organisation
        row.name = spec.name
        row.kind = str(spec.kind)
        row.doctypes = list(spec.doctypes)
        row.configured = True
    from docgen.services.campaigns import load_campaigns_into  # campaigns name organisations

    session.flush()
    campaigns = load_campaigns_into(session, records.campaigns, now=now or datetime.now(UTC))
    summary = LoadSummary(
        organisations=len(records.organisations),
        signers=len(records.signers),
        recipient_lists=len(records.recipient_lists),
        registers=len(records.registers),
        campaigns=campaigns,
    )
    session.add(
        AuditEvent(
            at=now or datetime.now(UTC),
            actor=(actor or system_actor()).username,
            action="load_records",
            target_kind="records",
            target_id="*",
            details=asdict(summary),
        )
    )
    session.flush()
    return summary
