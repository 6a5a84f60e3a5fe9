"""The archive store: registers, content-addressed blobs, documents and their status,
renditions and the audit trail. Nothing here updates or deletes an archived row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, case, select, update
from sqlalchemy.orm import Session

from docgen.db import begin_write
from docgen.errors import Conflict, NotFound, RuleError
from docgen.models import (
    AuditEvent,
    Blob,
    Document,
    DocumentEvent,
    DocumentStatus,
    EventKind,
    Register,
    RegisterCounter,
    Rendition,
)
from docgen.records.types import Organisation, RegisterKind
from docgen.rules.doctypes import DocKind, DocType
from docgen.services.chain import advance_head, lock_register, plain, seal, sha256_hex

MAX_ACTOR = 100
RENDITION_KINDS = ("pdf", "pdfa")


def insert_ignore(session: Session, table: Table, values: dict[str, Any], keys: list[str]) -> None:
    """Insert ``values`` unless a row with the same ``keys`` exists (race-free on both backends)."""
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    session.execute(
        dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


def check_actor(actor: str) -> str:
    """Return ``actor`` stripped, or raise if it is empty or too long."""
    actor = (actor or "").strip()
    if not actor or len(actor) > MAX_ACTOR:
        raise RuleError(
            f"Cần ghi người thực hiện (tối đa {MAX_ACTOR} ký tự) cho mọi thao tác ghi.",
            code="invalid_actor",
        )
    return actor


# --- registers ----------------------------------------------------------------------------------


def _accepts(register: Register, doctype: DocType) -> bool:
    kind = RegisterKind(register.kind)
    if doctype.kind is DocKind.COPY:
        return kind is RegisterKind.COPIES
    if kind is RegisterKind.COPIES:
        return False
    return kind is not RegisterKind.TYPES or doctype.code in register.doctypes


def _on_demand(session: Session, org: Organisation, kind: RegisterKind) -> Register:
    suffix, label = {
        RegisterKind.GENERAL: ("general", "Sổ đăng ký văn bản đi"),
        RegisterKind.COPIES: ("copies", "Sổ đăng ký bản sao văn bản"),
    }[kind]
    code = f"{org.code}:{suffix}"
    values = {
        "code": code,
        "organisation": org.code,
        "name": f"{label} của {org.name}",
        "kind": str(kind),
        "doctypes": [],
        "configured": False,
        "chain_seq": 0,
        "head_hash": "0" * 64,
    }
    insert_ignore(session, Register.__table__, values, ["code"])  # type: ignore[arg-type]
    return session.scalars(select(Register).where(Register.code == code)).one()


def resolve_register(
    session: Session, org: Organisation, doctype: DocType, code: str | None = None
) -> Register:
    """Return the register a document of ``doctype`` by ``org`` is numbered in.

    Named register first; else a register configured for the type, the copies register for
    copies, the organisation's advisory register, its general register — created on demand.
    Secret registers are used only when named.
    """
    if code:
        register = session.scalars(select(Register).where(Register.code == code)).one_or_none()
        if register is None:
            raise NotFound(f"Không có sổ đăng ký văn bản đi mã “{code}”.", register=code)
        if register.organisation != org.code:
            raise RuleError(f"Sổ “{register.name}” không phải sổ của {org.name}.", register=code)
        if not _accepts(register, doctype):
            raise RuleError(
                f"Sổ “{register.name}” không đăng ký loại văn bản “{doctype.name}”.",
                register=code,
            )
        return register
    registers = list(
        session.scalars(
            select(Register).where(Register.organisation == org.code).order_by(Register.id)
        )
    )
    by_kind = {kind: [r for r in registers if r.kind == kind] for kind in RegisterKind}
    if doctype.kind is DocKind.COPY:
        found = by_kind[RegisterKind.COPIES]
        return found[0] if found else _on_demand(session, org, RegisterKind.COPIES)
    for register in by_kind[RegisterKind.TYPES]:
        if doctype.code in register.doctypes:
            return register
    for kind in (RegisterKind.ADVISORY, RegisterKind.GENERAL):
        if by_kind[kind]:
            return by_kind[kind][0]
    return _on_demand(session, org, RegisterKind.GENERAL)


def next_number(session: Session, register_id: int, day: date) -> tuple[int, date]:
    """Return (the next number of the register's year, the date now last in that year).

    One UPDATE … RETURNING takes the number and moves the year's last date forward; it keeps
    a later date already recorded, so a returned date after ``day`` means ``day`` is
    backdated (the caller then refuses and rolls back). The counter row is created on first
    use; it stays locked until commit, and a rollback gives the number back.
    """
    values = {"register_id": register_id, "year": day.year, "last_number": 0, "last_date": None}
    insert_ignore(session, RegisterCounter.__table__, values, ["register_id", "year"])  # type: ignore[arg-type]
    keep_later = case(
        (and_(RegisterCounter.last_date.is_not(None), RegisterCounter.last_date > day),
         RegisterCounter.last_date),
        else_=day,
    )  # fmt: skip
    row = session.execute(
        update(RegisterCounter)
        .where(RegisterCounter.register_id == register_id, RegisterCounter.year == day.year)
        .values(last_number=RegisterCounter.last_number + 1, last_date=keep_later)
        .returning(RegisterCounter.last_number, RegisterCounter.last_date)
        .execution_options(synchronize_session=False)
    ).one()
    return row.last_number, row.last_date


# --- blobs --------------------------------------------------------------------------------------


def store_blob(session: Session, content: bytes, *, now: datetime) -> str:
    """Return the SHA-256 of ``content`` after storing it once (same bytes, same row)."""
    digest = sha256_hex(content)
    values = {"sha256": digest, "size": len(content), "content": content, "created_at": now}
    insert_ignore(session, Blob.__table__, values, ["sha256"])  # type: ignore[arg-type]
    return digest


def blob_bytes(session: Session, sha256: str) -> bytes:
    """Return the stored bytes with this SHA-256, or raise ``NotFound``."""
    content = session.scalar(select(Blob.content).where(Blob.sha256 == sha256))
    if content is None:
        raise NotFound(f"Không có tệp lưu trữ {sha256}.", sha256=sha256)
    return content


# --- documents and status -----------------------------------------------------------------------


def get_document(session: Session, document_id: int) -> Document:
    """Return the issued document ``document_id`` or raise ``NotFound``."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"Không có văn bản mã số {document_id} trong lưu trữ.", id=document_id)
    return document


def status_of(events: Iterable[DocumentEvent]) -> DocumentStatus:
    """Return the status the events give: withdrawn over superseded over corrected."""
    kinds = {e.kind for e in events}
    if EventKind.WITHDRAWN in kinds:
        return DocumentStatus.WITHDRAWN
    if EventKind.SUPERSEDED in kinds:
        return DocumentStatus.SUPERSEDED
    if EventKind.CORRECTED in kinds:
        return DocumentStatus.CORRECTED
    return DocumentStatus.IN_FORCE


def statuses(session: Session, document_ids: Iterable[int]) -> dict[int, DocumentStatus]:
    """Return the current status of each document, in one query."""
    ids = list(document_ids)
    events: dict[int, list[DocumentEvent]] = {i: [] for i in ids}
    if ids:
        for event in session.scalars(
            select(DocumentEvent).where(DocumentEvent.document_id.in_(ids))
        ):
            events[event.document_id].append(event)
    return {i: status_of(evts) for i, evts in events.items()}


def audit(
    session: Session, *, at: datetime, actor: str, action: str, target: Any, **details: Any
) -> AuditEvent:
    """Return the audit row recording that ``actor`` did ``action`` to ``target``."""
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        target_kind=type(target).__tablename__,
        target_id=str(target.id),
        details=plain(details),
    )
    session.add(event)
    return event


# --- renditions (issue 4) -----------------------------------------------------------------------


def rendition_content(rendition: Rendition, document: Document) -> dict[str, Any]:
    """Return the sealed content of a rendition: what it is and the document it renders."""
    return {
        "kind": rendition.kind,
        "register_id": rendition.register_id,
        "document_id": rendition.document_id,
        "document_hash": document.row_hash,
        "blob_sha256": rendition.blob_sha256,
        "page_count": rendition.page_count,
        "actor": rendition.actor,
        "created_at": rendition.created_at,
    }


def add_rendition(
    session: Session,
    document_id: int,
    kind: str,
    content: bytes,
    *,
    actor: str,
    now: datetime,
    page_count: int | None = None,
) -> Rendition:
    """Return the new rendition (``kind`` "pdf" or "pdfa") of a document, stored and chained.

    A document has at most one rendition of each kind; asking twice raises ``Conflict``.
    """
    if kind not in RENDITION_KINDS:
        raise RuleError(f"Loại bản chuyển đổi “{kind}” không hợp lệ (pdf, pdfa).", kind=kind)
    actor = check_actor(actor)
    begin_write(session)
    document = get_document(session, document_id)
    existing = session.scalars(
        select(Rendition).where(Rendition.document_id == document_id, Rendition.kind == kind)
    ).first()
    if existing is not None:
        raise Conflict(f"Văn bản {document.notation} đã có bản {kind}.", kind=kind)
    seq, prev = lock_register(session, document.register_id)
    rendition = Rendition(
        document_id=document_id,
        register_id=document.register_id,
        kind=kind,
        blob_sha256=store_blob(session, content, now=now),
        page_count=page_count,
        actor=actor,
        created_at=now,
    )
    seal(rendition, rendition_content(rendition, document), seq=seq, prev_hash=prev)
    session.add(rendition)
    session.flush()
    advance_head(session, document.register_id, rendition.row_hash)
    audit(session, at=now, actor=actor, action="render", target=rendition, kind=kind)
    return rendition


def get_rendition(session: Session, document_id: int, kind: str) -> Rendition | None:
    """Return the document's rendition of ``kind``, if it was made."""
    return session.scalars(
        select(Rendition).where(Rendition.document_id == document_id, Rendition.kind == kind)
    ).first()


@dataclass(frozen=True)
class DocumentView:
    """An issued document with what a reader needs around it: register, status, history."""

    document: Document
    register_code: str
    status: DocumentStatus
    events: list[DocumentEvent]
    renditions: list[Rendition]


def describe_document(session: Session, document_id: int) -> DocumentView:
    """Return the document ``document_id`` with its register, status, events and renditions."""
    document = get_document(session, document_id)
    events = list(
        session.scalars(
            select(DocumentEvent)
            .where(DocumentEvent.document_id == document_id)
            .order_by(DocumentEvent.id)
        )
    )
    renditions = list(
        session.scalars(
            select(Rendition).where(Rendition.document_id == document_id).order_by(Rendition.id)
        )
    )
    register_code = session.scalar(select(Register.code).where(Register.id == document.register_id))
    return DocumentView(document, register_code or "", status_of(events), events, renditions)
