"""Chain anchors: a whole register chain rewritten consistently passes ``verify`` alone and is
caught by ``verify --anchor`` with the head saved before the rewrite."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select, text

from docgen.db import get_db
from docgen.models import Document, Register
from docgen.models.archive import GENESIS_HASH
from docgen.services import chain
from docgen.services.anchors import AnchorError, chain_heads, check_anchor, parse_anchor
from docgen.services.verify import FindingKind, verify_archive


def _rewrite_register_chain(app, tamper, register_id: int, document_id: int, subject: str) -> None:
    """Change one document's subject and re-seal every link of its register, as an attacker
    with database access would: every hash recomputed, the register head moved."""
    engine = get_db(app).engine
    links = []
    with engine.connect() as conn:
        for table in ("document", "document_event", "rendition"):
            rows = conn.execute(
                text(f"SELECT id, chain_seq, sealed FROM {table} WHERE register_id = :r"),
                {"r": register_id},
            )
            links += [(seq, table, row_id, json.loads(sealed)) for row_id, seq, sealed in rows]
    links.sort(key=lambda link: link[0])
    statements, params = [], {}
    prev = GENESIS_HASH
    new_hashes: dict[str, str] = {}  # old row hash of a document → its new one
    for _seq, table, row_id, body in links:
        if table == "document" and row_id == document_id:
            body["subject"] = subject
            statements.append(f"UPDATE document SET subject = :subject WHERE id = {row_id}")
            params["subject"] = subject
        for key in ("document_hash", "related_document_hash"):
            if body.get(key) in new_hashes:
                body[key] = new_hashes[body[key]]
        body["prev_hash"] = prev
        sealed = chain.canonical_json(body)
        row_hash = chain.sha256_hex(sealed)
        if table == "document":
            with engine.connect() as conn:
                old = conn.execute(
                    text("SELECT row_hash FROM document WHERE id = :i"), {"i": row_id}
                ).scalar_one()
            new_hashes[old] = row_hash
        key = f"s{table}{row_id}"
        params[key], params[f"h{key}"], params[f"p{key}"] = sealed, row_hash, prev
        statements.append(
            f"UPDATE {table} SET sealed = :{key}, row_hash = :h{key}, prev_hash = :p{key} "
            f"WHERE id = {row_id}"
        )
        prev = row_hash
    params["head"] = prev
    statements.append(f"UPDATE register SET head_hash = :head WHERE id = {register_id}")
    tamper(*statements, params=params)


def test_a_consistent_rewrite_passes_verify_but_not_the_anchor(app, issue, clock, tamper, runner):
    docs = [issue(), issue()]
    clock.set(datetime(2017, 3, 22, 9))
    docs.append(issue())
    saved = runner.invoke(args=["anchor"])
    assert saved.exit_code == 0, saved.output
    with get_db(app).session() as session:
        heads = chain_heads(session)
        register_code = session.scalar(
            select(Register.code).where(Register.id == docs[0].register_id)
        )
    assert [h.register for h in heads] == [register_code]
    assert heads[0].seq == 3
    assert heads[0].line in saved.output

    _rewrite_register_chain(app, tamper, docs[0].register_id, docs[0].id, "Nội dung đã bị sửa")

    with get_db(app).session() as session:
        assert session.get(Document, docs[0].id).subject == "Nội dung đã bị sửa"
        assert verify_archive(session).ok  # the rewrite is consistent: verify alone passes it
        findings = check_anchor(session, parse_anchor(saved.output))
    assert [f.kind for f in findings] == [FindingKind.ANCHOR_MISMATCH]
    assert "chuỗi đã bị viết lại" in findings[0].message


def test_verify_with_an_anchor_file_exits_1_after_a_rewrite(
    app, issue, clock, tamper, runner, tmp_path
):
    docs = [issue(), issue()]
    anchor = tmp_path / "dau-chuoi.txt"
    assert runner.invoke(args=["anchor", "--out", str(anchor)]).exit_code == 0
    ok = runner.invoke(args=["verify", "--anchor", str(anchor)])
    assert ok.exit_code == 0, ok.output
    assert "Đã đối chiếu 1 đầu chuỗi" in ok.output and "Kho lưu trữ toàn vẹn" in ok.output

    issue()  # the chain grows after the anchor: still fine
    assert runner.invoke(args=["verify", "--anchor", str(anchor)]).exit_code == 0

    _rewrite_register_chain(app, tamper, docs[1].register_id, docs[1].id, "Sửa lén")
    assert runner.invoke(args=["verify"]).exit_code == 0
    caught = runner.invoke(args=["verify", "--anchor", str(anchor)])
    assert caught.exit_code == 1
    assert "Chuỗi băm khác đầu chuỗi đã in" in caught.output


def test_a_shortened_chain_and_an_unknown_register_are_reported(app, issue, session):
    issue()
    heads = chain_heads(session)
    longer = [type(heads[0])(heads[0].register, heads[0].seq + 5, heads[0].hash)]
    assert "đã bị xóa" in check_anchor(session, longer)[0].message
    unknown = [type(heads[0])("khong-co", 1, heads[0].hash)]
    assert "không còn trong kho" in check_anchor(session, unknown)[0].message


@pytest.mark.parametrize(
    "bad",
    ["", "# only a comment\n", "so-a 3\n", "so-a x " + "a" * 64, "so-a 3 " + "z" * 64],
)
def test_a_malformed_anchor_is_refused_in_vietnamese(bad: str) -> None:
    with pytest.raises(AnchorError) as caught:
        parse_anchor(bad)
    assert "đầu chuỗi" in caught.value.message


def test_an_anchor_retyped_from_paper_with_extra_spaces_and_upper_case_parses() -> None:
    line = "ubnd-tinh:general   12    " + "AB" * 32
    assert parse_anchor(line)[0].hash == "ab" * 32
