"""What Alembic compares: the models' tables, not the search tables made per backend by hand."""

from __future__ import annotations

from typing import Any

BACKEND_ONLY_TABLES = {"document_fts", "document_search", "document_search_pair"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Return False for the backend-specific search tables (FTS5 shadow tables included)."""
    if type_ == "table" and name is not None:
        return name not in BACKEND_ONLY_TABLES and not name.startswith("document_fts_")
    return not (
        type_ == "index" and name in ("ix_document_search_tsv", "ix_document_search_pair_lexemes")
    )
