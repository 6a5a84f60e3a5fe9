"""Search over a few thousand generated documents (bench/search_corpus.py, bulk-inserted):
the same documents in the same order on SQLite and PostgreSQL for every order, filter and
facet; deep pages equal the slice of the full list; counts are capped; scope holds in facets.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.search_corpus import load_postgresql, load_sqlite
from docgen.database import Database
from docgen.models import DocumentStatus
from docgen.policy import Actor, Role, system_actor
from docgen.services.search import Order, SearchQuery, count_matches, facets, search
from docgen.services.search import engine as search_engine

DOCUMENTS = 3000
CONSOLE = system_actor("kiểm thử")
QUERIES: dict[str, SearchQuery] = {
    "common words": SearchQuery(q="thi dua"),
    "upper case, diacritics": SearchQuery(q="THI ĐUA"),
    "phrase": SearchQuery(q='"dien hinh tien tien"'),
    "rare": SearchQuery(q="phu quoc"),
    "oldest": SearchQuery(q="thi dua", order=Order.OLDEST),
    "relevance": SearchQuery(q="xet chon", order=Order.RELEVANCE),
    "relevance phrase": SearchQuery(q='"dien hinh tien tien" nam', order=Order.RELEVANCE),
    "symbol with đ": SearchQuery(number="QĐ"),
    "symbol folded": SearchQuery(number="qd-ubnd", q="ke hoach"),
    "number and issuer": SearchQuery(number="05", issuer="so-01"),
    "type and year": SearchQuery(doctype="BC", year=2014),
    "issuer by name": SearchQuery(issuer="Sở Y tế", q="dich benh"),
    "unit": SearchQuery(unit="vhxh", year=2012),
    "signer": SearchQuery(signer="nguyen thanh nhan", order=Order.OLDEST),
    "recipient": SearchQuery(recipient="bo noi vu", q="du lich"),
    "dates": SearchQuery(date_from=date(2015, 3, 1), date_to=date(2015, 3, 31)),
    "withdrawn": SearchQuery(status=DocumentStatus.WITHDRAWN),
    "superseded with words": SearchQuery(status=DocumentStatus.SUPERSEDED, q="nam"),
}


def _load(backend: str, url: str) -> Database:
    if backend == "sqlite":
        load_sqlite(make_url(url).database, DOCUMENTS)
    else:
        load_postgresql(make_url(url).render_as_string(hide_password=False), DOCUMENTS)
    return Database.from_url(url)


@pytest.fixture(scope="module")
def corpora(request) -> Iterator[dict[str, Database]]:
    """Return a database per backend, each filled with the same generated documents."""
    from tests.conftest import BACKENDS

    out = {}
    for backend in BACKENDS:
        url = request.getfixturevalue("make_database")(backend)
        out[backend] = _load(backend, url)
    yield out
    for db in out.values():
        db.engine.dispose()


@pytest.fixture(scope="module")
def make_database(tmp_path_factory, request):
    """A module-scoped twin of the root ``make_database`` (the corpus is made once)."""
    import shutil
    import uuid

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("corpus") / f"c-{uuid.uuid4().hex[:6]}.sqlite3"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            return f"sqlite:///{path}"
        from tests.conftest import empty_postgres

        url = request.getfixturevalue("postgres_schema_url")
        empty_postgres(url)
        return url

    return make


def _all_ids(db: Database, query: SearchQuery, actor: Actor = CONSOLE) -> list[int]:
    """Return every match in order, walking the keyset pages (relevance: by page number)."""
    out: list[int] = []
    with db.session() as session:
        after, page = None, 1
        while True:
            step = SearchQuery(**{**query.__dict__, "per_page": 100, "after": after, "page": page})
            if query.order is Order.RELEVANCE:
                step = SearchQuery(**{**step.__dict__, "after": None})
            result = search(session, step, actor=actor)
            out += [h.document.id for h in result.items]
            if len(result.items) < 100:
                return out
            after, page = result.next_after, page + 1


def test_same_documents_in_the_same_order_on_every_backend(corpora):
    found = {
        backend: {name: _all_ids(db, q) for name, q in QUERIES.items()}
        for backend, db in corpora.items()
    }
    sqlite = found["sqlite"]
    for name in QUERIES:
        assert sqlite[name], f"{name}: no match in the generated corpus"
        assert len(set(sqlite[name])) == len(sqlite[name]), name
    assert sqlite["common words"] == sqlite["upper case, diacritics"]
    assert sqlite["oldest"] == list(reversed(sqlite["common words"]))
    assert sqlite["common words"] == sorted(sqlite["common words"], reverse=True)
    for one, other in itertools.pairwise(found.values()):
        assert one == other


def test_filters_mean_what_they_say(corpora):
    db = corpora["sqlite"]
    with db.session() as session:

        def rows(ids: list[int], columns: str) -> list[tuple]:
            sql = f"SELECT {columns} FROM document WHERE id IN ({','.join(map(str, ids))})"
            return session.execute(text(sql)).all()

        symbols = {r[0] for r in rows(_all_ids(db, QUERIES["symbol with đ"]), "symbol")}
        assert symbols and all(s.startswith("QĐ-") for s in symbols)
        everyone = session.scalar(text("SELECT count(*) FROM document WHERE symbol LIKE 'QĐ-%'"))
        assert len(_all_ids(db, QUERIES["symbol with đ"])) == everyone
        hits = rows(_all_ids(db, QUERIES["unit"]), "unit, year")
        assert {r for r in hits} == {("VHXH", 2012)}
        hits = rows(_all_ids(db, QUERIES["type and year"]), "doctype, year")
        assert set(hits) == {("bao-cao", 2014)}
        withdrawn = session.execute(
            text("SELECT document_id FROM document_event WHERE kind = 'withdrawn'")
        ).scalars()
        assert sorted(_all_ids(db, QUERIES["withdrawn"])) == sorted(withdrawn)


@pytest.mark.parametrize("order", [Order.NEWEST, Order.OLDEST, Order.RELEVANCE])
def test_page_50_is_the_slice_of_the_full_list(corpora, order):
    for db in corpora.values():
        query = SearchQuery(q="thi dua", order=order, per_page=20)
        everything = _all_ids(db, query)
        assert len(everything) > 1000
        with db.session() as session:
            page = search(session, SearchQuery(**{**query.__dict__, "page": 50}), actor=CONSOLE)
            assert [h.document.id for h in page.items] == everything[980:1000]
            if order is not Order.RELEVANCE:  # the keyset reaches the same page
                after = everything[979]
                by_key = search(
                    session, SearchQuery(**{**query.__dict__, "after": after}), actor=CONSOLE
                )
                assert [h.document.id for h in by_key.items] == everything[980:1000]


def test_relevance_puts_the_summary_first_then_newest(corpora):
    db = corpora["sqlite"]
    ids = _all_ids(db, QUERIES["relevance"])
    with db.session() as session:
        page = search(session, SearchQuery(q="xet chon", order=Order.RELEVANCE), actor=CONSOLE)
        subjects = dict(session.execute(text("SELECT id, subject FROM document")).all())
    in_summary = [i for i in ids if "xét chọn" in subjects[i].lower()]
    assert in_summary and ids[: len(in_summary)] == sorted(in_summary, reverse=True)
    assert ids[len(in_summary) :] == sorted(ids[len(in_summary) :], reverse=True)
    assert {h.score for h in page.items} <= {1.0, 2.0} and page.items[0].score == 2.0


def test_counts_are_exact_up_to_the_cap(corpora, monkeypatch):
    db = corpora["sqlite"]
    every = len(_all_ids(db, QUERIES["common words"]))
    with db.session() as session:
        assert count_matches(session, QUERIES["common words"], actor=CONSOLE) == (every, True)
        monkeypatch.setattr(search_engine, "COUNT_CAP", 100)
        page = search(session, QUERIES["common words"], actor=CONSOLE)
        assert (page.total, page.exact, page.pages) == (100, False, 5)


def test_facets_count_what_the_actor_may_see(corpora):
    """An outsider's facets never count the organisation's secret documents (not even 1)."""
    for db in corpora.values():
        with db.session() as session:
            truth = session.execute(
                text(
                    "SELECT d.year, d.doctype, r.kind FROM document d "
                    "JOIN register r ON r.id = d.register_id WHERE d.organisation_id = 'so-01'"
                )
            ).all()
            assert any(kind == "secret" for *_, kind in truth)
            clerk = Actor("chuyenvien.snv", "so-01", frozenset({Role.DRAFTER}), user_id=10**6)
            registrar = Actor("vanthu.snv", "so-01", frozenset({Role.REGISTRAR}), user_id=10**6)
            for actor, visible in (
                (clerk, [t for t in truth if t[2] != "secret"]),
                (registrar, truth),
            ):
                got = facets(session, SearchQuery(), actor=actor)
                assert {f.value: f.count for f in got.year} == {
                    str(y): n for y, n in Counter(t[0] for t in visible).items()
                }
                assert {f.value: f.count for f in got.doctype} == dict(
                    Counter(t[1] for t in visible)
                )
                assert {f.value for f in got.issuer} == {"so-01"}
                assert sum(f.count for f in got.status) == len(visible)
                assert search(session, SearchQuery(), actor=actor).total == len(visible)


def test_facets_are_the_same_on_every_backend(corpora):
    out = []
    for db in corpora.values():
        with db.session() as session:
            got = facets(session, SearchQuery(q="thi dua", year=2013), actor=CONSOLE)
            out.append([[(f.value, f.count) for f in values] for _k, _h, values in got.groups()])
    assert out[0][0] == [("2013", sum(n for _v, n in out[0][1]))]
    for one, other in itertools.pairwise(out):
        assert one == other
