"""Dispatch (phát hành) of issued documents to their recipients (issue 9, Decree 30 Đ14.4, Đ18).

The recipients are the document's field 13 as archived (``document_recipient``: Kính gửi,
then Nơi nhận; "Như trên" and "Lưu: VT, …" are not there), with the copy counts of the
recipient list it was issued with. Each mark (sent on a date by paper or electronically, or
a wrong mark withdrawn) is a new ``DispatchRecord``; the latest one of a recipient is its
state. Only the registrar (văn thư) of the issuer dispatches (``Action.DISPATCH``); a
document the actor may not see is a ``NotFound``. Services never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.domain import Organisation, RecordLookup
from docgen.errors import FieldError
from docgen.models import (
    DispatchChannel,
    DispatchMark,
    DispatchRecord,
    Document,
    DocumentRecipient,
    OrganisationRow,
    RecipientListRow,
)
from docgen.policy import Action, Actor
from docgen.rendering.dispatch import Envelope, PostBook, PostBookRow
from docgen.rules.recipients import ARCHIVE_DESK
from docgen.rules.text import fold
from docgen.services.archive import audit, check_actor, get_document, require
from docgen.services.clock import VIETNAM
from docgen.services.issuance import PRIORITIES

MAX_NOTE = 500
MAX_BOOK_DAYS = 366  # one Sổ gửi print covers at most a year
FORBIDDEN = "Chỉ văn thư của cơ quan ban hành được phát hành văn bản."


@dataclass(frozen=True)
class RecipientState:
    """One recipient of an issued document and its dispatch state."""

    position: int
    name: str
    part: str  # "kinh-gui" or "noi-nhan"
    copies: int
    organisation: str | None  # the recorded body it names, if any
    history: tuple[DispatchRecord, ...] = ()  # its marks, oldest first

    @property
    def last(self) -> DispatchRecord | None:
        return self.history[-1] if self.history else None

    @property
    def sent(self) -> bool:
        return self.last is not None and self.last.mark == DispatchMark.SENT

    @property
    def channel_label(self) -> str:
        last = self.last
        return DispatchChannel(last.channel).label if last is not None and last.channel else ""


@dataclass(frozen=True)
class DispatchView:
    """An issued document with its recipients, kept copies and every mark made."""

    document: Document
    recipients: tuple[RecipientState, ...]
    kept: str  # "Lưu: VT, vttkieu."
    kept_copies: int
    records: tuple[DispatchRecord, ...] = field(default=())  # newest first

    @property
    def unsent(self) -> list[RecipientState]:
        return [r for r in self.recipients if not r.sent]

    def recipient(self, position: int) -> RecipientState | None:
        return next((r for r in self.recipients if r.position == position), None)


# --- loading ------------------------------------------------------------------------------------


def load_document(session: Session, document_id: int, actor: Actor) -> Document:
    """Return the document; ``NotFound`` if ``actor`` may not see it, ``Forbidden`` if they
    see it but may not dispatch it (only the issuer's registrar may)."""
    document = get_document(session, document_id, actor)
    require(actor, Action.DISPATCH, document.organisation_id, FORBIDDEN)
    return document


def _the_list(session: Session, document: Document) -> RecipientListRow | None:
    code = document.recipient_list
    return session.get(RecipientListRow, code) if code else None


def _recipients(
    session: Session, document: Document, the_list: RecipientListRow | None
) -> list[tuple[int, str, str, int, str | None]]:
    """Return (position, name, part, copies, organisation) of each archived recipient.

    Parts and copies come from the recipient list the document was issued with, matched in
    order by name; a name the list no longer holds is a Nơi nhận of one copy.
    """
    rows = session.scalars(
        select(DocumentRecipient)
        .where(DocumentRecipient.document_id == document.id)
        .order_by(DocumentRecipient.position)
    )
    kinh_gui = [fold(n) for n in (the_list.kinh_gui if the_list else [])]
    entries = list(the_list.noi_nhan) if the_list else []
    out = []
    for row in rows:
        key = fold(row.organ_name)
        if kinh_gui and kinh_gui[0] == key:
            kinh_gui.pop(0)
            out.append((row.position, row.organ_name, "kinh-gui", 1, None))
            continue
        entry = next((e for e in entries if fold(str(e.get("name", ""))) == key), None)
        if entry is not None:
            entries.remove(entry)
        copies = int((entry or {}).get("copies") or 1)
        out.append((row.position, row.organ_name, "noi-nhan", copies,
                    (entry or {}).get("organisation")))  # fmt: skip
    return out


def _marks(session: Session, document_ids: Iterable[int]) -> dict[int, list[DispatchRecord]]:
    """Return every mark of the documents, by document, oldest first."""
    ids = list(document_ids)
    out: dict[int, list[DispatchRecord]] = defaultdict(list)
    if ids:
        for record in session.scalars(
            select(DispatchRecord)
            .where(DispatchRecord.document_id.in_(ids))
            .order_by(DispatchRecord.id)
        ):
            out[record.document_id].append(record)
    return out


def describe(session: Session, document: Document) -> DispatchView:
    """Return the dispatch view of a document already loaded (and allowed)."""
    the_list = _the_list(session, document)
    marks = _marks(session, [document.id])[document.id]
    by_position: dict[int, list[DispatchRecord]] = defaultdict(list)
    for record in marks:
        by_position[record.position].append(record)
    recipients = tuple(
        RecipientState(pos, name, part, copies, org, tuple(by_position[pos]))
        for pos, name, part, copies, org in _recipients(session, document, the_list)
    )
    archive = list(the_list.archive) if the_list else []
    unit = [document.unit] if document.unit and document.unit not in archive else []
    kept = f"Lưu: {', '.join([ARCHIVE_DESK, *unit, *archive])}."
    kept_copies = (the_list.archive_copies if the_list else None) or 1 + len(archive)
    return DispatchView(document, recipients, kept, kept_copies, tuple(reversed(marks)))


def dispatch_view(session: Session, document_id: int, *, actor: Actor) -> DispatchView:
    """Return the recipients of ``document_id`` with their dispatch state."""
    return describe(session, load_document(session, document_id, actor))


# --- marking ------------------------------------------------------------------------------------


def mark(
    session: Session,
    document_id: int,
    positions: Sequence[int],
    *,
    sent: bool = True,
    channel: str | None = None,
    sent_on: date | None = None,
    note: str | None = None,
    actor: Actor,
    now: datetime,
) -> list[DispatchRecord]:
    """Return the marks added: each chosen recipient sent on ``sent_on`` by ``channel`` (or,
    with ``sent=False``, its "sent" mark withdrawn). Nothing is changed: rows are added.

    A recipient already marked with the same date and channel is left alone (no new row).
    Bad input is a ``FieldError`` naming the form field (positions, channel, sent_on, note).
    """
    name = check_actor(actor)
    begin_write(session)
    document = load_document(session, document_id, actor)
    view = describe(session, document)
    today = now.astimezone(VIETNAM).date()
    problems: dict[str, str] = {}
    chosen = []
    for position in dict.fromkeys(positions):
        recipient = view.recipient(position)
        if recipient is None:
            problems["positions"] = f"văn bản không có nơi nhận số {position}"
        else:
            chosen.append(recipient)
    if not chosen and "positions" not in problems:
        problems["positions"] = "chưa chọn nơi nhận nào"
    if sent:
        if channel not in tuple(DispatchChannel):
            problems["channel"] = "chọn hình thức gửi: giấy hoặc điện tử"
        day = sent_on or today
        if day > today:
            problems["sent_on"] = f"ngày chuyển {day:%d/%m/%Y} ở tương lai"
        elif day < document.issued_date:
            problems["sent_on"] = (
                f"ngày chuyển trước ngày ban hành ({document.issued_date:%d/%m/%Y})"
            )
    else:
        day, channel = None, None
        not_sent = [r.name for r in chosen if not r.sent]
        if not_sent:
            problems["positions"] = f"chưa ghi gửi: {'; '.join(not_sent)}"
    note = (note or "").strip() or None
    if note and (len(note) > MAX_NOTE or "\n" in note):
        problems["note"] = f"ghi chú là một dòng, tối đa {MAX_NOTE} ký tự"
    if problems:
        raise FieldError(problems)
    added = []
    for recipient in chosen:
        last = recipient.last
        if (
            sent
            and last is not None
            and recipient.sent
            and (last.sent_on, last.channel) == (day, channel)
        ):
            continue  # already recorded exactly so
        record = DispatchRecord(
            document_id=document.id,
            organisation_id=document.organisation_id,
            position=recipient.position,
            recipient=recipient.name,
            copies=recipient.copies,
            mark=str(DispatchMark.SENT if sent else DispatchMark.UNSENT),
            channel=channel,
            sent_on=day,
            actor=name,
            recorded_at=now,
            note=note,
        )
        session.add(record)
        added.append(record)
    if added:
        audit(session, at=now, actor=name, action="dispatch" if sent else "undispatch",
              target=document, positions=[r.position for r in added], channel=channel,
              sent_on=day.isoformat() if day else None)  # fmt: skip
    session.flush()
    return added


# --- envelopes, the Sổ gửi and the register book ------------------------------------------------


def _contacts(session: Session, codes: Iterable[str | None]) -> dict[str, dict]:
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = session.execute(
        select(OrganisationRow.code, OrganisationRow.contact).where(
            OrganisationRow.code.in_(wanted)
        )
    )
    return {code: contact or {} for code, contact in rows}


def envelopes(
    session: Session,
    lookup: RecordLookup,
    document_id: int,
    positions: Sequence[int] | None = None,
    *,
    actor: Actor,
) -> tuple[Organisation, list[Envelope]]:
    """Return the sender and one envelope per paper recipient of the document.

    ``positions`` picks recipients; by default every one not sent electronically (the
    unsent and those sent on paper). ``FieldError`` when none is left.
    """
    document = load_document(session, document_id, actor)
    view = describe(session, document)
    if positions:
        wanted = set(positions)
        chosen = [r for r in view.recipients if r.position in wanted]
    else:
        chosen = [
            r for r in view.recipients
            if not (r.sent and r.last is not None and r.last.channel == DispatchChannel.ELECTRONIC)
        ]  # fmt: skip
    if not chosen:
        raise FieldError({"positions": "không có nơi nhận nào cần in bì (gửi bản giấy)"})
    contacts = _contacts(session, (r.organisation for r in chosen))
    made = []
    for r in chosen:
        address = (contacts.get(r.organisation or "") or {}).get("address")
        made.append(Envelope(document.notation, r.name, (address,) if address else ()))
    return lookup.organisation(document.organisation_id), made


def post_book(
    session: Session,
    lookup: RecordLookup,
    organisation: str,
    date_from: date,
    date_to: date,
    *,
    actor: Actor,
) -> PostBook:
    """Return the Sổ gửi văn bản đi bưu điện of ``organisation`` for a day or a range: what
    left on paper (the current marks only), one line per day and document."""
    require(actor, Action.DISPATCH, organisation, FORBIDDEN)
    if date_to < date_from:
        raise FieldError({"date_to": "“đến ngày” trước “từ ngày”"})
    if date_to - date_from > timedelta(days=MAX_BOOK_DAYS):
        raise FieldError({"date_to": f"mỗi lần in tối đa {MAX_BOOK_DAYS} ngày"})
    org = lookup.organisation(organisation)
    touched = session.scalars(
        select(DispatchRecord.document_id)
        .where(
            DispatchRecord.organisation_id == organisation,
            DispatchRecord.sent_on >= date_from,
            DispatchRecord.sent_on <= date_to,
        )
        .distinct()
    )
    marks = _marks(session, touched)
    documents = {
        d.id: d for d in session.scalars(select(Document).where(Document.id.in_(list(marks))))
    }
    lines: dict[tuple[date, int], list[DispatchRecord]] = defaultdict(list)
    for document_id, records in marks.items():
        for record in _current(records).values():
            paper = record.channel == DispatchChannel.PAPER
            if (
                record.mark == DispatchMark.SENT
                and paper
                and record.sent_on is not None
                and (date_from <= record.sent_on <= date_to)
            ):
                lines[(record.sent_on, document_id)].append(record)
    rows = []
    for (day, document_id), records in sorted(
        lines.items(), key=lambda kv: (kv[0][0], documents[kv[0][1]].issued_date, kv[0][1])
    ):
        document = documents[document_id]
        records.sort(key=lambda r: r.position)
        rows.append(
            PostBookRow(
                sent_date=day.strftime("%d/%m/%Y"),
                notation=document.notation,
                recipients="; ".join(r.recipient for r in records),
                envelopes=str(len(records)),
                note=PRIORITIES.get(document.priority, "") if document.priority else "",
            )
        )
    years = sorted({date_from.year, date_to.year})
    return PostBook(
        issuer=org,
        year=" - ".join(str(y) for y in years),
        date_from=date_from.strftime("%d/%m/%Y"),
        date_to=date_to.strftime("%d/%m/%Y"),
        rows=tuple(rows),
    )


def _current(records: Iterable[DispatchRecord]) -> dict[int, DispatchRecord]:
    """Return the latest mark of each recipient position (records oldest first)."""
    out: dict[int, DispatchRecord] = {}
    for record in records:
        out[record.position] = record
    return out


@dataclass(frozen=True)
class Dispatched:
    """What the register book prints of a document's dispatch."""

    dates: str  # "21/03/2017" or "21/03/2017, 22/03/2017"
    copies: int  # copies sent, plus the copies kept (Lưu)


def dispatched(session: Session, documents: Sequence[Document]) -> dict[int, Dispatched]:
    """Return, for each document with at least one recipient currently marked sent, the
    dates it left on and the copies made for it (for the register book's columns 7–8)."""
    marks = _marks(session, [d.id for d in documents])
    out = {}
    for document in documents:
        sent = [
            r for r in _current(marks.get(document.id, ())).values()
            if r.mark == DispatchMark.SENT and r.sent_on is not None
        ]  # fmt: skip
        if not sent:
            continue
        view_kept = describe(session, document).kept_copies
        days = sorted({r.sent_on for r in sent if r.sent_on is not None})
        out[document.id] = Dispatched(
            dates=", ".join(d.strftime("%d/%m/%Y") for d in days),
            copies=sum(r.copies for r in sent) + view_kept,
        )
    return out
