"""PostgreSQL's word-pair and headline lexemes (migration 0013): phrases and "in the trích yếu"
find the same documents as SQLite's FTS5, a phrase never spans two columns, and the migration
completes an archive indexed before it.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from docgen.database import alembic_config, migration_connection
from docgen.services.search import Order, SearchQuery, search
from docgen.services.search.indexing import extra_lexemes
from docgen.services.search.query import parse_terms, tsquery_parts
from tests.archive.test_search_scale import (  # noqa: F401  (module fixtures)
    CONSOLE,
    _all_ids,
    corpora,
    make_database,
)

PHRASES: dict[str, SearchQuery] = {
    "rare pair in bodies": SearchQuery(q='"phu quoc"'),
    "pair in the signer": SearchQuery(q='"quoc trung"'),
    "pair in recipients and issuers": SearchQuery(q='"noi vu"'),
    "three words": SearchQuery(q='"hinh tien tien"', order=Order.OLDEST),
    "repeated word": SearchQuery(q='"tien tien"'),
    "phrase and word": SearchQuery(q='"kien giang" du lich'),
    "headline phrase, relevance": SearchQuery(q='"dien hinh tien tien"', order=Order.RELEVANCE),
    "headline pair, relevance": SearchQuery(q='"thi dua" nam', order=Order.RELEVANCE),
    "headline words, relevance": SearchQuery(q="kiem tra", order=Order.RELEVANCE),
    "body pair, relevance": SearchQuery(q='"phu quoc" nam', order=Order.RELEVANCE),
}


def test_lexemes_of_a_document_and_of_a_query():
    columns = {"subject": "thi dua nam 2017", "notation": "05 kh ubnd", "body": "phu quoc"}
    lexemes = extra_lexemes(columns)
    assert {"thi~dua", "05~kh", "h~thi", "h~thi~dua", "h~05", "phu~quoc"} <= set(lexemes)
    assert "2017~05" not in lexemes  # no pair across two columns
    assert "h~phu" not in lexemes and "h~phu~quoc" not in lexemes  # the body is no headline
    # (over the words' tsvector, over the pair table)
    assert tsquery_parts(parse_terms('"Phú Quốc"')) == ("", "'phu~quoc'")
    assert tsquery_parts(parse_terms("THI ĐUA")) == ("'thi' & 'dua'", "")
    assert tsquery_parts(parse_terms('"a b c" d')) == (
        "('a' <-> 'b' <-> 'c') & 'd'",
        "'a~b' & 'b~c'",
    )
    assert tsquery_parts(parse_terms("thi"), headline=True) == ("", "'h~thi'")
    assert tsquery_parts(parse_terms('"tien tien"'), headline=True) == ("", "'h~tien~tien'")
    assert tsquery_parts(parse_terms('"a b c"'), headline=True) == (
        "('a':A <-> 'b':A <-> 'c':A)",
        "'h~a~b' & 'h~b~c'",
    )


def test_phrases_find_the_same_documents_on_every_backend(corpora):  # noqa: F811
    found = {
        backend: {name: _all_ids(db, q) for name, q in PHRASES.items()}
        for backend, db in corpora.items()
    }
    for name in PHRASES:
        assert found["sqlite"][name], f"{name}: no match in the generated corpus"
    for backend, results in found.items():
        assert results == found["sqlite"], backend


def test_a_phrase_never_spans_two_columns(corpora):  # noqa: F811
    """A trích yếu ends "năm 2015", a number begins "01": "2015 01" is in no column."""
    for backend, db in corpora.items():
        with db.session() as session:
            got = search(session, SearchQuery(q='"2015 01"'), actor=CONSOLE)
            assert got.total == 0, backend
            assert search(session, SearchQuery(q="2015 01"), actor=CONSOLE).total > 0, backend


def _migrate(db, revision: str, *, down: bool = False) -> None:
    with migration_connection(db.engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def test_migration_0013_gives_an_older_index_its_pair_lexemes(corpora, capsys):  # noqa: F811
    """PostgreSQL: 0013 makes the pair table from the archived text (the same lexemes as
    indexing makes: the same results). SQLite: FTS5 keeps positions, 0013 changes nothing."""
    for backend, db in corpora.items():
        expected = {name: _all_ids(db, q) for name, q in PHRASES.items()}
        _migrate(db, "0012", down=True)  # as the index was before 0013
        if backend == "postgresql":
            with db.engine.connect() as conn:
                assert "document_search_pair" not in inspect(conn).get_table_names()
        else:
            assert _all_ids(db, PHRASES["rare pair in bodies"]) == expected["rare pair in bodies"]
        capsys.readouterr()
        _migrate(db, "head")
        assert {name: _all_ids(db, q) for name, q in PHRASES.items()} == expected, backend
        printed = capsys.readouterr().out
        if backend == "postgresql":
            assert "0013: 3000 documents given pair lexemes" in printed
