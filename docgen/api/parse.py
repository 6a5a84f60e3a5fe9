"""Request parsing for the API: JSON bodies, query strings and URL integers into typed values.

Every malformed value becomes a 4xx docgen error naming the field, before any service runs:
integers beyond what the database stores, text it cannot store (NUL on PostgreSQL, lone
surrogates that have no UTF-8), JSON nested deeper than any request needs. What this module
accepts is what ``docgen.api.openapi`` describes, and the reverse.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import Flask, Request, request
from werkzeug.routing import IntegerConverter, Map

from docgen.api import bp
from docgen.api.errors import BadRequestError
from docgen.errors import FieldError
from docgen.models import DocumentStatus
from docgen.services.issuance import IssueRequest
from docgen.services.search import MAX_PER_PAGE, Order, SearchQuery

DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER: ids, numbers and counts all fit in it
MAX_JSON_DEPTH = 32  # an issuance body nests ~5 deep; Python's own limit is ~1,000
MAX_PAGE = 100_000  # with at most 100 per page: ten million documents
YEARS = (1, 9999)  # what ``datetime.date`` can hold
PRIORITIES = (0, 3)  # Appendix VI field 14: thường, khẩn, thượng khẩn, hỏa tốc
ISSUED_AMOUNTS = (1, 999)  # Appendix VI field 15: copies issued
_WITHDRAW_KEYS = {"reason"}
_SUPERSEDE_KEYS = {"by", "reason", "correction"}
_ISSUE_KEYS = {
    "template", "issuer", "signer", "recipients", "unit", "register", "data", "date",
    "priority", "due_date", "description", "issued_amount",
}  # fmt: skip


class DatabaseInt(IntegerConverter):
    """``<int:…>`` in every URL: 0…2**31-1, so a larger id is a 404, never a database overflow."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:  # fmt: skip
        super().__init__(map, fixed_digits, min, DB_INT_MAX if max is None else max, signed)


def install_converters(app: Flask) -> None:
    """Make ``<int:…>`` bounded for every route of ``app``; call before any blueprint."""
    app.url_map.converters["int"] = DatabaseInt


class InvalidText(BadRequestError):
    """Text the database cannot store or the document cannot print (NUL, lone surrogates)."""

    code = "invalid_text"


def text_problem(value: str) -> str | None:
    """Return what makes ``value`` unstorable, in Vietnamese, or None when it is fine."""
    if "\x00" in value:
        return "chứa ký tự NUL (\\u0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "chứa ký tự Unicode không hợp lệ (nửa cặp surrogate, như \\ud800)"
    return None


@bp.before_request
def _refuse_bad_query() -> None:
    # Before any API view: no query text reaches a service (or the database) unchecked.
    for key, value in request.args.items(multi=True):
        if problem := text_problem(key) or text_problem(value):
            raise InvalidText(f"Tham số “{key}” {problem}.", field=key)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_body(request: Request) -> dict[str, Any]:
    """Return the request's JSON object, or raise (malformed JSON, not an object, too deep,
    NaN or Infinity, text the database cannot store)."""
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: werkzeug raises 413
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant) if raw else None
    except RecursionError:
        raise _too_deep() from None
    except (UnicodeDecodeError, ValueError):
        raise BadRequestError(
            "Dữ liệu gửi lên không phải JSON hợp lệ.", code="malformed_json"
        ) from None
    if not isinstance(body, dict):
        raise BadRequestError("Cần gửi một đối tượng JSON.", code="malformed_json")
    _check_tree(body)
    return body


def _too_deep() -> BadRequestError:
    return BadRequestError(
        f"Dữ liệu JSON lồng nhau quá {MAX_JSON_DEPTH} tầng.", code="json_too_deep"
    )


def _check_tree(body: dict[str, Any]) -> None:
    """Raise for any string (key or value) the database cannot store, or nesting too deep."""
    stack: list[tuple[Any, str, int]] = [(body, "", 1)]  # iterative: depth is what we check
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            if problem := text_problem(value):
                raise InvalidText(f"Trường “{path}” {problem}.", field=path)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and (problem := text_problem(key)):
                shown = where.encode("utf-8", "backslashreplace").decode().replace("\x00", "\\x00")
                raise InvalidText(f"Tên trường “{shown}” {problem}.", field=path)
            stack.append((item, where, depth + 1))


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


def _int(
    value: Any, key: str, errors: dict[str, str], bounds: tuple[int, int] = (1, DB_INT_MAX)
) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():  # JSON Schema: 1.0 is an integer
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = "phải là số nguyên"
        return None
    low, high = bounds
    if not low <= value <= high:
        errors[key] = f"phải là số nguyên từ {low} đến {high}"
        return None
    return value


def _unknown_keys(body: Mapping[str, Any], known: set[str], errors: dict[str, str]) -> None:
    for key in sorted(set(body) - known):
        errors[key] = "trường không được hỗ trợ"


def issue_request(body: Mapping[str, Any]) -> IssueRequest:
    """Return the issuance (or draft) request a JSON body describes."""
    errors: dict[str, str] = {}
    _unknown_keys(body, _ISSUE_KEYS, errors)
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
        "priority": _int(body.get("priority"), "priority", errors, PRIORITIES) or 0,
        "issued_amount": _int(body.get("issued_amount"), "issued_amount", errors, ISSUED_AMOUNTS),
    }
    if errors:
        raise FieldError(errors)
    return IssueRequest(fields=data, **request)  # type: ignore[arg-type]


def withdraw_reason(body: Mapping[str, Any]) -> str:
    """Return the reason a withdrawal body gives (``{"reason": "…"}``)."""
    errors: dict[str, str] = {}
    _unknown_keys(body, _WITHDRAW_KEYS, errors)
    reason = _reason(body, errors)
    if errors:
        raise FieldError(errors)
    return reason


def supersede_request(body: Mapping[str, Any]) -> tuple[int, str, bool]:
    """Return (the superseding document's id, the reason, whether it is a correction)."""
    errors: dict[str, str] = {}
    _unknown_keys(body, _SUPERSEDE_KEYS, errors)
    by = _int(body.get("by"), "by", errors)
    if by is None and "by" not in errors:
        errors["by"] = "bắt buộc: mã số văn bản thay thế"
    correction = body.get("correction", False)
    if not isinstance(correction, bool):
        errors["correction"] = "phải là true hoặc false"
    reason = _reason(body, errors)
    if errors:
        raise FieldError(errors)
    return by, reason, correction  # type: ignore[return-value]


def _reason(body: Mapping[str, Any], errors: dict[str, str]) -> str:
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = "bắt buộc: lý do, một chuỗi ký tự không rỗng"
        return ""
    return reason


def search_query(args: Mapping[str, str]) -> SearchQuery:
    """Return the search a query string asks for."""
    for key, value in args.items():  # the pages call this too, without the API's hook
        if problem := text_problem(key) or text_problem(value):
            raise InvalidText(f"Tham số “{key}” {problem}.", field=key)
    errors: dict[str, str] = {}

    def number(key: str, default: int | None, bounds: tuple[int, int]) -> int | None:
        raw = args.get(key)
        if raw is None or raw == "":
            return default
        low, high = bounds
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            errors[key] = f"phải là số nguyên từ {low} đến {high}"
            return default
        return int(raw)

    status = args.get("status") or None
    if status is not None and status not in set(DocumentStatus):
        errors["status"] = "một trong: " + ", ".join(DocumentStatus)
        status = None
    order = args.get("order") or Order.NEWEST
    if order not in set(Order):
        errors["order"] = "một trong: " + ", ".join(Order)
        order = Order.NEWEST
    query = SearchQuery(
        q=args.get("q") or None,
        number=args.get("number") or None,
        year=number("year", None, YEARS),
        doctype=args.get("type") or None,
        issuer=args.get("issuer") or None,
        unit=args.get("unit") or None,
        signer=args.get("signer") or None,
        date_from=parse_date(args.get("from"), "from", errors),
        date_to=parse_date(args.get("to"), "to", errors),
        recipient=args.get("recipient") or None,
        status=DocumentStatus(status) if status else None,
        page=number("page", 1, (1, MAX_PAGE)) or 1,
        per_page=number("per_page", 20, (1, MAX_PER_PAGE)) or 20,
        order=Order(order),
        after=number("after", None, (1, DB_INT_MAX)),
    )
    if errors:
        raise BadRequestError(
            "Tham số tìm kiếm không hợp lệ: " + "; ".join(f"{k}: {v}" for k, v in errors.items()),
            code="invalid_query",
            fields=errors,
        )
    return query
