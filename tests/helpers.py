"""Helpers shared by test modules (fixtures live in the conftest files)."""

from __future__ import annotations

from typing import Any

from docgen.services.chain import plain


def api_body(records: Any, code: str = "ke-hoach-2017", **extra: Any) -> dict[str, Any]:
    """Return the JSON body that asks the API to draft or issue a recorded document."""
    request = records.document(code).request()
    body = {k: v for k, v in request.items() if k != "fields" and v is not None}
    return {**body, "data": plain(request["fields"]), **extra}
