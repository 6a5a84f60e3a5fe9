"""Archive search (design D8, issue 11): one interface over SQLite FTS5 and PostgreSQL.

``query`` (what is asked), ``indexing`` (the folded index), ``scope`` (filters and the
actor's scope), ``backend`` (SQL per engine), ``engine`` (``search``), ``facets``,
``saved`` (saved searches per user).
"""

from __future__ import annotations

from docgen.services.search.engine import (
    SNIPPET_CHARS,
    SearchHit,
    SearchPage,
    Snippet,
    count_matches,
    make_snippet,
    search,
)
from docgen.services.search.facets import Facets, FacetValue, facets
from docgen.services.search.indexing import (
    BM25,
    FTS_COLUMNS,
    fold_aligned,
    index_document,
    index_words,
    reindex_all,
)
from docgen.services.search.query import (
    COUNT_CAP,
    MAX_PER_PAGE,
    Order,
    SearchQuery,
    fts5_expression,
    parse_number,
    parse_terms,
    tsquery_parts,
)
from docgen.services.search.scope import scope_clause

__all__ = [
    "BM25",
    "COUNT_CAP",
    "FTS_COLUMNS",
    "MAX_PER_PAGE",
    "SNIPPET_CHARS",
    "FacetValue",
    "Facets",
    "Order",
    "SearchHit",
    "SearchPage",
    "SearchQuery",
    "Snippet",
    "count_matches",
    "facets",
    "fold_aligned",
    "fts5_expression",
    "index_document",
    "index_words",
    "make_snippet",
    "parse_number",
    "parse_terms",
    "reindex_all",
    "scope_clause",
    "search",
    "tsquery_parts",
]
