"""The SQL of a search per backend: matching ids in an order the index serves with a LIMIT.

Why this shape (issue 11): ranking every match of a common word grows with the archive
(2.4 s for "thi đua" with FTS5 bm25 at a million documents). The default order, newest first, is the
order of the ids (issuance is serialised and never back-dated), and both indexes can
return matches in id order and stop after a page: FTS5 walks its doclists by rowid (in
either direction) and consumes ``ORDER BY rowid DESC``; PostgreSQL either walks the
primary key backwards testing ``tsv @@ q`` (common words: a page is found in the first
rows) or takes the few GIN matches and sorts them (rare words), as its statistics say.
Its GIN index keeps no positions: phrases and "in the trích yếu" are answered by exact
lexemes of ``document_search_pair`` (word pairs, headline words; migration 0013).
Relevance is two such walks (``engine``): the documents whose trích yếu or số, ký hiệu
hold the words, then the others, each newest first.
"""

from __future__ import annotations

import re
import time
from typing import Any, Literal

from sqlalchemy import Select, bindparam, cast, column, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from docgen.models import Document
from docgen.services.search.indexing import HEADLINE_COLUMNS
from docgen.services.search.query import (
    Order,
    fts5_expression,
    tsquery_parts,
    weighted_headline,
)

_FTS = table("document_fts", column("rowid"))
Part = Literal["all", "headline", "rest"]
_PG_INDEX = table("document_search", column("document_id"), column("tsv"))
_PG_PAIRS = table("document_search_pair", column("document_id"), column("lexemes"))


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def custom_plans(session: Session) -> None:
    """Make PostgreSQL plan each search statement for its own words and LIMIT/OFFSET.

    psycopg prepares a statement run five times; PostgreSQL may then reuse a generic plan
    that knows neither the words' frequency nor the LIMIT, and for "thi đua" picks a
    bitmap scan and sort of every match (~0.5 s at a million) instead of a short walk.
    Also no JIT (below).
    """
    if not _sqlite(session):
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        # A facet count over 10,000 rows is costed high enough to be JIT-compiled, which
        # took 0.6 s of its 1.1 s: these statements are short, JIT never pays off.
        session.execute(text("SET LOCAL jit = off"))


def _ts(column_: Any, query: str) -> Any:
    return column_.op("@@")(cast(bindparam(None, query), TSQUERY))


_STATS_SECONDS = 600.0
_COMMON_PAIR = 0.02  # a pair in more than 2 % of documents narrows a walk too little
_LEXEME = re.compile(r"'([^']+)'")
_pair_stats: dict[str, tuple[float, dict[str, float]]] = {}


def _pair_frequencies(session: Session) -> dict[str, float]:
    """Return the frequent pair lexemes' frequencies (PostgreSQL's statistics, cached)."""
    bind = session.get_bind()
    key = bind.url.render_as_string(hide_password=True)
    cached = _pair_stats.get(key)
    if cached is not None and time.monotonic() - cached[0] < _STATS_SECONDS:
        return cached[1]
    row = session.execute(
        text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats"
            " WHERE tablename = 'document_search_pair' AND attname = 'lexemes'"
            " AND schemaname = current_schema()"
        )
    ).first()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _pair_stats[key] = (time.monotonic(), frequencies)
    return frequencies


def _pg_plan(session: Session, terms: list[list[str]], part: Part) -> tuple[Any, list[Any]]:
    """Return (the PostgreSQL table whose ids drive the search, the match clauses).

    Words are looked up in ``document_search`` (small tsvectors, cheap to recheck),
    phrases and headline terms in ``document_search_pair`` (exact lexemes). When no word
    needs the first, the second drives alone: a rare pair is then one GIN lookup. Of a
    longer phrase only its rarest pair is asked for: PostgreSQL multiplies the
    frequencies of ANDed lexemes, so "dien~hinh & hinh~tien & tien~tien" (all in the
    same 20 % of documents) was estimated at 0.8 % and answered by fetching every match;
    and not even that one when it is common: walking the ids checking the order of the
    words in the small tsvector is then cheaper than also reading each pair row. A rare
    pair (estimated by PostgreSQL at ~0.1 % whatever it is: not among its most common
    lexemes) is fetched whole from the index (a materialised CTE): left to the planner,
    a pair found nowhere in trích yếu had it walk all ids (6 s for relevance).
    """
    frequencies = _pair_frequencies(session)

    def rarest(pairs: list[str]) -> list[str]:
        pair = min(pairs, key=lambda p: frequencies.get(p, 0.0))
        return [pair] if frequencies.get(pair, 0.0) < _COMMON_PAIR else []

    words, lexemes = tsquery_parts(terms, headline=part == "headline", pick=rarest)
    asked = _LEXEME.findall(lexemes)
    rare = bool(asked) and min(frequencies.get(x, 0.0) for x in asked) < _COMMON_PAIR
    if part == "rest" and words:  # weight A: "in the trích yếu", on the tsvector alone
        words = f"({words}) & !({weighted_headline(terms)})"
    elif part == "rest":  # two-word phrases only: their headline pairs say it exactly
        lexemes = f"({lexemes}) & !({tsquery_parts(terms, headline=True, pick=rarest)[1]})"
    driver: Any = _PG_INDEX if words else _PG_PAIRS
    clauses = [_ts(_PG_INDEX.c.tsv, words)] if words else []
    if not lexemes:
        return driver, clauses
    pairs: Any = _ts(_PG_PAIRS.c.lexemes, lexemes)
    if rare:  # all of them from the GIN index first, never a walk hoping to meet them
        found = select(_PG_PAIRS.c.document_id).where(pairs).cte().prefix_with("MATERIALIZED")
        if driver is _PG_PAIRS:
            return found, clauses
        clauses.append(driver.c.document_id.in_(select(found.c.document_id)))
    elif driver is _PG_PAIRS:
        clauses.append(pairs)
    else:
        clauses.append(driver.c.document_id.in_(select(_PG_PAIRS.c.document_id).where(pairs)))
    return driver, clauses


def matching(
    session: Session, terms: list[list[str]], where: list[Any], part: Part = "all"
) -> tuple[Select[Any], Any]:
    """Return (a select of the matching ids labelled ``id``, the column to order by).

    Without terms the document table alone; with terms the index, joined to the document
    table only when there is something to filter on. The order column is the index's own
    id (FTS5 rowid, document_search's key) so that the index can serve the order.
    ``part``: "headline" = every term within the trích yếu or số, ký hiệu (weight A in
    PostgreSQL); "rest" = matching, but not so.
    """
    if not terms:
        return select(Document.id.label("id")).where(*where), Document.id
    if _sqlite(session):
        every, head = fts5_expression(terms), fts5_expression(terms, HEADLINE_COLUMNS)
        expression = {"all": every, "headline": head, "rest": f"({every}) NOT {head}"}[part]
        driver, key = _FTS, _FTS.c.rowid
        clauses = [literal_column("document_fts").op("MATCH")(bindparam(None, expression))]
    else:
        driver, clauses = _pg_plan(session, terms, part)
        key = driver.c.document_id
    stmt = select(key.label("id")).select_from(driver)
    if where:
        stmt = stmt.join(Document, Document.id == key).where(*where)
    return stmt.where(*clauses), key


def ordered(stmt: Select[Any], key: Any, order: Order, after: int | None) -> Select[Any]:
    """Return ``stmt`` ordered for ``order`` (never relevance), resuming after ``after``."""
    if order is Order.OLDEST:
        stmt = stmt.where(key > after) if after is not None else stmt
        return stmt.order_by(key.asc())
    stmt = stmt.where(key < after) if after is not None else stmt
    return stmt.order_by(key.desc())


def capped_ids(
    session: Session, terms: list[list[str]], where: list[Any], cap: int, part: Part = "all"
) -> Select[Any]:
    """Return a select of the newest ``cap`` matching ids (what counts and facets use)."""
    stmt, key = matching(session, terms, where, part)
    return stmt.order_by(key.desc()).limit(cap)
