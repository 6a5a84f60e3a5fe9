"""Withdrawal (thu hồi), supersession (thay thế) and correction (đính chính): new event rows.

Decree 30 Art. 18 and Appendix VI §III.8: an issued document is never edited; its status
comes from the events recorded against it, each with who, when and why.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from docgen.db import begin_write
from docgen.errors import Conflict, FieldError, RuleError
from docgen.models import Document, DocumentEvent, DocumentStatus, EventKind
from docgen.services.archive import audit, check_actor, get_document, status_of
from docgen.services.chain import advance_head, lock_register, seal
from docgen.services.clock import Clock

MAX_REASON = 1000
_LABEL = {
    DocumentStatus.WITHDRAWN: "đã bị thu hồi",
    DocumentStatus.SUPERSEDED: "đã bị thay thế",
}


def event_content(event: DocumentEvent, document: Document, related: Document | None) -> dict:
    """Return what an event's hash seals, naming documents by their own hashes."""
    return {
        "register_id": event.register_id,
        "document_id": event.document_id,
        "document_hash": document.row_hash,
        "kind": event.kind,
        "related_document_id": event.related_document_id,
        "related_document_hash": related.row_hash if related else None,
        "reason": event.reason,
        "actor": event.actor,
        "at": event.at,
    }


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldError({"reason": "cần ghi lý do"})
    if len(reason) > MAX_REASON:
        raise FieldError({"reason": f"dài quá {MAX_REASON} ký tự"})
    return reason


def _record(
    session: Session,
    document: Document,
    kind: EventKind,
    *,
    reason: str,
    actor: str,
    clock: Clock,
    related: Document | None = None,
) -> DocumentEvent:
    now = clock.now()
    seq, prev = lock_register(session, document.register_id)
    event = DocumentEvent(
        register_id=document.register_id,
        document_id=document.id,
        kind=str(kind),
        related_document_id=related.id if related else None,
        reason=reason,
        actor=actor,
        at=now,
    )
    seal(event, event_content(event, document, related), seq=seq, prev_hash=prev)
    session.add(event)
    session.flush()
    advance_head(session, document.register_id, event.row_hash)
    audit(
        session,
        at=now,
        actor=actor,
        action=str(kind),
        target=document,
        notation=document.notation,
        reason=reason,
        related=related.id if related else None,
    )
    session.flush()
    return event


def _open(session: Session, document: Document) -> DocumentStatus:
    """Return the document's status, refusing one that is withdrawn or superseded."""
    session.refresh(document, ["events"])
    status = status_of(document.events)
    if status in _LABEL:
        raise Conflict(
            f"Văn bản {document.notation} {_LABEL[status]}; không ghi thêm thay đổi.",
            code=f"document_{status}",
        )
    return status


def withdraw_document(
    session: Session, document_id: int, *, reason: str, actor: str, clock: Clock
) -> DocumentEvent:
    """Return the withdrawal event of a document; the document stays, frozen, retrievable."""
    actor, reason = check_actor(actor), _reason(reason)
    begin_write(session)
    document = get_document(session, document_id)
    _open(session, document)
    return _record(session, document, EventKind.WITHDRAWN, reason=reason, actor=actor, clock=clock)


def supersede_document(
    session: Session,
    document_id: int,
    *,
    by: int,
    reason: str,
    actor: str,
    clock: Clock,
    correction: bool = False,
) -> DocumentEvent:
    """Return the event recording that document ``by`` replaces (or corrects) ``document_id``.

    Replacement (Art. 18.3) needs a document of the same type from the same issuer;
    correction (đính chính) needs a công văn of the same issuer. Either must be issued
    on or after the original.
    """
    actor, reason = check_actor(actor), _reason(reason)
    begin_write(session)
    document = get_document(session, document_id)
    replacement = get_document(session, by)
    _open(session, document)
    if replacement.id == document.id:
        raise RuleError("Văn bản không thể tự thay thế chính nó.", code="invalid_supersession")
    _open(session, replacement)
    if replacement.issuer != document.issuer:
        raise RuleError(
            f"Văn bản {replacement.notation} không do {document.organ_name} ban hành.",
            code="invalid_supersession",
        )
    if correction and replacement.doctype != "cong-van":
        raise RuleError(
            "Đính chính phải bằng công văn của cơ quan ban hành (Điều 18, Nghị định 30).",
            code="invalid_supersession",
        )
    if not correction and replacement.doctype != document.doctype:
        raise RuleError(
            f"Văn bản thay thế phải có hình thức tương đương ({document.type_name}), không phải "
            f"{replacement.type_name}.",
            code="invalid_supersession",
        )
    if replacement.issued_date < document.issued_date:
        raise RuleError(
            f"Văn bản {replacement.notation} ban hành trước văn bản bị thay thế.",
            code="invalid_supersession",
        )
    kind = EventKind.CORRECTED if correction else EventKind.SUPERSEDED
    return _record(
        session, document, kind, reason=reason, actor=actor, clock=clock, related=replacement
    )
