"""Withdrawal (thu hồi), supersession (thay thế) and correction (đính chính): new event rows.

Decree 30 Art. 18 and Appendix VI §III.8: an issued document is never edited; its status
comes from the events recorded against it, each with who, when and why.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, FieldError, RuleError
from docgen.models import Document, DocumentEvent, DocumentStatus, EventKind
from docgen.policy import Action, Actor
from docgen.rendering.fields import Invalid, clean_text
from docgen.services.archive import (
    audit,
    check_actor,
    document_facts,
    get_document,
    require,
    status_of,
)
from docgen.services.chain import append_link, event_content
from docgen.services.clock import Clock

MAX_REASON = 1000
_LABEL = {
    DocumentStatus.WITHDRAWN: "đã bị thu hồi",
    DocumentStatus.SUPERSEDED: "đã bị thay thế",
}


def _reason(reason: str) -> str:
    try:  # sealed in the event's link: only text that can be shown as it was written
        reason = clean_text("Lý do", reason or "", multiline=True)
    except Invalid as exc:
        raise FieldError({"reason": exc.problems[""]}) from None
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
    event = DocumentEvent(
        register_id=document.register_id,
        document_id=document.id,
        kind=str(kind),
        related_document_id=related.id if related else None,
        reason=reason,
        actor=actor,
        at=now,
    )
    related_hash = related.row_hash if related else None
    append_link(session, event, event_content(event, document.row_hash, related_hash))
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
    session: Session, document_id: int, *, reason: str, actor: Actor, clock: Clock
) -> DocumentEvent:
    """Return the withdrawal event of a document; the document stays, frozen, retrievable.

    ``NotFound`` for a document ``actor`` may not see, ``Forbidden`` if it may not change it.
    """
    name, reason = check_actor(actor), _reason(reason)
    begin_write(session)
    document = _changeable(session, document_id, actor)
    _open(session, document)
    return _record(session, document, EventKind.WITHDRAWN, reason=reason, actor=name, clock=clock)


def _changeable(session: Session, document_id: int, actor: Actor) -> Document:
    """Return the document if ``actor`` sees it (else 404) and may change its status (else 403)."""
    document = get_document(session, document_id, actor)
    require(
        actor,
        Action.CHANGE_STATUS,
        document_facts(session, document),
        "Chỉ văn thư hoặc quản trị của cơ quan ban hành được thu hồi, thay thế, "
        "đính chính văn bản.",
    )
    return document


def supersede_document(
    session: Session,
    document_id: int,
    *,
    by: int,
    reason: str,
    actor: Actor,
    clock: Clock,
    correction: bool = False,
) -> DocumentEvent:
    """Return the event recording that document ``by`` replaces (or corrects) ``document_id``.

    Replacement (Art. 18.3) needs a document of the same type from the same issuer;
    correction (đính chính) needs a công văn of the same issuer. Either must be issued
    on or after the original.
    """
    name, reason = check_actor(actor), _reason(reason)
    begin_write(session)
    document = _changeable(session, document_id, actor)
    replacement = get_document(session, by, actor)
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
        session, document, kind, reason=reason, actor=name, clock=clock, related=replacement
    )
