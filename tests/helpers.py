"""Helpers shared by test modules (fixtures live in the conftest files)."""

from __future__ import annotations

from typing import Any

from docgen.services.chain import plain


def api_body(records: Any, code: str = "ke-hoach-2017", **extra: Any) -> dict[str, Any]:
    """Return the JSON body that asks the API to draft or issue a recorded document."""
    rec = records.document(code)
    body = {
        "template": rec.template,
        "issuer": rec.issuer,
        "signer": rec.signer,
        "recipients": rec.recipients,
        "data": plain(rec.fields),
    }
    if rec.unit:
        body["unit"] = rec.unit
    body.update(extra)
    return body
