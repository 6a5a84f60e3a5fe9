"""The schemas of the OpenAPI description (``components.schemas``): request and response bodies.

Request bodies say exactly what ``docgen.api.parse`` accepts (``additionalProperties: false``,
the same ranges); response bodies follow ``docgen.api.serialize`` and the views.
"""

from __future__ import annotations

from typing import Any

from docgen.api.parse import DB_INT_MAX, ISSUED_AMOUNTS, PRIORITIES
from docgen.models import DocumentStatus

ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}  # a row id: PostgreSQL INTEGER


def ref(name: str) -> dict[str, str]:
    """Return a reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


def text(**extra: Any) -> dict[str, Any]:
    """Return the schema of what the parser calls a non-empty string (a non-space in it)."""
    return {"type": "string", "minLength": 1, "pattern": r"\S", **extra}


def int_range(bounds: tuple[int, int]) -> dict[str, Any]:
    """Return the schema of an integer within ``bounds`` (both included)."""
    return {"type": "integer", "minimum": bounds[0], "maximum": bounds[1]}


def schemas() -> dict[str, Any]:
    """Return ``components.schemas``: the bodies the API reads and the JSON it answers."""
    string, integer = {"type": "string"}, {"type": "integer"}
    summary = {
        "id": integer, "number": integer, "code_number": string, "symbol": string,
        "notation": string, "year": integer, "issued_date": {"type": "string", "format": "date"},
        "number_line": string, "date_line": string, "type": string, "type_name": string,
        "subject": string,
        "issuer": {"type": "object", "required": ["code", "name"],
                   "properties": {"code": string, "name": string}},
        "signer": {"type": "object",
                   "properties": {"code": _nullable("string"), "name": _nullable("string")}},
        "status": {"enum": list(DocumentStatus)}, "status_label": string,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "links": {"type": "object", "additionalProperties": string},
    }  # fmt: skip
    event = {
        "id": integer, "document_id": integer, "kind": string,
        "related_document_id": _nullable("integer"), "reason": string, "actor": string,
        "at": string,
    }  # fmt: skip
    grant = {
        "id": integer, "document_id": integer, "username": string, "name": _nullable("string"),
        "active": {"type": "boolean"}, "granted_by": _nullable("string"), "granted_at": string,
        "revoked_by": _nullable("string"), "revoked_at": _nullable("string"),
    }  # fmt: skip
    return {
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        },
        "IssueRequest": {
            "type": "object",
            "required": ["template", "issuer"],
            "additionalProperties": False,
            "properties": {
                "template": text(example="ke-hoach"),
                "issuer": text(example="ubnd-tinh"),
                "signer": text(),
                "recipients": text(),
                "unit": text(),
                "register": text(),
                "data": {"type": "object", "description": "Các trường của mẫu văn bản"},
                "date": {"type": "string", "format": "date"},
                "priority": int_range(PRIORITIES),
                "due_date": {"type": "string", "format": "date"},
                "description": text(maxLength=500),
                "issued_amount": int_range(ISSUED_AMOUNTS),
            },
        },
        "WithdrawRequest": {
            "type": "object",
            "required": ["reason"],
            "additionalProperties": False,
            "properties": {"reason": text(description="Lý do thu hồi")},
        },
        "SupersedeRequest": {
            "type": "object",
            "required": ["by", "reason"],
            "additionalProperties": False,
            "properties": {
                "by": {**ID, "description": "Mã số văn bản thay thế"},
                "reason": text(),
                "correction": {"type": "boolean", "default": False},
            },
        },
        "DocumentSummary": {"type": "object", "required": list(summary), "properties": summary},
        "SearchHit": {
            "allOf": [ref("DocumentSummary")],
            "properties": {"score": _nullable("number"), "snippet": _nullable("object")},
        },
        "SearchPage": {
            "type": "object",
            "required": ["items", "total", "page", "per_page", "pages"],
            "properties": {
                "items": {"type": "array", "items": ref("SearchHit")},
                "total": {"type": "integer", "description": "Chính xác tới 10.000"},
                "total_exact": {"type": "boolean", "description": "false: hơn ``total``"},
                "order": {"type": "string"},
                "next_after": _nullable("integer"),
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "pages": {"type": "integer"},
            },
        },
        "Document": {
            "allOf": [ref("DocumentSummary")],
            "required": ["register", "metadata", "events", "renditions"],
            "properties": {
                "register": {"type": "string"},
                "template": {"type": "string"},
                "title": {"type": "string"},
                "signer_lines": {"type": "array", "items": {"type": "string"}},
                "issued_at": {"type": "string"},
                "actor": {"type": "string"},
                "row_hash": {"type": "string"},
                "metadata": {"type": "object", "description": "Phụ lục VI, Phần II, mục I"},
                "data": {"type": "object"},
                "events": {"type": "array", "items": {"type": "object", "properties": event}},
                "renditions": {"type": "array", "items": {"type": "object"}},
            },
        },
        "StatusEvent": {
            "type": "object",
            "required": [*event, "status"],
            "properties": {**event, "status": {"enum": list(DocumentStatus)}},
        },
        "ReaderRequest": {
            "type": "object",
            "required": ["username"],
            "additionalProperties": False,
            "properties": {"username": text(maxLength=64, description="Tên đăng nhập")},
        },
        "ReaderGrant": {
            "type": "object",
            "required": ["id", "document_id", "username", "active"],
            "properties": grant,
        },
        "Readers": {
            "type": "object",
            "required": ["document_id", "readers"],
            "properties": {
                "document_id": integer,
                "readers": {"type": "array", "items": ref("ReaderGrant")},
            },
        },
        "JobAccepted": {
            "type": "object",
            "required": ["job", "state"],
            "properties": {
                "job": {"type": "string"},
                "state": {"type": "string"},
                "message": _nullable("string"),
            },
        },
        "Job": {
            "type": "object",
            "required": ["id", "kind", "state", "finished", "links"],
            "properties": {
                "id": {"type": "integer"},
                "kind": {"type": "string"},
                "state": {"type": "string"},
                "finished": {"type": "boolean"},
                "done": _nullable("integer"),
                "total": _nullable("integer"),
                "message": _nullable("string"),
                "error": _nullable("string"),
                "links": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    }
