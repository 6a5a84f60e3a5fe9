"""Search benchmark (issue 11): p50/p95 of ``docgen.services.search.search`` (one page of 20
with the capped total, statuses and snippets) beside the bare engine doing the same query
(raw FTS5 / raw tsquery SQL) in the same run, on SQLite or PostgreSQL.

    .venv/bin/python bench/bench_search.py --backend sqlite --documents 1000000 \
        --database /tmp/search-bench/s1m.sqlite3
    .venv/bin/python bench/bench_search.py --backend postgresql --documents 1000000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/t_search_bench

An empty database is migrated and filled first (``bench/search_corpus.py``: bulk inserts,
not issuance; the time is printed); a filled one is reused. Keep it outside the repository.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_corpus import RARE, load_postgresql, load_sqlite  # noqa: E402
from docgen.database import Database, upgrade  # noqa: E402
from docgen.policy import Actor, system_actor  # noqa: E402
from docgen.rules.text import fold  # noqa: E402
from docgen.services.search import (  # noqa: E402
    BM25,
    Order,
    SearchQuery,
    facets,
    fts5_expression,
    parse_number,
    parse_terms,
    search,
    tsquery_parts,
)

WORDS = {
    f'rare name ("{fold(RARE)}", 0.05 %)': f'"{fold(RARE)}"',
    "common word (thi dua)": "thi dua",
    'diacritic-free phrase ("dien hinh tien tien")': '"dien hinh tien tien"',
}


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _bare(sqlite: bool, q: str, order: Order) -> tuple[str, dict]:
    """Return the bare engine's SQL for the words ``q``: a page of 20 ids in ``order``."""
    terms = parse_terms(q)
    if sqlite:
        by = BM25 if order is Order.RELEVANCE else "rowid DESC"
        sql = f"SELECT rowid FROM document_fts WHERE document_fts MATCH :m ORDER BY {by} LIMIT 20"
        return sql, {"m": fts5_expression(terms)}
    words, lexemes = tsquery_parts(terms)
    if not words:  # two-word phrases only: the pair table alone
        by = "ts_rank(lexemes, CAST(:l AS tsquery)) DESC" if order is Order.RELEVANCE else "1 DESC"
        sql = (
            "SELECT document_id FROM document_search_pair "
            f"WHERE lexemes @@ CAST(:l AS tsquery) ORDER BY {by} LIMIT 20"
        )
        return sql, {"l": lexemes}
    by = "ts_rank(tsv, CAST(:w AS tsquery)) DESC" if order is Order.RELEVANCE else "1 DESC"
    pairs = (
        " AND document_id IN (SELECT document_id FROM document_search_pair"
        " WHERE lexemes @@ CAST(:l AS tsquery))"
        if lexemes
        else ""
    )
    sql = (
        f"SELECT document_id FROM document_search WHERE tsv @@ CAST(:w AS tsquery){pairs} "
        f"ORDER BY {by} LIMIT 20"
    )
    return sql, {"w": words, "l": lexemes} if lexemes else {"w": words}


def _time(fn: Callable[[], object], runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples, result


def _line(label: str, ours: list[float], bare: list[float], found: str) -> None:
    p50, p95 = _percentiles(ours)
    b50, b95 = _percentiles(bare)
    print(
        f"{label:58s} p50 {p50:7.2f} ms p95 {p95:7.2f} ms ({found:>8s}) | "
        f"bare p50 {b50:7.2f} ms p95 {b95:7.2f} ms"
    )


def bench(db: Database, runs: int, actor: Actor) -> None:
    rng = random.Random(7)
    sqlite = db.engine.dialect.name == "sqlite"
    with db.session() as session:  # look up numbers that exist, as a clerk would
        known = session.execute(
            text("SELECT code_number, symbol, year FROM document WHERE id % 997 = 0")
        ).all()
        last = session.scalar(text("SELECT max(id) FROM document"))
    print(f"{db.engine.dialect.name}: {last} documents; as {actor.username}; {runs} runs each")
    with db.session() as session:
        picks = [rng.choice(known) for _ in range(runs)]
        it = iter(picks)

        def lookup() -> object:
            code, symbol, year = next(it)
            return search(session, SearchQuery(number=f"{code}/{symbol}", year=year), actor=actor)

        ours, page = _time(lookup, runs)
        it2 = iter(picks)

        def bare_lookup() -> object:
            code, symbol, year = next(it2)
            number, key = parse_number(f"{code}/{symbol}")
            return session.execute(
                text(
                    "SELECT id FROM document WHERE number = :n AND symbol_key = :s "
                    "AND year = :y ORDER BY id DESC LIMIT 20"
                ),
                {"n": number, "s": key, "y": year},
            ).all()

        bare, _ = _time(bare_lookup, runs)
        _line("number lookup (05/KH-UBND + year), newest", ours, bare, str(page.total))
        for order in (Order.NEWEST, Order.RELEVANCE):
            for label, q in WORDS.items():
                query = SearchQuery(q=q, order=order)
                ours, page = _time(lambda: search(session, query, actor=actor), runs)  # noqa: B023
                sql, params = _bare(sqlite, q, order)
                bare, _ = _time(lambda: session.execute(text(sql), params).all(), runs)  # noqa: B023
                found = f"{'' if page.exact else '>'}{page.total}"
                _line(f"{label}, {order}", ours, bare, found)
        # Deep pages: page 50 by number (OFFSET) and by keyset (after=), common word.
        for label, query in (
            ("common word, page 50 by OFFSET", SearchQuery(q="thi dua", page=50)),
            ("no words, page 500 by OFFSET", SearchQuery(page=500)),
        ):
            ours, page = _time(lambda: search(session, query, actor=actor), runs)  # noqa: B023
            _line(label, ours, ours, str(len(page.items)))
        after = last - last // 2
        query = SearchQuery(q="thi dua", after=after)
        ours, page = _time(lambda: search(session, query, actor=actor), runs)
        _line(f"common word, keyset after={after} (mid-archive)", ours, ours, str(len(page.items)))
        for label, q in WORDS.items():
            query = SearchQuery(q=q)
            ours, got = _time(lambda: facets(session, query, actor=actor), max(5, runs // 4))  # noqa: B023
            _line(f"facets: {label}", ours, ours, "exact" if got.exact else "capped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database", help="SQLite file or PostgreSQL URL (reused if filled)")
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    if args.backend == "sqlite":
        path = Path(args.database or "/tmp/docgen-search-bench.sqlite3")
        url = f"sqlite:///{path}"
    else:
        url = args.database or "postgresql+psycopg://postgres@127.0.0.1:5432/t_search_bench"
    db = Database.from_url(url)
    upgrade(db.engine)
    with db.engine.connect() as conn:
        empty = conn.execute(text("SELECT count(*) FROM document")).scalar_one() == 0
    if empty:
        t = time.perf_counter()
        if args.backend == "sqlite":
            db.engine.dispose()  # leaving WAL mode needs the file to itself
            load_sqlite(path, args.documents)
        else:
            load_postgresql(url, args.documents)
        print(f"Generated {args.documents} documents in {time.perf_counter() - t:.1f} s")
    bench(db, args.runs, system_actor("bench"))


if __name__ == "__main__":
    main()
