"""Danh sách đề nghị (``templates/danh-sach.yaml``): the appendix line and the rows' columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

KIND_LABELS = {"tap-the": "Tập thể", "ca-nhan": "Cá nhân"}


def context(fields: Mapping[str, Any], summary: str) -> dict[str, Any]:
    """Return the keys only the danh sách template uses (its summary prints in upper case)."""
    number = fields.get("appendix_number")
    return {
        "appendix_line": f"Phụ lục {number}" if number else "Phụ lục",
        "summary": summary.upper(),
        "rows": [
            {
                **row,
                "index": i,
                "kind_label": KIND_LABELS[row["kind"]],
                "position_unit": ", ".join(x for x in (row.get("position"), row["unit"]) if x),
                "field": row.get("field") or "",
                "note": row.get("note") or "",
            }
            for i, row in enumerate(fields["rows"], start=1)
        ],
    }
