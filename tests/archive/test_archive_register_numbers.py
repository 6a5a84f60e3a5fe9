"""Each register numbers on its own (migration 0004): the secret register may give the number
the general register gave, and migrating a populated archive keeps every row and its chain.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from docgen.database import make_engine, upgrade
from docgen.db import get_db
from docgen.errors import Conflict
from docgen.models import Document, DocumentEvent, DocumentText
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.lookup import load_records_into
from docgen.services.search import SearchQuery, search
from docgen.services.status import withdraw_document
from docgen.services.verify import verify_archive
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.helpers import api_body

_LETTER = "cong-van-de-nghi-2017"  # công văn of the UBND tỉnh, unit VHXH: "…/UBND-VHXH"
CONSOLE = system_actor("kiểm thử")


def _issue(app: Flask, clock, records, *, register: str | None = None) -> Document:
    request = IssueRequest(**{**records.document(_LETTER).request(), "register": register})
    with get_db(app).session() as session:
        document = issue_document(
            session, request, actor=CONSOLE, clock=clock, renderer=get_renderer(app)
        )
        session.commit()
        return document


def _unique_keys(app: Flask) -> set[tuple[str, ...]]:
    constraints = inspect(get_db(app).engine).get_unique_constraints("document")
    return {tuple(c["column_names"]) for c in constraints}


def test_secret_register_numbers_apart_from_the_general_one(app, api, loaded):
    def issue(**extra: object):
        response = api.post("/api/v1/documents", json=api_body(loaded, _LETTER, **extra))
        assert response.status_code == 201, response.json
        return response.json

    first, secret, second = issue(), issue(register="ubnd-tinh-mat"), issue()
    assert first["notation"] == secret["notation"] == "01/UBND-VHXH"
    assert second["notation"] == "02/UBND-VHXH"
    registers = {api.get(f"/api/v1/documents/{d['id']}").json["register"] for d in (first, secret)}
    assert registers == {"ubnd-tinh:general", "ubnd-tinh-mat"}
    assert ("register_id", "year", "number", "symbol") in _unique_keys(app)
    assert ("issuer", "year", "number", "symbol") not in _unique_keys(app)
    with get_db(app).session() as session:
        assert verify_archive(session).ok


@pytest.fixture(params=BACKENDS)
def database_at_0003(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """Yield the URL of a database migrated to 0003 only (the schema before this fix)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'before-0004.sqlite3'}"
        engine = make_engine(url)
        upgrade(engine, "0003")
        engine.dispose()
        yield url
        return
    assert POSTGRES_URL
    schema = f"docgen_0004_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine, "0003")
    engine.dispose()
    yield rendered
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


# Nullable columns later migrations add to tables this test fills at 0003 (today's models
# name them): they exist only while the rows are written, then the archive is 0003 again.
_LATER_COLUMNS = (
    ("organisation", "contact", "JSON"),  # 0007
    ("recipient_list", "organisation", "VARCHAR(64)"),  # 0008
    ("recipient_list", "draft_id", "INTEGER"),  # 0008
)


# Tables later migrations add that today's code writes when it issues (PostgreSQL only).
_LATER_TABLES = {
    "document_search_pair": "(document_id integer PRIMARY KEY, lexemes tsvector)",  # 0013
}


def _later_columns(app: Flask, verb: str) -> None:
    with get_db(app).engine.begin() as conn:
        for table, column, kind in _LATER_COLUMNS:
            tail = f" {kind}" if verb == "ADD" else ""
            conn.exec_driver_sql(f"ALTER TABLE {table} {verb} COLUMN {column}{tail}")
        if conn.dialect.name == "postgresql":
            for table, columns in _LATER_TABLES.items():
                sql = f"CREATE TABLE {table} {columns}" if verb == "ADD" else f"DROP TABLE {table}"
                conn.exec_driver_sql(sql)


def _snapshot(app: Flask) -> dict[str, object]:
    with get_db(app).session() as session:
        return {
            "documents": session.execute(
                select(Document.id, Document.number, Document.row_hash, Document.sealed).order_by(
                    Document.id
                )
            ).all(),
            "events": session.scalar(select(func.count()).select_from(DocumentEvent)),
            "texts": session.scalar(select(func.count()).select_from(DocumentText)),
        }


def test_migrating_a_populated_archive_keeps_rows_chain_and_guards(
    database_at_0003, app_factory, records, clock
):
    app = app_factory(database_at_0003)
    _later_columns(app, "ADD")  # today's code writes the rows an 0003 archive held
    with get_db(app).session() as session:  # campaigns (0010) did not exist yet
        load_records_into(session, dataclasses.replace(records, campaigns={}), actor=CONSOLE)
        session.commit()
    documents = [_issue(app, clock, records) for _ in range(3)]
    clock.set(datetime(2017, 3, 21, 9))
    with get_db(app).session() as session:
        withdraw_document(
            session, documents[1].id, reason="Ban hành nhầm", actor=CONSOLE, clock=clock
        )
        session.commit()
    with pytest.raises(Conflict):  # the probe's defect, before the migration
        _issue(app, clock, records, register="ubnd-tinh-mat")
    _later_columns(app, "DROP")
    before = _snapshot(app)

    upgrade(get_db(app).engine)

    assert _snapshot(app) == before
    with get_db(app).session() as session:
        report = verify_archive(session)
        assert report.ok, [f.message for f in report.findings]
        assert report.documents == 3 and report.events == 1
        found = search(session, SearchQuery(q="dien hinh tien tien"), actor=CONSOLE)
        assert {item.document.id for item in found.items} == {d.id for d in documents}
    secret = _issue(app, clock, records, register="ubnd-tinh-mat")
    assert secret.notation == "01/UBND-VHXH"
    # The rebuilt table still refuses changes at the SQL level, and its indexes are back.
    engine = get_db(app).engine
    for statement in ("UPDATE document SET subject = 'x'", "DELETE FROM document"):
        with pytest.raises(DBAPIError, match="immutable"), engine.begin() as conn:
            conn.execute(text(statement))
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("document")}
    assert {"ix_document_issuer", "ix_document_symbol_key_number"} <= indexes
    with get_db(app).session() as session:
        assert verify_archive(session).ok
