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

from docgen.database import begin_write
from docgen.domain import Organisation, RegisterKind, RenditionKind
from docgen.errors import Conflict, Forbidden, NotFound, RuleError
from docgen.models import (
    AuditEvent,
    Blob,
    Document,
    DocumentEvent,
    DocumentReader,
    DocumentStatus,
    EventKind,
    Register,
    RegisterCounter,
    Rendition,
    User,
)
from docgen.models.reference import RecipientListRow
from docgen.policy import Action, Actor, DocumentFacts, can, visible
from docgen.rules.doctypes import DocKind, DocType
from docgen.services.chain import append_link, plain, rendition_content, sha256_hex

MAX_ACTOR = 100
SECRET_KIND = str(RegisterKind.SECRET)  # văn bản mật: visible to the issuer's registrar
RENDITION_KINDS = tuple(RenditionKind)


def insert_ignore(session: Session, table: Table, values: dict[str, Any], keys: list[str]) -> None:
    """Insert ``values`` unless a row with the same ``keys`` exists (race-free on both backends)."""
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    session.execute(
        dialect_insert(table).values(**values).on_conflict_do_nothing(index_elements=keys)
    )


def check_actor(actor: Actor) -> str:
    """Return the name archive rows record for ``actor``; raise for no one (anonymous)."""
    name = (actor.username if isinstance(actor, Actor) else "").strip()
    if not name or len(name) > MAX_ACTOR or not actor.authenticated:
        raise RuleError(
            f"Cần một người thực hiện đã xác thực (tên tối đa {MAX_ACTOR} ký tự) cho mọi "
            "thao tác ghi.",
            code="invalid_actor",
        )
    return name


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
        "organisation_id": org.code,
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


def get_document(session: Session, document_id: int, actor: Actor) -> Document:
    """Return the issued document ``document_id``; ``NotFound`` also when ``actor`` may not
    see it (another organisation's, or a secret one): its existence is not disclosed.
    """
    document = session.get(Document, document_id)
    if document is None or not (actor.system or visible(actor, document_facts(session, document))):
        raise NotFound(f"Không có văn bản mã số {document_id} trong lưu trữ.", id=document_id)
    return document


def secret_register_ids(session: Session) -> list[int]:
    """Return the ids of the secret registers (văn bản mật)."""
    return list(session.scalars(select(Register.id).where(Register.kind == SECRET_KIND)))


def lists_addressed_to(session: Session, organisation: str) -> list[str]:
    """Return the codes of the recipient lists that send a copy to ``organisation``."""
    return [
        row.code
        for row in session.scalars(select(RecipientListRow))
        if any(entry.get("organisation") == organisation for entry in row.noi_nhan)
    ]


def document_facts(session: Session, document: Document) -> DocumentFacts:
    """Return what the policy needs to know of ``document``: owner, secrecy, named readers
    (usernames with an active grant; only a secret document has them), addressees."""
    kind = session.scalar(select(Register.kind).where(Register.id == document.register_id))
    secret = kind == SECRET_KIND
    readers: frozenset[str] = frozenset()
    if secret:
        readers = frozenset(
            session.scalars(
                select(User.username)
                .join(DocumentReader, DocumentReader.user_id == User.id)
                .where(
                    DocumentReader.document_id == document.id, DocumentReader.revoked_at.is_(None)
                )
            )
        )
    addressed: frozenset[str] = frozenset()
    if document.recipient_list:
        the_list = session.get(RecipientListRow, document.recipient_list)
        if the_list is not None:
            addressed = frozenset(
                e["organisation"] for e in the_list.noi_nhan if e.get("organisation")
            )
    return DocumentFacts(
        organisation=document.organisation_id,
        secret=secret,
        readers=readers,
        addressed_to=addressed,
    )


def require(actor: Actor, action: Action, obj: Any, message: str) -> None:
    """Raise ``Forbidden`` with ``message`` unless ``actor`` may do ``action`` to ``obj``."""
    if not can(actor, action, obj):
        raise Forbidden(message)


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


def add_rendition(
    session: Session,
    document_id: int,
    kind: str,
    content: bytes,
    *,
    actor: Actor,
    now: datetime,
    page_count: int | None = None,
) -> Rendition:
    """Return the new rendition (``kind`` "pdf" or "pdfa") of a document, stored and chained.

    A document has at most one rendition of each kind; asking twice raises ``Conflict``.
    """
    if kind not in RENDITION_KINDS:
        raise RuleError(f"Loại bản chuyển đổi “{kind}” không hợp lệ (pdf, pdfa).", kind=kind)
    name = check_actor(actor)
    begin_write(session)
    document = get_document(session, document_id, actor)
    existing = session.scalars(
        select(Rendition).where(Rendition.document_id == document_id, Rendition.kind == kind)
    ).first()
    if existing is not None:
        raise Conflict(f"Văn bản {document.notation} đã có bản {kind}.", kind=kind)
    rendition = Rendition(
        document_id=document_id,
        register_id=document.register_id,
        kind=kind,
        blob_sha256=store_blob(session, content, now=now),
        page_count=page_count,
        actor=name,
        created_at=now,
    )
    append_link(session, rendition, rendition_content(rendition, document.row_hash))
    audit(session, at=now, actor=name, action="render", target=rendition, kind=kind)
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


def describe_document(session: Session, document_id: int, actor: Actor) -> DocumentView:
    """Return the document ``document_id`` with its register, status, events and renditions
    (``NotFound`` when ``actor`` may not see it)."""
    document = get_document(session, document_id, actor)
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
