"""The use log of issued documents (Decree 30 Appendix VI §III.6): who viewed, downloaded or
printed which document and when, and the counts the statistics page shows.

Recording is its own short write transaction, begun as a writer after the view's reads
(``record_access`` is called by the web and API faces once the document was served): a read
transaction is never upgraded to a write on SQLite, and a failure to log never loses the
answer the user already has.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.models import Document
from docgen.models.access import AccessKind, DocumentAccess
from docgen.policy import Action, Actor, can
from docgen.services import archive
from docgen.services.search.scope import scope_clause

HISTORY_LIMIT = 200
log = logging.getLogger(__name__)


def record_access(
    session: Session,
    document_id: int,
    *,
    actor: Actor,
    kind: AccessKind,
    now: datetime,
    detail: str | None = None,
) -> None:
    """Record one use of a document the actor has just been served, in its own transaction."""
    if not actor.authenticated:
        return
    session.rollback()  # end the view's read transaction before writing
    try:
        begin_write(session)
        organisation = session.scalar(
            select(Document.organisation_id).where(Document.id == document_id)
        )
        if organisation is None:
            session.rollback()
            return
        session.add(
            DocumentAccess(
                document_id=document_id,
                organisation_id=organisation,
                user_id=actor.user_id,
                actor=actor.username or "",
                kind=str(kind),
                detail=detail,
                at=now,
            )
        )
        session.commit()
    except SQLAlchemyError as exc:  # a busy database costs a log line, never the answer
        session.rollback()
        log.warning("Không ghi được lịch sử sử dụng văn bản %s: %s", document_id, exc)


def may_read_log(actor: Actor, organisation: str) -> bool:
    """Return whether ``actor`` sees the use log of ``organisation``'s documents."""
    return can(actor, Action.READ_USE_LOG, organisation)


@dataclass(frozen=True)
class AccessCount:
    document_id: int
    notation: str
    subject: str
    views: int
    downloads: int
    prints: int

    @property
    def total(self) -> int:
        return self.views + self.downloads + self.prints


def history(
    session: Session, document_id: int, *, actor: Actor, limit: int = HISTORY_LIMIT
) -> list[DocumentAccess] | None:
    """Return the newest uses of a document, or None when the actor may not see them."""
    document = archive.get_document(session, document_id, actor)  # 404 outside the scope
    if not may_read_log(actor, document.organisation_id):
        return None
    return list(
        session.scalars(
            select(DocumentAccess)
            .where(DocumentAccess.document_id == document.id)
            .order_by(DocumentAccess.at.desc(), DocumentAccess.id.desc())
            .limit(limit)
        )
    )


def most_used(session: Session, *, actor: Actor, limit: int = 20) -> list[AccessCount]:
    """Return the most used documents of the actor's organisation, with counts per kind."""
    if actor.organisation is None or not may_read_log(actor, actor.organisation):
        return []

    scope = scope_clause(session, actor)  # a secret document only for who may see it
    visible_ids = select(Document.id).where(scope) if scope is not None else select(Document.id)
    rows = session.execute(
        select(
            DocumentAccess.document_id,
            func.count().label("total"),
        )
        .where(
            DocumentAccess.organisation_id == actor.organisation,
            DocumentAccess.document_id.in_(visible_ids),
        )
        .group_by(DocumentAccess.document_id)
        .order_by(func.count().desc(), DocumentAccess.document_id)
        .limit(limit)
    ).all()
    ids = [row.document_id for row in rows]
    if not ids:
        return []
    per_kind: dict[tuple[int, str], int] = {
        (doc, kind): n
        for doc, kind, n in session.execute(
            select(DocumentAccess.document_id, DocumentAccess.kind, func.count())
            .where(DocumentAccess.document_id.in_(ids))
            .group_by(DocumentAccess.document_id, DocumentAccess.kind)
        )
    }
    documents = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    return [
        AccessCount(
            document_id=i,
            notation=f"{documents[i].code_number}/{documents[i].symbol}",
            subject=documents[i].subject,
            views=per_kind.get((i, AccessKind.VIEW), 0),
            downloads=per_kind.get((i, AccessKind.DOWNLOAD), 0),
            prints=per_kind.get((i, AccessKind.PRINT), 0),
        )
        for i in ids
    ]
