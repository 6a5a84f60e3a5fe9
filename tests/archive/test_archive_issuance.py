"""Issuing real records with the real renderer: numbers, dates, registers, bytes, metadata."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
import pytest
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.errors import Conflict, FieldError, NotFound, RuleError, TemplateNotFound
from docgen.models import (
    AuditEvent,
    Blob,
    Document,
    DocumentRecipient,
    DocumentText,
    Register,
    RegisterCounter,
)
from docgen.policy import system_actor
from docgen.rules.doctypes import get_doctype
from docgen.runtime import get_renderer
from docgen.services import issuance
from docgen.services.archive import blob_bytes, resolve_register
from docgen.services.chain import sha256_hex
from docgen.services.clock import VIETNAM
from docgen.services.issuance import issue_document
from docgen.services.lookup import DbRecordLookup


def _paragraphs(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return texts


def _counts(session) -> tuple[int, int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Document)),
        session.scalar(select(func.count()).select_from(Blob)),
        session.scalar(select(func.coalesce(func.sum(RegisterCounter.last_number), 0))),
        session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "issue")
        ),
    )


def test_issue_the_2017_plan_numbers_renders_and_stores_it(app, issue, session):
    first = issue()
    second = issue()
    assert (first.number, second.number) == (1, 2)
    assert second.notation == "02/KH-UBND"
    assert second.number_line == "Số: 02/KH-UBND"
    assert second.date_line == "Kiên Giang, ngày 20 tháng 3 năm 2017"

    stored = blob_bytes(session, second.blob_sha256)
    assert sha256_hex(stored) == second.blob_sha256
    text = "\n".join(_paragraphs(stored))
    assert "Số: 02/KH-UBND" in text
    assert "Kiên Giang, ngày 20 tháng 3 năm 2017" in text
    assert "Mai Văn Huỳnh" in text
    body = session.get(DocumentText, second.id).body
    assert "điển hình tiên tiến" in body and "Mai Văn Huỳnh" in body


def test_issued_document_carries_the_appendix_vi_metadata(issue, session, loaded):
    document = session.get(Document, issue().id)
    issuer = loaded.organisation("ubnd-tinh")
    assert document.file_organ_id == issuer.identifier
    assert (document.file_catalog, document.file_notation, document.doc_ordinal) == (None,) * 3
    assert document.type_name == "Kế hoạch"
    assert (document.code_number, document.code_notation) == ("01", "KH-UBND")
    assert document.issued_date == date(2017, 3, 20)
    assert document.organ_name == "Ủy ban nhân dân tỉnh Kiên Giang"
    assert document.subject.startswith("Tuyên truyền các phong trào thi đua yêu nước")
    assert document.language == "vi"
    assert (document.signer_position, document.signer_name) == ("PHÓ CHỦ TỊCH", "Mai Văn Huỳnh")
    assert document.signer_lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    the_list = loaded.recipient_list("ke-hoach-2017")
    names = [r.organ_name for r in session.scalars(
        select(DocumentRecipient).where(DocumentRecipient.document_id == document.id)
        .order_by(DocumentRecipient.position))]  # fmt: skip
    assert names == [*the_list.kinh_gui, *(e.name for e in the_list.noi_nhan)]
    assert document.issued_amount == issuance.issued_amount(the_list)
    assert document.issued_amount >= len(names)
    assert document.priority == 0 and document.due_date is None
    assert document.data["summary"] == document.subject
    assert document.actor == "văn thư"
    assert document.issued_at == datetime(2017, 3, 20, 9, tzinfo=VIETNAM)


def test_cong_van_takes_the_next_number_of_the_same_general_register(issue):
    plan = issue()
    letter = issue("cong-van-de-nghi-2017")
    assert plan.register_id == letter.register_id
    assert letter.notation == "02/UBND-VHXH"


def test_year_rollover_restarts_at_01(issue, clock):
    clock.set(datetime(2018, 1, 2, 8))
    last = issue(issue_date=date(2017, 12, 31))
    first = issue(issue_date=date(2018, 1, 1))
    assert (last.year, last.number) == (2017, 1)
    assert (first.year, first.number, first.code_number) == (2018, 1, "01")
    assert first.date_line == "Kiên Giang, ngày 01 tháng 01 năm 2018"


def test_backdating_is_refused_and_consumes_no_number(issue, clock, session):
    clock.set(datetime(2017, 3, 25, 9))
    issue(issue_date=date(2017, 3, 22))
    before = _counts(session)
    with pytest.raises(Conflict) as caught:
        issue(issue_date=date(2017, 3, 21))
    assert caught.value.code == "backdated_issue_date"
    assert "22/3/2017" in caught.value.message or "22/03/2017" in caught.value.message
    session.rollback()
    assert _counts(session) == before
    assert issue(issue_date=date(2017, 3, 22)).number == 2  # the same day is fine


def test_a_future_date_is_refused(issue, session):
    with pytest.raises(RuleError) as caught:
        issue(issue_date=date(2017, 3, 21))
    assert caught.value.code == "future_issue_date"
    assert "tương lai" in caught.value.message
    assert _counts(session) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"template": "khong-co"}, TemplateNotFound),
        ({"issuer": "khong-co"}, NotFound),
        ({"signer": "gd-snv-mau"}, FieldError),  # signs for another organisation
        ({"fields": {"body": []}}, FieldError),  # summary missing
        ({"priority": 7}, FieldError),
        ({"register": "khong-co"}, NotFound),
        ({"register": "ubnd-tinh-quyet-dinh"}, RuleError),  # a register for quyết định only
    ],
)
def test_invalid_requests_fail_before_taking_a_number(issue, session, overrides, error):
    with pytest.raises(error):
        issue(**overrides)
    session.rollback()
    assert _counts(session) == (0, 0, 0, 0)


def test_a_failure_after_the_number_was_taken_rolls_everything_back(
    app, issue, session, monkeypatch
):
    issue()

    def broken_index(*_args, **_kwargs):
        raise OSError("disk full while indexing")

    monkeypatch.setattr(issuance, "index_document", broken_index)
    with pytest.raises(OSError):
        issue()
    monkeypatch.undo()
    session.rollback()
    assert _counts(session) == (1, 1, 1, 1)
    assert issue().number == 2


def test_registers_follow_the_recorded_configuration(app, loaded):
    lookup_codes = {
        "quyet-dinh": "ubnd-tinh-quyet-dinh",
        "ban-sao-y": "ubnd-tinh-ban-sao",
        "ban-trich-sao": "ubnd-tinh-ban-sao",
        "ke-hoach": "ubnd-tinh:general",
        "cong-van": "ubnd-tinh:general",
    }
    with get_db(app).session() as session:
        org = DbRecordLookup(session).organisation("ubnd-tinh")
        for doctype, expected in lookup_codes.items():
            assert resolve_register(session, org, get_doctype(doctype)).code == expected
        council = DbRecordLookup(session).organisation("hdtdkt-tinh")
        assert resolve_register(session, council, get_doctype("ke-hoach")).code == "hdtdkt-tinh"
        secret = resolve_register(session, org, get_doctype("ke-hoach"), "ubnd-tinh-mat")
        assert secret.kind == "secret"
        with pytest.raises(RuleError):
            resolve_register(session, org, get_doctype("ke-hoach"), "ubnd-tinh-ban-sao")
        session.commit()
        general = session.scalars(select(Register).where(Register.code == "ubnd-tinh:general"))
        assert general.one().configured is False


def test_each_register_numbers_on_its_own(issue, session):
    """Decree 30 Đ15.2: secret documents have their own number system, so the secret register
    also starts at 01 (migration 0004; tests/archive/test_archive_register_numbers.py)."""
    plan = issue()
    secret = issue(register="ubnd-tinh-mat")
    assert plan.notation == secret.notation == "01/KH-UBND"
    assert plan.register_id != secret.register_id
    assert session.scalar(select(func.count()).select_from(Document)) == 2


def test_issuing_requires_an_actor(app, clock, request_for):
    with get_db(app).session() as session, pytest.raises(RuleError):
        issue_document(
            session,
            request_for(),
            actor=system_actor("  "),
            clock=clock,
            renderer=get_renderer(app),
        )
