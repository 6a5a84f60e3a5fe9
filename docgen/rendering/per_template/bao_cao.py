"""Báo cáo (``templates/bao-cao.yaml``): the rows of its optional by-group table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COLUMNS = ("addressed", "on_time", "late", "missing", "nominees", "attainment")


def context(fields: Mapping[str, Any], summary: str) -> dict[str, Any]:
    """Return ``breakdown`` numbered, blank cells as "" (an absent table is an empty list)."""
    rows = fields.get("breakdown") or []
    return {
        "breakdown": [
            {**{c: row.get(c) or "" for c in COLUMNS}, "group": row["group"], "index": i}
            for i, row in enumerate(rows, start=1)
        ]
    }
