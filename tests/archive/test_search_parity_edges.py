"""Search edges where PostgreSQL once answered differently from SQLite (review of issue 11):
characters PostgreSQL's parser drops (m², CO₂, ①), phrases of three words running from one
column into the next, relevance order losing a document whose phrase also crossed two
columns, and words too long for a PostgreSQL lexeme. Each query's documents are stated, so
the same test on both engines checks that they agree."""

from __future__ import annotations

from datetime import datetime

import pytest

from docgen.db import get_db
from docgen.policy import system_actor
from docgen.services.clock import VIETNAM
from docgen.services.search import Order, SearchQuery, search
from tests.helpers import issue_record

CONSOLE = system_actor("kiểm thử")
RECORD = "cong-van-de-nghi-2017"  # its trích yếu ends "năm 2017"; numbers 01, 02… in order
LONG = "a" * 1100


def _issue(app, records, clock, *extra: str) -> int:
    fields = dict(records.document(RECORD).request()["fields"])
    fields["body"] = [*fields["body"], *({"kind": "para", "text": t} for t in extra)]
    return issue_record(app, records, clock, RECORD, fields=fields).id


@pytest.fixture
def docs(app, records, clock, loaded):
    clock.set(datetime(2017, 5, 2, 9, tzinfo=VIETNAM))
    return {
        # 01/UBND-VHXH: "… năm 2017" then "01": crossing, and "2017 01" in its body too
        "crossing": _issue(app, records, clock, "Mã hồ sơ 2017 01 kèm theo."),
        "symbols": _issue(
            app, records, clock, "Diện tích 250 m² đất ở, dự án 5km², khí CO₂, mục ①."
        ),
        "long": _issue(app, records, clock, f"Chuỗi {LONG} {LONG.replace('a', 'b')} dài."),
    }


CASES = {
    "a superscript word": ("m²", Order.NEWEST, {"symbols"}),
    "its compatibility form": ("M2", Order.NEWEST, {"symbols"}),
    "a superscript inside a word": ("5km²", Order.NEWEST, {"symbols"}),
    "a subscript": ("co₂", Order.NEWEST, {"symbols"}),
    "a phrase with a superscript": ('"250 m² đất"', Order.NEWEST, {"symbols"}),
    "a circled digit in a phrase": ('"muc ①"', Order.NEWEST, {"symbols"}),
    "three words across trích yếu and number": ('"nam 2017 01"', Order.NEWEST, set()),
    "the same in a body": ('"ma ho so 2017 01"', Order.NEWEST, {"crossing"}),
    "a pair crossing columns, in the body, by relevance": (
        '"2017 01" gioi',
        Order.RELEVANCE,
        {"crossing"},
    ),
    # no word is that long: it is ignored, like punctuation (both engines list everything)
    "a word longer than any lexeme": (LONG, Order.NEWEST, {"crossing", "symbols", "long"}),
    "the words around it": ('"chuoi"', Order.NEWEST, {"long"}),
}


@pytest.mark.parametrize("name", CASES)
def test_both_engines_find_exactly_these_documents(app, docs, name):
    q, order, expected = CASES[name]
    with get_db(app).session() as session:
        page = search(session, SearchQuery(q=q, order=order, per_page=100), actor=CONSOLE)
    by_id = {v: k for k, v in docs.items()}
    assert {by_id.get(hit.document.id, hit.document.id) for hit in page.items} == expected


def test_migration_0013_rebuilds_an_index_made_before_the_search_form(app, docs, capsys):
    """An archive indexed before 0013 holds "m²" (SQLite) or "m" (PostgreSQL's parser) and a
    tsvector with no gap between columns; after 0013 "m2" and "m²" find the document and a
    phrase no longer runs from the trích yếu into the number, on both engines."""
    from alembic import command
    from sqlalchemy import text

    from docgen.database import alembic_config, migration_connection
    from docgen.rules.text import fold, nfc
    from docgen.services.search.indexing import _WORD

    def old_words(value: str) -> str:  # index_words before the search form
        return " ".join(_WORD.findall(fold(nfc(value))))

    def migrate(revision: str, down: bool = False) -> None:
        with migration_connection(db.engine) as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, revision)

    db = get_db(app)
    sqlite = db.engine.dialect.name == "sqlite"
    migrate("0012", down=True)
    with db.engine.begin() as conn:  # the index as the code before 0013 made it
        rows = conn.execute(text(
            "SELECT d.id, d.subject, d.code_number || '/' || d.symbol, d.organ_name || ' ' ||"
            " d.issuer, coalesce(d.signer_name, ''), t.body FROM document d"
            " JOIN document_text t ON t.document_id = d.id"
        )).all()  # fmt: skip
        if sqlite:
            conn.execute(text("INSERT INTO document_fts(document_fts) VALUES ('delete-all')"))
        else:
            conn.execute(text("DELETE FROM document_search"))
        for id_, *values in rows:
            subject, notation, issuer, signer, body = (old_words(v) for v in values)
            params = {"id": id_, "s": subject, "n": notation, "i": issuer, "g": signer, "b": body}
            if sqlite:
                conn.execute(text(
                    "INSERT INTO document_fts(rowid, subject, notation, issuer, signer,"
                    " recipients, body) VALUES (:id, :s, :n, :i, :g, '', :b)"
                ), params)  # fmt: skip
            else:
                conn.execute(text(
                    "INSERT INTO document_search(document_id, tsv) VALUES (:id,"
                    " setweight(to_tsvector('simple', :s), 'A') ||"
                    " setweight(to_tsvector('simple', :n), 'A') ||"
                    " setweight(to_tsvector('simple', :i), 'B') ||"
                    " setweight(to_tsvector('simple', :g), 'B') ||"
                    " setweight(to_tsvector('simple', :b), 'D'))"
                ), params)  # fmt: skip
    if sqlite:  # before 0013, SQLite kept "m²" as a word: "m2" did not find it
        with db.session() as session:
            assert search(session, SearchQuery(q="m2"), actor=CONSOLE).total == 0
    capsys.readouterr()
    migrate("head")
    assert "0013:" in capsys.readouterr().out
    with db.session() as session:
        for q, expected in (("m2", {docs["symbols"]}), ("m²", {docs["symbols"]}),
                            ('"nam 2017 01"', set())):  # fmt: skip
            found = {h.document.id for h in search(session, SearchQuery(q=q), actor=CONSOLE).items}
            assert found == expected, q
