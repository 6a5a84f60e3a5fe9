"""The SQL of a search per backend: matching ids in an order the index serves with a LIMIT.

Why this shape (issue 11): ranking every match of a common word grows with the archive
(2.4 s for "thi đua" with FTS5 bm25 at a million documents). The default order, newest first, is the
order of the ids (issuance is serialised and never back-dated), and both indexes can
return matches in id order and stop after a page: FTS5 walks its doclists by rowid (in
either direction) and consumes ``ORDER BY rowid DESC``; PostgreSQL either walks the
primary key backwards testing ``tsv @@ q`` (common words: a page is found in the first
rows) or takes the few GIN matches and sorts them (rare words), as its statistics say.
Relevance is two such walks (``engine``): the documents whose trích yếu or số, ký hiệu
hold the words, then the others, each newest first.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlalchemy import Select, bindparam, cast, column, literal_column, select, table, text
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from docgen.models import Document
from docgen.services.search.indexing import HEADLINE_COLUMNS
from docgen.services.search.query import Order, fts5_expression, tsquery_expression

_FTS = table("document_fts", column("rowid"))
Part = Literal["all", "headline", "rest"]
_PG_INDEX = table("document_search", column("document_id"), column("tsv"))


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


@contextmanager
def from_the_index(session: Session, terms: list[list[str]], where: list[Any]) -> Iterator[None]:
    """Make PostgreSQL take a count's matches from the GIN index alone when it is exact.

    Why: counting up to ``COUNT_CAP`` matches of a common word, PostgreSQL reads the
    table in order and rechecks each row's tsvector (~10,000 detoasts, 0.1 s at a
    million). When every term is a word or a two-word phrase (a pair lexeme) the index
    answer needs no recheck, so a bitmap scan reads no tsvector at all. Only without
    other filters: a join with the document table is left to the planner.
    """
    exact = all(len(t) <= 2 for t in terms)
    if _sqlite(session) or not terms or where or not exact:
        yield
        return
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_indexscan = off"))
    try:
        yield
    finally:
        session.execute(text("SET LOCAL enable_seqscan TO DEFAULT"))
        session.execute(text("SET LOCAL enable_indexscan TO DEFAULT"))


def _match(session: Session, terms: list[list[str]], part: Part) -> Any:
    """Return the clause "the document matches every term" (in the part of it asked)."""
    if _sqlite(session):
        every, head = fts5_expression(terms), fts5_expression(terms, HEADLINE_COLUMNS)
        expression = {"all": every, "headline": head, "rest": f"({every}) NOT {head}"}[part]
        return literal_column("document_fts").op("MATCH")(bindparam(None, expression))
    every, head = tsquery_expression(terms), tsquery_expression(terms, headline=True)
    expression = {"all": every, "headline": head, "rest": f"({every}) & !({head})"}[part]
    return _PG_INDEX.c.tsv.op("@@")(cast(bindparam(None, expression), TSQUERY))


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
    key = _FTS.c.rowid if _sqlite(session) else _PG_INDEX.c.document_id
    stmt = select(key.label("id")).select_from(_FTS if _sqlite(session) else _PG_INDEX)
    if where:
        stmt = stmt.join(Document, Document.id == key).where(*where)
    return stmt.where(_match(session, terms, part)), key


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
