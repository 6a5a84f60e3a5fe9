"""Request parsing for the API: JSON bodies and query strings into typed service requests.

Every malformed value becomes a 4xx docgen error naming the field, before any service runs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Request

from docgen.api.errors import BadRequestError
from docgen.errors import FieldError
from docgen.models import DocumentStatus
from docgen.services.issuance import IssueRequest
from docgen.services.search import SearchQuery

_ISSUE_KEYS = {
    "template", "issuer", "signer", "recipients", "unit", "register", "data", "date",
    "priority", "due_date", "description", "issued_amount",
}  # fmt: skip


def json_body(request: Request) -> dict[str, Any]:
    """Return the request's JSON object, or raise (malformed JSON, not an object)."""
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: werkzeug raises 413
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        raise BadRequestError(
            "Dữ liệu gửi lên không phải JSON hợp lệ.", code="malformed_json"
        ) from None
    if not isinstance(body, dict):
        raise BadRequestError("Cần gửi một đối tượng JSON.", code="malformed_json")
    return body


def _text(
    body: Mapping[str, Any], key: str, errors: dict[str, str], *, required: bool = False
) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            errors[key] = "bắt buộc"
        return None
    if not isinstance(value, str) or not value.strip():
        errors[key] = "phải là chuỗi ký tự không rỗng"
        return None
    return value.strip()


def parse_date(value: Any, key: str, errors: dict[str, str]) -> date | None:
    """Return the date an ISO "YYYY-MM-DD" value spells, recording an error otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors[key] = "ngày phải có dạng YYYY-MM-DD và là một ngày có thật"
    return None


def _int(value: Any, key: str, errors: dict[str, str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = "phải là số nguyên"
        return None
    return value


def issue_request(body: Mapping[str, Any]) -> IssueRequest:
    """Return the issuance (or draft) request a JSON body describes."""
    errors: dict[str, str] = {}
    for key in sorted(set(body) - _ISSUE_KEYS):
        errors[key] = "trường không được hỗ trợ"
    data = body.get("data", {})
    if not isinstance(data, dict):
        errors["data"] = "phải là một đối tượng JSON"
        data = {}
    request = {
        "template": _text(body, "template", errors, required=True),
        "issuer": _text(body, "issuer", errors, required=True),
        "signer": _text(body, "signer", errors),
        "recipients": _text(body, "recipients", errors),
        "unit": _text(body, "unit", errors),
        "register": _text(body, "register", errors),
        "issue_date": parse_date(body.get("date"), "date", errors),
        "due_date": parse_date(body.get("due_date"), "due_date", errors),
        "description": _text(body, "description", errors),
        "priority": _int(body.get("priority"), "priority", errors) or 0,
        "issued_amount": _int(body.get("issued_amount"), "issued_amount", errors),
    }
    if errors:
        raise FieldError(errors)
    return IssueRequest(fields=data, **request)  # type: ignore[arg-type]


def search_query(args: Mapping[str, str]) -> SearchQuery:
    """Return the search a query string asks for."""
    errors: dict[str, str] = {}

    def number(key: str, default: int | None = None) -> int | None:
        raw = args.get(key)
        if raw is None or raw == "":
            return default
        if not raw.isascii() or not raw.isdigit():
            errors[key] = "phải là số nguyên dương"
            return default
        return int(raw)

    status = args.get("status") or None
    if status is not None and status not in set(DocumentStatus):
        errors["status"] = "một trong: " + ", ".join(DocumentStatus)
        status = None
    query = SearchQuery(
        q=args.get("q") or None,
        number=args.get("number") or None,
        year=number("year"),
        doctype=args.get("type") or None,
        issuer=args.get("issuer") or None,
        signer=args.get("signer") or None,
        date_from=parse_date(args.get("from"), "from", errors),
        date_to=parse_date(args.get("to"), "to", errors),
        recipient=args.get("recipient") or None,
        status=DocumentStatus(status) if status else None,
        page=number("page", 1) or 0,
        per_page=number("per_page", 20) or 0,
    )
    if errors:
        raise BadRequestError(
            "Tham số tìm kiếm không hợp lệ: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
            code="invalid_query",
            fields=errors,
        )
    return query
