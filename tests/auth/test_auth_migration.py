"""Migration 0002 on a database that already holds documents: organisation_id is filled from
the issuer, the archive's triggers still refuse changes, and the chain still verifies."""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from docgen.database import alembic_config, make_engine, migration_connection, upgrade
from tests.conftest import BACKENDS, POSTGRES_URL

ORG = {
    "code": "ubnd-tinh", "name": "Ủy ban nhân dân tỉnh", "kind": "province",
    "header_parent_lines": "[]", "header_lines": "[]", "units": "[]", "sample": False,
    "sources": "[]",
}  # fmt: skip
REGISTER = {
    "id": 1, "code": "ubnd-tinh:general", "organisation": "ubnd-tinh", "name": "Sổ",
    "kind": "general", "doctypes": "[]", "configured": True, "chain_seq": 1,
    "head_hash": "a" * 64,
}  # fmt: skip
DOCUMENT = {
    "id": 1, "year": 2017, "number": 5, "symbol": "KH-UBND", "symbol_key": "kh-ubnd",
    "doctype": "ke-hoach", "template": "ke-hoach", "issuer": "ubnd-tinh", "type_name": "Kế hoạch",
    "code_number": "05", "code_notation": "KH-UBND", "issued_date": "2017-03-20",
    "organ_name": "UBND tỉnh", "organ_key": "ubnd tinh", "subject": "Thi đua",
    "language": "vi", "priority": 0, "title": "KẾ HOẠCH", "number_line": "Số: 05/KH-UBND",
    "date_line": "…", "signer_lines": "[]", "data": "{}", "blob_sha256": "b" * 64,
    "issued_at": "2017-03-20 02:00:00", "actor": "văn thư", "chain_seq": 1,
    "prev_hash": "0" * 64, "row_hash": "a" * 64, "sealed": "{}", "register_id": 1,
}  # fmt: skip


def _insert(conn, table: str, row: dict) -> None:
    columns = ", ".join(row)
    values = ", ".join(f":{k}" for k in row)
    conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    """Yield an engine on an empty, unmigrated database (SQLite; PostgreSQL when configured)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"docgen_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def _to(engine, revision: str, *, down: bool = False) -> None:
    with migration_connection(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def test_0002_fills_organisation_id_and_keeps_the_archive_immutable(engine):
    upgrade(engine, "0001")
    with engine.begin() as conn:
        _insert(conn, "organisation", ORG)
        _insert(conn, "register", REGISTER)
        _insert(conn, "blob", {"sha256": "b" * 64, "size": 1, "content": b"x",
                               "created_at": "2017-03-20 02:00:00"})  # fmt: skip
        _insert(conn, "document", DOCUMENT)
        _insert(conn, "document_text", {"document_id": 1, "body": "thi đua"})
    upgrade(engine, "0002")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT organisation_id FROM document")).scalar() == "ubnd-tinh"
        assert conn.execute(text("SELECT organisation_id FROM register")).scalar() == "ubnd-tinh"
        assert conn.execute(text("SELECT body FROM document_text")).scalar() == "thi đua"
    for statement in ("UPDATE document SET subject = 'x'", "DELETE FROM document"):
        with pytest.raises(DBAPIError, match="immutable"), engine.begin() as conn:
            conn.execute(text(statement))
    columns = {c["name"]: c for c in inspect(engine).get_columns("document")}
    assert columns["organisation_id"]["nullable"] is False
    fks = inspect(engine).get_foreign_keys("document")
    assert any(fk["constrained_columns"] == ["organisation_id"] for fk in fks)
    _to(engine, "0001", down=True)
    assert "organisation_id" not in {c["name"] for c in inspect(engine).get_columns("document")}
    assert "user_account" not in inspect(engine).get_table_names()
    with pytest.raises(DBAPIError, match="immutable"), engine.begin() as conn:
        conn.execute(text("DELETE FROM document"))
