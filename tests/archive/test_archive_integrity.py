"""One document's integrity check: every check reported; a flipped byte, a changed field and a
broken link named; another organisation's document is a 404."""

from __future__ import annotations

from datetime import datetime

import pytest

from docgen.db import get_db
from docgen.errors import NotFound
from docgen.policy import system_actor
from docgen.services import accounts
from docgen.services.accounts import actor_for
from docgen.services.archive import add_rendition
from docgen.services.integrity import check_document
from docgen.services.status import withdraw_document
from docgen.services.verify import FindingKind
from tests.helpers import make_user


def _check(app, document_id: int, actor=None):
    with get_db(app).session() as session:
        return check_document(
            session, document_id, actor=actor or system_actor("lưu trữ"), now=datetime.now()
        )


def _archive(app, issue, clock):
    docs = [issue(), issue(), issue()]
    clock.set(datetime(2017, 3, 21, 9))
    with get_db(app).session() as session:
        withdraw_document(
            session, docs[1].id, reason="Ban hành nhầm", actor=system_actor("vt"), clock=clock
        )
        add_rendition(
            session, docs[1].id, "pdf", b"%PDF-1.7 fake", actor=system_actor("vt"), now=clock.now()
        )
        session.commit()
    return docs


def test_a_clean_document_lists_every_check_passed(app, issue, clock):
    docs = _archive(app, issue, clock)
    result = _check(app, docs[1].id)
    assert result.ok, [f.message for f in result.findings]
    titles = [check.what for check in result.checks]
    assert any("Băm lại tệp DOCX" in t for t in titles)
    assert any("Dữ liệu đặc tả" in t for t in titles)
    assert any(t.startswith("Niêm phong của sự kiện") for t in titles)  # its withdrawal
    assert any("bản PDF" in t for t in titles)
    assert sum("chuỗi băm" in t for t in titles) == 3  # the document, its event, its PDF


def test_a_flipped_byte_a_changed_field_and_a_broken_link_are_named(app, issue, clock, tamper):
    docs = _archive(app, issue, clock)
    tamper(
        "UPDATE blob SET content = :c WHERE sha256 = :s",
        params={"c": b"PK changed", "s": docs[0].blob_sha256},
    )
    first = _check(app, docs[0].id)
    assert FindingKind.BLOB_CHANGED in {f.kind for f in first.findings}
    assert _check(app, docs[2].id).ok  # another document's bytes are untouched

    tamper("UPDATE document SET subject = 'Sửa' WHERE id = :i", params={"i": docs[2].id})
    third = _check(app, docs[2].id)
    assert {f.field for f in third.findings if f.kind is FindingKind.FIELD_CHANGED} == {"subject"}

    tamper(
        "UPDATE document SET prev_hash = :h WHERE id = :i", params={"h": "a" * 64, "i": docs[2].id}
    )
    broken = _check(app, docs[2].id)
    assert FindingKind.CHAIN_BROKEN in {f.kind for f in broken.findings}


def test_another_organisations_document_is_not_found(app, issue, clock):
    docs = _archive(app, issue, clock)
    outsider = make_user(app, "luutru-snv", organisation="snv", roles=("archivist",))
    with get_db(app).session() as session:
        actor = actor_for(accounts.get_user(session, outsider.id))
        with pytest.raises(NotFound):
            check_document(session, docs[0].id, actor=actor, now=datetime.now())


def test_a_deleted_withdrawal_is_caught_by_its_neighbours(app, issue, clock, tamper):
    docs = _archive(app, issue, clock)  # chain: doc0, doc1, doc2, withdrawal of doc1, its PDF
    assert _check(app, docs[1].id).ok and (
        sum("chuỗi băm" in c.what for c in _check(app, docs[1].id).checks) == 3
    )
    tamper("DELETE FROM document_event WHERE document_id = :i", params={"i": docs[1].id})
    after_delete = _check(app, docs[1].id)  # its PDF no longer follows the link before it
    assert FindingKind.CHAIN_BROKEN in {f.kind for f in after_delete.findings}


def test_a_deleted_last_link_and_a_moved_head_are_caught(app, issue, clock, tamper):
    document = issue()
    with get_db(app).session() as session:
        withdraw_document(
            session, document.id, reason="Nhầm", actor=system_actor("vt"), clock=clock
        )
        session.commit()
    assert _check(app, document.id).ok
    tamper("DELETE FROM document_event WHERE document_id = :i", params={"i": document.id})
    missing = _check(app, document.id)  # the page must not call a withdrawn document intact
    assert FindingKind.ROW_MISSING in {f.kind for f in missing.findings}
    tamper("UPDATE register SET chain_seq = 1 WHERE id = :r", params={"r": document.register_id})
    moved = _check(app, document.id)  # now it is the last link: it must be the register's head
    assert FindingKind.CHAIN_BROKEN in {f.kind for f in moved.findings}
