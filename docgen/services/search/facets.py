"""Facets: how many of a search's matches fall in each year, type, issuer and status.

Counted over the same capped set as the total (the newest ``COUNT_CAP`` matches), inside
the actor's scope: a secret document an outsider cannot see never adds 1 anywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docgen.models import Document, DocumentStatus, OrganisationRow
from docgen.policy import Actor
from docgen.rules.doctypes import DOCTYPES
from docgen.services.search import backend
from docgen.services.search.query import COUNT_CAP, SearchQuery, parse_terms
from docgen.services.search.scope import status_expression, where_clauses


@dataclass(frozen=True)
class FacetValue:
    value: str  # what the filter takes: "2017", "ke-hoach", "ubnd-tinh", "withdrawn"
    label: str  # what people read
    count: int


@dataclass(frozen=True)
class Facets:
    year: list[FacetValue] = field(default_factory=list)
    doctype: list[FacetValue] = field(default_factory=list)
    issuer: list[FacetValue] = field(default_factory=list)
    status: list[FacetValue] = field(default_factory=list)
    exact: bool = True  # False: counted over the newest COUNT_CAP matches only

    def groups(self) -> list[tuple[str, str, list[FacetValue]]]:
        """Return (query parameter, heading, values) per facet, for pages."""
        return [
            ("year", "Năm", self.year),
            ("type", "Loại văn bản", self.doctype),
            ("issuer", "Cơ quan ban hành", self.issuer),
            ("status", "Tình trạng", self.status),
        ]


def facets(session: Session, query: SearchQuery, *, actor: Actor) -> Facets:
    """Return the facet counts of ``query``'s matches that ``actor`` may see."""
    terms = parse_terms(query.q or "")
    where = where_clauses(session, query, actor)
    backend.custom_plans(session)
    capped = backend.capped_ids(session, terms, where, COUNT_CAP + 1).subquery()
    status = status_expression().label("status")
    rows = session.execute(
        select(Document.year, Document.doctype, Document.issuer, status, func.count())
        .select_from(capped)  # ids are unique: a join, which walks document's key
        .join(Document, Document.id == capped.c.id)
        .group_by(Document.year, Document.doctype, Document.issuer, status)
    ).all()
    years, types, issuers, states = Counter(), Counter(), Counter(), Counter()
    total = 0
    for year, doctype, issuer, state, count in rows:
        years[str(year)] += count
        types[doctype] += count
        issuers[issuer] += count
        states[state] += count
        total += count
    names = dict(
        session.execute(
            select(OrganisationRow.code, OrganisationRow.name).where(
                OrganisationRow.code.in_(list(issuers))
            )
        ).all()
    )

    def values(counts: Counter, label) -> list[FacetValue]:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [FacetValue(v, label(v), n) for v, n in ordered]

    return Facets(
        year=sorted(values(years, str), key=lambda f: f.value, reverse=True),
        doctype=values(types, lambda v: DOCTYPES[v].name if v in DOCTYPES else v),
        issuer=values(issuers, lambda v: names.get(v, v)),
        status=values(states, lambda v: DocumentStatus(v).label),
        exact=total <= COUNT_CAP,
    )
