"""GETs write nothing: every GET route of the app, on a populated archive, leaves every
table's row count as it was — for a signed-in user with (nearly) every role and for anonymous —
but the use log, which Decree 30 (Appendix VI §III.6) asks to record every view and download.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import inspect, text
from werkzeug.routing import Rule

from docgen.db import get_db
from docgen.jobs import get_queue
from tests.helpers import TEST_PASSWORD, api_body, api_client, make_user
from tests.web.pages import sign_in

EVERY_ROLE = ("drafter", "registrar", "board", "archivist", "admin")  # signer needs a record


def _row_counts(app: Flask) -> dict[str, int]:
    engine = get_db(app).engine
    tables = inspect(engine).get_table_names()
    with engine.connect() as conn:
        return {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}


def _urls(rule: Rule, values: dict[str, object]) -> list[str]:
    """Return the URLs to GET for ``rule``: each choice of its ``any(…)`` parts (docx, pdf…;
    withdraw, supersede…), other parts from ``values`` (an id or number not named there: 1)."""
    if rule.endpoint == "static":
        return ["/static/vendor/htmx.min.js"]
    combos: list[dict[str, object]] = [{}]
    for name in sorted(rule.arguments):
        choices = getattr(rule._converters.get(name), "items", None)
        options = sorted(choices) if choices else [values.get(name, 1)]
        combos = [{**combo, name: option} for combo in combos for option in options]
    return [rule.build(args)[1] for args in combos]


def test_no_get_route_writes_a_row(app: Flask, api, registrar, loaded):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    for code in ("ke-hoach-2017", "cong-van-de-nghi-2017"):
        assert api.post("/api/v1/documents", json=api_body(loaded, code)).status_code == 201
    assert get_queue(app).run_pending() == 2  # every document has its PDF and PDF/A
    api.post("/api/v1/documents/2/withdraw", json={"reason": "Ban hành nhầm"})
    everyone = make_user(app, "tatca", organisation="ubnd-tinh", roles=EVERY_ROLE)
    values = {"document_id": 1, "page": 1, "job_id": 1, "user_id": everyone.id}
    browser = app.test_client()
    assert sign_in(browser, "tatca", TEST_PASSWORD).status_code in (302, 303)
    token_client = api_client(app, everyone)
    anonymous = app.test_client()

    before = _row_counts(app)
    assert before["document"] == 2 and before["rendition"] == 4 and before["job"] == 2
    seen = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        for url in _urls(rule, values):
            client = token_client if url.startswith("/api/") else browser
            for who in (client, anonymous):
                response = who.get(url)
                response.close()  # a static file is streamed from an open file
                assert response.status_code < 500, (url, response.status_code)
            seen.append(rule.endpoint)
    after = _row_counts(app)
    assert after.pop("document_access") > before.pop("document_access")  # views, downloads
    assert after == before
    assert {"api.get_pdf", "api.get_preview", "archive.download", "jobs.show"} <= set(seen)
