"""The SQL of a search per backend: matching ids in an order the index serves with a LIMIT.

Why this shape (issue 11): ranking every match of a common word grows with the archive
(~1 s for "thi đua" at a million documents). The default order, newest first, is the
order of the ids (issuance is serialised and never back-dated), and both indexes can
return matches in id order and stop after a page: FTS5 walks its doclists by rowid (in
either direction) and consumes ``ORDER BY rowid DESC``; PostgreSQL either walks the
primary key backwards testing ``tsv @@ q`` (common words: a page is found in the first
rows) or takes the few GIN matches and sorts them (rare words), as its statistics say.
Relevance ranks a bounded candidate set, so its cost no longer grows with the matches.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    union,
)
from sqlalchemy.orm import Session

from docgen.models import Document
from docgen.services.search.indexing import BM25, HEADLINE_COLUMNS
from docgen.services.search.query import Order, fts5_expression, tsquery_expression

_FTS = table("document_fts", column("rowid"))
_PG_INDEX = table("document_search", column("document_id"), column("tsv"))


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _match(session: Session, terms: list[list[str]], *, headline: bool = False) -> Any:
    """Return the clause "the document matches every term" (within the headline columns)."""
    if _sqlite(session):
        expression = fts5_expression(terms, HEADLINE_COLUMNS if headline else ())
        return literal_column("document_fts").op("MATCH")(bindparam(None, expression))
    expression = tsquery_expression(terms, "A" if headline else "")
    return _PG_INDEX.c.tsv.op("@@")(func.to_tsquery("simple", bindparam(None, expression)))


def matching(
    session: Session, terms: list[list[str]], where: list[Any], *, headline: bool = False
) -> tuple[Select[Any], Any]:
    """Return (a select of the matching ids labelled ``id``, the column to order by).

    Without terms the document table alone; with terms the index, joined to the document
    table only when there is something to filter on. The order column is the index's own
    id (FTS5 rowid, document_search's key) so that the index can serve the order.
    """
    if not terms:
        return select(Document.id.label("id")).where(*where), Document.id
    key = _FTS.c.rowid if _sqlite(session) else _PG_INDEX.c.document_id
    stmt = select(key.label("id")).select_from(_FTS if _sqlite(session) else _PG_INDEX)
    if where:
        stmt = stmt.join(Document, Document.id == key).where(*where)
    return stmt.where(_match(session, terms, headline=headline)), key


def ordered(stmt: Select[Any], key: Any, order: Order, after: int | None) -> Select[Any]:
    """Return ``stmt`` ordered for ``order`` (never relevance), resuming after ``after``."""
    if order is Order.OLDEST:
        stmt = stmt.where(key > after) if after is not None else stmt
        return stmt.order_by(key.asc())
    stmt = stmt.where(key < after) if after is not None else stmt
    return stmt.order_by(key.desc())


def capped_ids(
    session: Session, terms: list[list[str]], where: list[Any], cap: int
) -> Select[Any]:
    """Return a select of the newest ``cap`` matching ids (what counts and facets use)."""
    stmt, key = matching(session, terms, where)
    return stmt.order_by(key.desc()).limit(cap)


def ranked(
    session: Session, terms: list[list[str]], where: list[Any], candidates: int
) -> Select[Any]:
    """Return a select of (id, score) over the relevance candidates, best first.

    Candidates: the newest ``candidates`` matches and the newest ``candidates`` whose
    trích yếu or số/ký hiệu match, ranked by the engine's own measure (BM25 with column
    weights; ts_rank with weights A-D); equal scores newest first.
    """
    everywhere, key = matching(session, terms, where)
    headline, headline_key = matching(session, terms, where, headline=True)
    pool = union(
        select(literal_column("id")).select_from(
            everywhere.order_by(key.desc()).limit(candidates).subquery()
        ),
        select(literal_column("id")).select_from(
            headline.order_by(headline_key.desc()).limit(candidates).subquery()
        ),
    ).subquery("pool")
    if _sqlite(session):
        score = literal_column(f"-{BM25}")
        return (
            select(_FTS.c.rowid.label("id"), score.label("score"))
            .select_from(_FTS)
            .where(and_(_match(session, terms), _FTS.c.rowid.in_(select(pool.c.id))))
            .order_by(score.desc(), _FTS.c.rowid.desc())
        )
    tsquery = func.to_tsquery("simple", bindparam(None, tsquery_expression(terms)))
    score = func.ts_rank(_PG_INDEX.c.tsv, tsquery)
    return (
        select(_PG_INDEX.c.document_id.label("id"), score.label("score"))
        .where(_PG_INDEX.c.document_id.in_(select(pool.c.id)))
        .order_by(score.desc(), _PG_INDEX.c.document_id.desc())
    )
