"""Nothing archived can be changed or deleted; withdrawal and supersession are new records."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from docgen.db import get_db
from docgen.errors import Conflict, FieldError, RuleError
from docgen.models import (
    AuditEvent,
    Blob,
    Document,
    DocumentEvent,
    DocumentStatus,
    ImmutableRecordError,
)
from docgen.policy import system_actor
from docgen.services.archive import add_rendition, describe_document
from docgen.services.status import supersede_document, withdraw_document

CONSOLE = system_actor("kiểm thử")


def test_orm_refuses_to_update_or_delete_an_issued_document(issue, session):
    document = session.get(Document, issue().id)
    document.subject = "Trích yếu đã sửa"
    with pytest.raises(ImmutableRecordError):
        session.flush()
    session.rollback()
    with pytest.raises(ImmutableRecordError):
        session.delete(session.get(Blob, document.blob_sha256))
        session.flush()
    session.rollback()
    with pytest.raises(ImmutableRecordError):
        session.execute(update(Document).values(subject="x"))
    with pytest.raises(ImmutableRecordError):
        session.execute(delete(AuditEvent))
    session.rollback()
    assert session.get(Document, document.id).subject.startswith("Tuyên truyền")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE document SET subject = 'x'",
        "DELETE FROM document_text",
        "UPDATE blob SET size = size + 1",
        "DELETE FROM audit_event",
    ],
)
def test_database_triggers_refuse_raw_changes(app, issue, statement):
    issue()
    with get_db(app).engine.connect() as conn, pytest.raises(DatabaseError, match="immutable"):
        conn.execute(text(statement))


@pytest.mark.parametrize("table", ["document", "audit_event", "blob"])
def test_a_replacing_insert_is_a_delete_and_refused_too(app, issue, table):
    """SQLite's INSERT OR REPLACE deletes the row it conflicts with; the delete trigger must
    fire (recursive triggers on), or a row could be rewritten without an UPDATE or DELETE."""
    issue()
    if get_db(app).engine.dialect.name != "sqlite":
        statement = f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1 ON CONFLICT DO NOTHING"
        with get_db(app).engine.begin() as conn:  # PostgreSQL has no REPLACE: nothing to fear
            assert conn.execute(text(statement)).rowcount == 0
        return
    with get_db(app).engine.connect() as conn, pytest.raises(DatabaseError, match="immutable"):
        conn.execute(text(f"INSERT OR REPLACE INTO {table} SELECT * FROM {table} LIMIT 1"))


def test_withdrawal_is_a_new_event_and_freezes_the_document(app, issue, clock, session):
    document = issue()
    clock.set(datetime(2017, 3, 22, 10))
    event = withdraw_document(
        session,
        document.id,
        reason="Sai thẩm quyền ban hành",
        actor=system_actor("chánh văn phòng"),
        clock=clock,
    )
    session.commit()
    view = describe_document(session, document.id, CONSOLE)
    assert view.status is DocumentStatus.WITHDRAWN
    assert [(e.kind, e.reason, e.actor) for e in view.events] == [
        ("withdrawn", "Sai thẩm quyền ban hành", "chánh văn phòng")
    ]
    assert event.register_id == document.register_id and event.chain_seq == 2
    assert view.document.subject == document.subject  # still there, unchanged
    with pytest.raises(Conflict):
        withdraw_document(
            session, document.id, reason="lần hai", actor=system_actor("x"), clock=clock
        )
    session.rollback()
    with pytest.raises(FieldError):
        withdraw_document(session, document.id, reason=" ", actor=system_actor("x"), clock=clock)


def test_supersession_and_correction_rules(app, issue, clock, session):
    clock.set(datetime(2017, 4, 1, 9))
    original = issue(issue_date=date(2017, 3, 20))
    letter = issue("cong-van-de-nghi-2017", issue_date=date(2017, 3, 25))
    replacement = issue(issue_date=date(2017, 3, 28))

    with pytest.raises(RuleError, match="hình thức tương đương"):
        supersede_document(
            session, original.id, by=letter.id, reason="r", actor=system_actor("a"), clock=clock
        )
    session.rollback()
    supersede_document(
        session,
        original.id,
        by=letter.id,
        reason="Sai năm",
        actor=system_actor("a"),
        clock=clock,
        correction=True,
    )
    session.commit()
    assert describe_document(session, original.id, CONSOLE).status is DocumentStatus.CORRECTED

    supersede_document(
        session,
        original.id,
        by=replacement.id,
        reason="Nội dung sai",
        actor=system_actor("a"),
        clock=clock,
    )
    session.commit()
    view = describe_document(session, original.id, CONSOLE)
    assert view.status is DocumentStatus.SUPERSEDED
    assert [e.related_document_id for e in view.events] == [letter.id, replacement.id]
    with pytest.raises(Conflict):
        withdraw_document(session, original.id, reason="r", actor=system_actor("a"), clock=clock)
    session.rollback()
    with pytest.raises(RuleError, match="chính nó"):
        supersede_document(
            session,
            replacement.id,
            by=replacement.id,
            reason="r",
            actor=system_actor("a"),
            clock=clock,
        )
    session.rollback()
    with pytest.raises(RuleError, match="trước"):
        supersede_document(
            session,
            replacement.id,
            by=letter.id,
            reason="r",
            actor=system_actor("a"),
            clock=clock,
            correction=True,
        )
    session.rollback()
    kinds = session.scalars(select(DocumentEvent.kind).order_by(DocumentEvent.id)).all()
    assert kinds == ["corrected", "superseded"]


def test_renditions_are_stored_chained_and_unique_per_kind(issue, clock, session):
    document = issue()
    pdf = b"%PDF-1.7 test rendition"
    rendition = add_rendition(
        session,
        document.id,
        "pdf",
        pdf,
        actor=system_actor("converter"),
        now=clock.now(),
        page_count=3,
    )
    session.commit()
    assert rendition.chain_seq == 2 and rendition.prev_hash == document.row_hash
    assert session.get(Blob, rendition.blob_sha256).content == pdf
    with pytest.raises(Conflict):
        add_rendition(
            session, document.id, "pdf", pdf, actor=system_actor("converter"), now=clock.now()
        )
    session.rollback()
    with pytest.raises(RuleError):
        add_rendition(
            session, document.id, "png", pdf, actor=system_actor("converter"), now=clock.now()
        )
