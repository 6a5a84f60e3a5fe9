"""Bad input is a 4xx with a Vietnamese message, never a 500, and writes nothing — on every
database: integers beyond its range, NUL, lone surrogates, JSON nested 100,000 deep, bodies
that are not ``application/json``, unknown keys.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import AuditEvent, Document, DocumentEvent
from tests.helpers import api_body

BIG = [2**31, 2**63, 10**23]  # beyond PostgreSQL INTEGER, beyond BIGINT / SQLite, beyond both


def _counts(app) -> tuple[int, int, int]:
    with get_db(app).session() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(table))
            for table in (Document, DocumentEvent, AuditEvent)
        )


def _refused(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == "application/json"
    body = response.json
    assert set(body) >= {"code", "message"}
    assert any(ord(c) > 127 for c in body["message"]), body  # Vietnamese, with diacritics
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def issued(app, api, loaded) -> int:
    """Return the id of one issued document (so refusals are not 404s in disguise)."""
    response = api.post("/api/v1/documents", json=api_body(loaded))
    assert response.status_code == 201, response.json
    return response.json["id"]


_PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\((.*?)\))?:)?\w+>")


def _url(rule: str, number: int) -> str:
    """Return ``rule`` with ``number`` for every ``<int:…>`` and a valid value elsewhere."""

    def value(match: re.Match[str]) -> str:
        converter, args = match.group(1), match.group(2)
        if converter == "int":
            return str(number)
        if converter == "any":
            return args.split(",")[0].strip().strip("'\"")
        return "x"

    return _PLACEHOLDER.sub(value, rule)


def test_path_integers_beyond_the_database_are_404_on_every_route(app, api, issued):
    before = _counts(app)
    routes = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(routes) >= 6  # the API's documents, renditions, previews and jobs, the pages
    for rule in routes:
        for number in BIG:
            url = _url(rule.rule, number)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = api.open(url, method=method, json={})
                if url.startswith("/api/"):  # 405 where another method's rule shares the path:
                    # werkzeug's matcher then reports that rule once the converter refused
                    assert response.status_code in {404, 405}, (method, url)
                    _refused(response, response.status_code)
                elif method == "GET":
                    assert response.status_code == 404, (url, response.status_code)
                else:  # a page's form post without its CSRF token stops there, before routing
                    assert response.status_code in {400, 404}, (url, response.status_code)
    assert api.get(_url("/api/v1/documents/<int:id>", issued)).status_code == 200
    assert _counts(app) == before


@pytest.mark.parametrize(
    "query",
    [
        *(f"year={n}" for n in BIG),
        *(f"page={n}" for n in BIG),
        *(f"per_page={n}" for n in BIG),
        "per_page=-5",
        "per_page=0",
        "page=0",
        "page=-1",
        "year=0",
        "year=٢٠١٧",  # Arabic-Indic digits: str.isdigit() says yes, the API says no
    ],
)
def test_query_integers_out_of_range_are_400(app, api, issued, query):
    body = _refused(api.get(f"/api/v1/documents?{query}"), 400, "invalid_query")
    assert query.split("=")[0] in body["details"]["fields"]


def test_nul_and_surrogates_in_the_query_are_400(app, api, issued):
    for query in ("q=a%00b", "issuer=%00", "%00=1", "q=x%ED%A0%80y"):
        response = api.get(f"/api/v1/documents?{query}")
        if "%ED" in query:  # werkzeug decodes invalid UTF-8 to U+FFFD: a harmless search
            assert response.status_code == 200
            continue
        _refused(response, 400, "invalid_text")
    assert "NUL" in api.get("/api/v1/documents?q=a%00b").json["message"]


def _raw(client, url: str, text: str, content_type: str = "application/json"):
    return client.post(url, data=text.encode("utf-8"), content_type=content_type)


def test_lone_surrogates_and_nul_in_json_bodies_are_400_and_write_nothing(app, api, loaded, issued):
    before = _counts(app)
    plan = api_body(loaded)
    bad_summary = json.dumps({**plan, "data": {**plan["data"], "summary": "x\ud800y"}})
    assert "\\ud800" in bad_summary  # sent as the JSON escape, as a client would
    cases = [
        ("/api/v1/documents", bad_summary),
        ("/api/v1/documents", json.dumps({**plan, "description": "a\u0000b"})),
        ("/api/v1/drafts", json.dumps({**plan, "unit": "\udfff"})),
        (f"/api/v1/documents/{issued}/withdraw", '{"reason": "x\\ud800y"}'),
        (f"/api/v1/documents/{issued}/withdraw", '{"reason": "nhầm\\u0000"}'),
        (f"/api/v1/documents/{issued}/withdraw", '{"re\\u0000ason": "nhầm"}'),
    ]
    for url, text in cases:
        body = _refused(_raw(api, url, text), 400, "invalid_text")
        assert body["details"]["field"] in {"data.summary", "description", "unit", "reason", ""}
    assert _counts(app) == before
    assert api.get(f"/api/v1/documents/{issued}").json["status"] == "in_force"


def test_json_nested_100000_deep_is_400(app, api, loaded, issued):
    before = _counts(app)
    deep = '{"data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    for url in ("/api/v1/documents", "/api/v1/drafts", f"/api/v1/documents/{issued}/withdraw"):
        _refused(_raw(api, url, deep), 400)
    forty = '{"reason": "x", "more": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}"
    _refused(_raw(api, f"/api/v1/documents/{issued}/withdraw", forty), 400, "json_too_deep")
    for constant in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps({**api_body(loaded)})[:-1] + f', "priority": {constant}}}'
        _refused(_raw(api, "/api/v1/documents", text), 400, "malformed_json")
    assert _counts(app) == before


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
def test_bodies_that_are_not_application_json_are_415_and_reach_no_write(
    app, api, loaded, issued, content_type
):
    """A cross-site ``<form enctype="text/plain">`` can send JSON-looking text: never parsed."""
    before = _counts(app)
    writes = [
        (f"/api/v1/documents/{issued}/withdraw", '{"reason": "giả mạo"}'),
        (f"/api/v1/documents/{issued}/supersede", f'{{"by": {issued}, "reason": "giả mạo"}}'),
        ("/api/v1/documents", json.dumps(api_body(loaded))),
        ("/api/v1/drafts", json.dumps(api_body(loaded))),
    ]
    for url, text in writes:
        headers = {} if content_type is None else {"Content-Type": content_type}
        response = api.post(url, data=text.encode("utf-8"), headers=headers)
        _refused(response, 415, "unsupported_media_type")
    assert _counts(app) == before
    assert api.get(f"/api/v1/documents/{issued}").json["status"] == "in_force"


def test_body_integers_beyond_the_database_and_unknown_keys_are_422(app, api, loaded, issued):
    before = _counts(app)
    supersede = f"/api/v1/documents/{issued}/supersede"
    for by in (*BIG, 0, -1, 1.5, "1", True):
        body = _refused(api.post(supersede, json={"by": by, "reason": "thay thế"}), 422)
        assert "by" in body["details"]["fields"]
    for extra in ({"priority": 2**63}, {"priority": 4}, {"issued_amount": 10**23}):
        body = _refused(api.post("/api/v1/documents", json=api_body(loaded, **extra)), 422)
        assert set(body["details"]["fields"]) == set(extra)
    withdraw = f"/api/v1/documents/{issued}/withdraw"
    body = _refused(api.post(withdraw, json={"reason": "nhầm", "force": True}), 422)
    assert body["details"]["fields"] == {"force": "trường không được hỗ trợ"}
    body = _refused(api.post(supersede, json={"by": issued, "reason": "x", "when": 1}), 422)
    assert "when" in body["details"]["fields"]
    for reason in ("", "   ", None, 5):
        _refused(api.post(withdraw, json={"reason": reason}), 422, "invalid_fields")
    assert _counts(app) == before


def test_an_integral_float_is_an_integer_as_json_schema_says(app, api, loaded):
    response = api.post("/api/v1/documents", json=api_body(loaded, issued_amount=3.0))
    assert response.status_code == 201, response.json
    full = api.get(response.json["links"]["self"]).json
    assert full["metadata"]["IssuedAmount"] == 3
