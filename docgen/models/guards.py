"""ORM guards: issued documents, blobs, events, renditions and audit rows are never changed.

The database triggers created by the first migration refuse the same at the SQL level; these
guards fail earlier, inside the program, with a docgen error instead of a driver error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from docgen.errors import DocgenError
from docgen.models.archive import (
    AuditEvent,
    Blob,
    Document,
    DocumentEvent,
    DocumentRecipient,
    DocumentText,
    Rendition,
)
from docgen.models.dispatch import DispatchRecord
from docgen.models.dossier import Dossier, DossierFile

IMMUTABLE_CLASSES: tuple[type, ...] = (
    AuditEvent,
    Blob,
    DispatchRecord,  # dispatch marks: a correction is a new row (issue 9)
    Document,
    DocumentEvent,
    DocumentRecipient,
    DocumentText,
    Dossier,  # the submission dossier and its files: a rebuild is a new dossier (issue 10)
    DossierFile,
    Rendition,
)


class ImmutableRecordError(DocgenError):
    """Something tried to change or delete a record of the archive."""

    code = "immutable_record"
    http_status = 409


def _refuse(what: str) -> ImmutableRecordError:
    return ImmutableRecordError(
        f"Hồ sơ lưu trữ không được sửa hoặc xóa ({what}). Thu hồi hoặc thay thế văn bản "
        "bằng một bản ghi mới.",
        target=what,
    )


@event.listens_for(Session, "before_flush")
def _no_changes_to_archive(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, IMMUTABLE_CLASSES):
            raise _refuse(type(obj).__tablename__)  # type: ignore[attr-defined]
    for obj in session.dirty:
        if isinstance(obj, IMMUTABLE_CLASSES) and session.is_modified(obj):
            raise _refuse(type(obj).__tablename__)  # type: ignore[attr-defined]


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes_to_archive(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, IMMUTABLE_CLASSES):
        raise _refuse(mapper.class_.__tablename__)
