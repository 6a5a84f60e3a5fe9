"""``verify_archive`` and ``docgen verify``: a clean archive passes; each tampering is named."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.errors import FieldError
from docgen.models import Blob, Document, DocumentEvent, DocumentText, Rendition
from docgen.policy import system_actor
from docgen.services import chain
from docgen.services.archive import add_rendition
from docgen.services.status import withdraw_document
from docgen.services.verify import FindingKind, verify_archive


def _verify(app):
    with get_db(app).session() as session:
        return verify_archive(session)


def _archive(issue, app, clock):
    """Issue three documents, withdraw the second, add a PDF to the first."""
    docs = [issue(), issue(), issue("cong-van-de-nghi-2017")]
    clock.set(datetime(2017, 3, 21, 9))
    with get_db(app).session() as session:
        withdraw_document(
            session, docs[1].id, reason="Ban hành nhầm", actor=system_actor("vt"), clock=clock
        )
        add_rendition(
            session, docs[0].id, "pdf", b"%PDF fake", actor=system_actor("vt"), now=clock.now()
        )
        session.commit()
    return docs


def test_a_clean_archive_verifies_with_progress(app, issue, clock, tamper):
    _archive(issue, app, clock)
    calls: list[tuple[int, int]] = []
    with get_db(app).session() as session:
        report = verify_archive(session, progress=lambda done, total: calls.append((done, total)))
    assert report.ok, [f.message for f in report.findings]
    assert (report.documents, report.events, report.renditions, report.blobs) == (3, 1, 1, 4)
    assert calls[-1] == (9, 9)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_a_flipped_blob_byte_is_reported(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    with get_db(app).session() as session:
        content = bytearray(session.get(Blob, docs[1].blob_sha256).content)
    content[len(content) // 2] ^= 0x01
    tamper(
        "UPDATE blob SET content = :c WHERE sha256 = :s",
        params={"c": bytes(content), "s": docs[1].blob_sha256},
    )
    report = _verify(app)
    assert report.kinds() == {FindingKind.BLOB_CHANGED}
    assert docs[1].blob_sha256[:12] in report.findings[0].message
    assert report.findings[0].message.startswith("Tệp lưu trữ bị thay đổi")


def test_a_changed_metadata_field_is_named(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    tamper(
        "UPDATE document SET subject = 'Trích yếu khác' WHERE id = :i",
        params={"i": docs[0].id},
    )
    report = _verify(app)
    assert report.kinds() == {FindingKind.FIELD_CHANGED}
    (finding,) = report.findings
    assert finding.field == "subject"
    assert "01/KH-UBND" in finding.message and "Trích yếu khác" in finding.message


def test_a_changed_recipient_and_text_are_named(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    tamper(
        "UPDATE document_recipient SET organ_name = 'Nơi khác' "
        "WHERE document_id = :i AND position = 1",
        "UPDATE document_text SET body = body || ' thêm' WHERE document_id = :i",
        params={"i": docs[2].id},
    )
    fields = {f.field for f in _verify(app).findings}
    assert fields == {"to", "text_sha256"}


def test_a_deleted_document_is_reported_missing(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    gone = docs[2].id
    tamper(
        "DELETE FROM document_recipient WHERE document_id = :i",
        "DELETE FROM document_text WHERE document_id = :i",
        "DELETE FROM document WHERE id = :i",
        params={"i": gone},
    )
    report = _verify(app)
    messages = [f.message for f in report.findings]
    assert FindingKind.ROW_MISSING in report.kinds()
    assert any("số 03 năm 2017" in m for m in messages)  # the gap in the numbers
    assert any("vị trí 3 của chuỗi" in m for m in messages)  # the gap in the chain
    assert FindingKind.ORPHAN_BLOB in report.kinds()  # its bytes no longer belong to anything


def test_a_deleted_event_is_reported_missing(app, issue, clock, tamper):
    _archive(issue, app, clock)
    tamper("DELETE FROM document_event")
    report = _verify(app)
    assert report.kinds() == {FindingKind.ROW_MISSING}


def test_an_inserted_document_is_reported(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    columns = [c.key for c in Document.__table__.columns if c.key != "id"]
    listed = ", ".join(columns)
    values = ", ".join(
        {"number": "99", "code_number": "'99'", "chain_seq": "chain_seq + 10"}.get(c, c)
        for c in columns
    )
    tamper(
        f"INSERT INTO document ({listed}) SELECT {values} FROM document WHERE id = :i",
        params={"i": docs[0].id},
    )
    report = _verify(app)
    inserted = [f for f in report.findings if f.kind is FindingKind.ROW_INSERTED]
    assert inserted and all("99/KH-UBND" in f.message for f in inserted)


def test_a_rewritten_chain_link_breaks_the_chain(app, issue, clock, tamper):
    docs = _archive(issue, app, clock)
    tamper(
        "UPDATE document SET row_hash = :h WHERE id = :i",
        params={"h": "f" * 64, "i": docs[1].id},
    )
    kinds = _verify(app).kinds()
    assert FindingKind.SEAL_BROKEN in kinds and FindingKind.CHAIN_BROKEN in kinds


def test_verify_command_prints_findings_in_vietnamese_and_exits_1(
    app, runner, issue, clock, tamper
):
    docs = _archive(issue, app, clock)
    clean = runner.invoke(args=["verify"])
    assert clean.exit_code == 0, clean.output
    assert "Kho lưu trữ toàn vẹn" in clean.output
    assert "3 văn bản" in clean.output
    tamper(
        "UPDATE document SET organ_name = 'Cơ quan khác' WHERE id = :i",
        params={"i": docs[0].id},
    )
    broken = runner.invoke(args=["verify"])
    assert broken.exit_code == 1
    assert "Dữ liệu đặc tả bị sửa" in broken.output and "organ_name" in broken.output
    with get_db(app).session() as session:
        assert (
            session.scalar(select(Document.organ_name).where(Document.id == docs[0].id))
            == "Cơ quan khác"
        )


# The keys each kind of link has sealed since the first archive: changing them would make every
# archive sealed before the change look tampered, so they are spelled out here, not derived.
_DOCUMENT_KEYS = {
    "register_id", "year", "number", "symbol", "symbol_key", "doctype", "template", "issuer",
    "signer", "recipient_list", "unit", "file_organ_id", "file_catalog", "file_notation",
    "doc_ordinal", "type_name", "code_number", "code_notation", "issued_date", "organ_name",
    "organ_key", "subject", "language", "page_amount", "description", "signer_position",
    "signer_name", "signer_key", "priority", "issued_amount", "due_date", "title",
    "number_line", "date_line", "signer_lines", "data", "blob_sha256", "issued_at", "actor",
    "to", "text_sha256", "chain_seq", "prev_hash",
}  # fmt: skip
_EVENT_KEYS = {
    "register_id", "document_id", "document_hash", "kind", "related_document_id",
    "related_document_hash", "reason", "actor", "at", "chain_seq", "prev_hash",
}  # fmt: skip
_RENDITION_KEYS = {
    "kind", "register_id", "document_id", "document_hash", "blob_sha256", "page_count",
    "actor", "created_at", "chain_seq", "prev_hash",
}  # fmt: skip


def test_each_link_seals_the_fields_old_archives_sealed(app, issue, clock):
    _archive(issue, app, clock)
    with get_db(app).session() as session:
        for model, keys in (
            (Document, _DOCUMENT_KEYS),
            (DocumentEvent, _EVENT_KEYS),
            (Rendition, _RENDITION_KEYS),
        ):
            sealed = session.scalars(select(model.sealed)).all()
            assert sealed and all(set(json.loads(s)) == keys for s in sealed), model
    # A column added after archives were sealed (the owner for authorisation) is not sealed.
    assert "organisation_id" in Document.__table__.columns
    assert "organisation_id" not in _DOCUMENT_KEYS


def test_the_sealed_fields_are_defined_once_for_writers_and_verify(
    app, issue, clock, tamper, monkeypatch
):
    # Sealing one more column changes issuance and verify together: fresh documents verify
    # clean, and a change to that column is then caught by name.
    monkeypatch.setattr(
        chain, "DOCUMENT_SEALED_COLUMNS", (*chain.DOCUMENT_SEALED_COLUMNS, "organisation_id")
    )
    docs = _archive(issue, app, clock)
    assert "organisation_id" in json.loads(docs[0].sealed)
    assert _verify(app).ok
    tamper(
        "UPDATE document SET organisation_id = 'snv' WHERE id = :i",
        params={"i": docs[0].id},
    )
    (finding,) = _verify(app).findings
    assert (finding.kind, finding.field) == (FindingKind.FIELD_CHANGED, "organisation_id")


def test_a_changed_event_reason_and_rendition_page_count_are_named(app, issue, clock, tamper):
    _archive(issue, app, clock)
    tamper(
        "UPDATE document_event SET reason = 'Lý do khác'",
        "UPDATE rendition SET page_count = 7",
    )
    findings = {(f.kind, f.field) for f in _verify(app).findings}
    assert findings == {
        (FindingKind.FIELD_CHANGED, "reason"),
        (FindingKind.FIELD_CHANGED, "page_count"),
    }


def test_what_is_sealed_is_what_the_document_prints(app, issue, loaded, backend):
    fields = dict(loaded.document("ke-hoach-2017").fields)
    summary = "Kế hoạch {{ 7*7 }} <b>đậm</b> & “trích yếu”"
    document = issue(fields={**fields, "summary": summary})
    sealed = json.loads(document.sealed)
    assert sealed["data"]["summary"] == sealed["subject"] == summary
    with get_db(app).session() as session:
        body = session.scalar(
            select(DocumentText.body).where(DocumentText.document_id == document.id)
        )
    assert summary in body.splitlines()
    assert chain.sha256_hex(body) == sealed["text_sha256"]


@pytest.mark.parametrize("char", ["\a", "\f", "\r", "\n", "\t", "\x00", "\ud800"])
def test_a_field_the_document_cannot_print_is_refused_and_nothing_is_written(
    app, issue, loaded, char
):
    fields = dict(loaded.document("ke-hoach-2017").fields)
    with pytest.raises(FieldError) as caught:
        issue(fields={**fields, "summary": f"Kế hoạch{char}năm 2017"})
    assert caught.value.fields["summary"].startswith("“Trích yếu")
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_sealed_reason_or_note_with_unprintable_characters_is_refused(app, issue, clock):
    document = issue()
    with get_db(app).session() as session:
        with pytest.raises(FieldError) as caught:
            withdraw_document(
                session, document.id, reason="Nhầm\x00số", actor=system_actor("vt"), clock=clock
            )
        assert caught.value.fields == {
            "reason": "“Lý do” chứa ký tự NUL ở ký tự thứ 5; hãy xóa ký tự này"
        }
        event = withdraw_document(
            session,
            document.id,
            reason="Ban hành nhầm\r\nsố",
            actor=system_actor("vt"),
            clock=clock,
        )
        assert event.reason == "Ban hành nhầm\nsố"
    with pytest.raises(FieldError) as caught:
        issue(description="Ghi\tchú")
    assert caught.value.fields == {
        "description": "“Ghi chú” chứa dấu tab ở ký tự thứ 4; hãy xóa ký tự này"
    }
