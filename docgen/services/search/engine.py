"""``search``: one page of the documents an actor may see, in the order asked, with snippets.

The total is exact up to ``COUNT_CAP`` matches ("hơn 10.000" beyond): counting every
match of a common word would cost as much as ranking them all. Pages can be reached by
number (OFFSET, up to the capped total) or by keyset (``after`` = the id of the previous
page's last document), which stays fast however deep it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docgen.models import Document, DocumentStatus, DocumentText
from docgen.policy import Actor
from docgen.services.search import backend
from docgen.services.search.indexing import fold_aligned
from docgen.services.search.query import (
    COUNT_CAP,
    Order,
    SearchQuery,
    check_page,
    parse_terms,
)
from docgen.services.search.scope import where_clauses

SNIPPET_CHARS = 200
HEADLINE_SCORE, OTHER_SCORE = 2.0, 1.0


@dataclass(frozen=True)
class Snippet:
    """A piece of the original text with the matched words' spans (start, end) in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    document: Document
    status: DocumentStatus
    score: float | None  # higher is better; None unless ordered by relevance
    snippet: Snippet | None


@dataclass(frozen=True)
class SearchPage:
    items: list[SearchHit]
    total: int  # exact when ``exact``, else "more than ``total``"
    page: int
    per_page: int
    exact: bool = True
    order: Order = Order.NEWEST
    next_after: int | None = None  # keyset of the next page (None: this is the last)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def count_matches(session: Session, query: SearchQuery, *, actor: Actor) -> tuple[int, bool]:
    """Return (the number of matches up to ``COUNT_CAP``, whether it is exact)."""
    terms = parse_terms(query.q or "")
    where = where_clauses(session, query, actor)
    backend.custom_plans(session)
    return _count(session, terms, where)


def _count(session: Session, terms: list[list[str]], where: list) -> tuple[int, bool]:
    # Unordered: any COUNT_CAP + 1 matches will do, so each engine takes its cheapest path
    # (PostgreSQL: its GIN index for a rare phrase rather than a walk of every id).
    stmt, _key = backend.matching(session, terms, where)
    capped = stmt.limit(COUNT_CAP + 1).subquery()
    found = session.scalar(select(func.count()).select_from(capped)) or 0
    return min(found, COUNT_CAP), found <= COUNT_CAP


def search(session: Session, query: SearchQuery, *, actor: Actor) -> SearchPage:
    """Return one page of the documents ``actor`` may see that match ``query``."""
    check_page(query)
    terms = parse_terms(query.q or "")
    where = where_clauses(session, query, actor)
    backend.custom_plans(session)
    offset = (query.page - 1) * query.per_page
    order = query.order if terms or query.order is not Order.RELEVANCE else Order.NEWEST
    if order is Order.RELEVANCE:
        picked = _relevance_page(session, terms, where, offset, query.per_page + 1)
    else:
        stmt, key = backend.matching(session, terms, where)
        stmt = backend.ordered(stmt, key, order, query.after)
        rows = session.execute(
            stmt.limit(query.per_page + 1).offset(0 if query.after is not None else offset)
        ).all()
        picked = [(r[0], None) for r in rows]
    more = len(picked) > query.per_page
    picked = picked[: query.per_page]
    total, exact = _count(session, terms, where)
    items = _hits(session, picked, terms)
    return SearchPage(
        items=items,
        total=total,
        page=query.page,
        per_page=query.per_page,
        exact=exact,
        order=order,
        next_after=picked[-1][0] if more and order is not Order.RELEVANCE else None,
    )


def _relevance_page(
    session: Session, terms: list[list[str]], where: list, offset: int, limit: int
) -> list[tuple[int, float | None]]:
    """Return ``limit`` (id, score) from ``offset`` in relevance order.

    Score 2: every word is in the trích yếu or số, ký hiệu (what the document is about);
    score 1: elsewhere (issuer, signer, recipients, body). Equal scores newest first. Two
    walks in id order, each stopping after the page, so the cost does not grow with the
    matches as BM25 over every match does; the order is the same on both backends.
    """
    head, head_key = backend.matching(session, terms, where, "headline")
    first = list(session.scalars(head.order_by(head_key.desc()).limit(limit).offset(offset)))
    picked: list[tuple[int, float | None]] = [(i, HEADLINE_SCORE) for i in first]
    if len(first) == limit:
        return picked
    if first or offset == 0:
        headline_count = offset + len(first)
    else:  # past the headline matches: how many were there?
        capped = head.order_by(head_key.desc()).limit(offset).subquery()
        headline_count = session.scalar(select(func.count()).select_from(capped)) or 0
    rest, rest_key = backend.matching(session, terms, where, "rest")
    rest = rest.order_by(rest_key.desc()).limit(limit - len(first))
    others = session.scalars(rest.offset(max(0, offset - headline_count)))
    return picked + [(i, OTHER_SCORE) for i in others]


def _hits(
    session: Session, picked: list[tuple[int, float | None]], terms: list[list[str]]
) -> list[SearchHit]:
    from docgen.services.archive import statuses

    ids = [i for i, _ in picked]
    loaded = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))}
    states = statuses(session, ids)
    bodies: dict[int, str] = {}
    if terms and ids:
        bodies = dict(
            session.execute(
                select(DocumentText.document_id, DocumentText.body).where(
                    DocumentText.document_id.in_(ids)
                )
            ).all()
        )
    words = sorted({w for t in terms for w in t}, key=len, reverse=True)
    return [
        SearchHit(
            document=loaded[i],
            status=states[i],
            score=score,
            snippet=make_snippet(bodies.get(i, ""), words) if terms else None,
        )
        for i, score in picked
    ]


def make_snippet(original: str, words: list[str], width: int = SNIPPET_CHARS) -> Snippet | None:
    """Return the part of ``original`` around its densest cluster of ``words``, with spans."""
    if not original or not words:
        return None
    folded = fold_aligned(original)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])")
    spans = [m.span() for m in pattern.finditer(folded)]
    if not spans:
        return None
    best, best_count = spans[0][0], 0
    for start, _ in spans:
        found = {folded[s:e] for s, e in spans if start <= s and e <= start + width}
        if len(found) > best_count:
            best, best_count = start, len(found)
    begin = max(0, best - width // 4)
    while begin > 0 and not original[begin - 1].isspace():
        begin -= 1
    end = min(len(original), begin + width)
    while end < len(original) and not original[end].isspace():
        end += 1
    piece = original[begin:end]
    marks = tuple((s - begin, e - begin) for s, e in spans if begin <= s and e <= end)
    return Snippet(text=piece, highlights=marks)
