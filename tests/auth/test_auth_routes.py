"""The route matrix (design D14): {anonymous, each role} × {own organisation, another} × every
rule and method of ``app.url_map``. An endpoint missing from ``policy.ROUTES`` fails it."""

from __future__ import annotations

import re

from flask import Flask

from docgen import policy
from docgen.policy import PUBLIC, SIGNED_IN, Role
from tests.helpers import bearer, make_token, make_user

OWN, OTHER = "ubnd-tinh", "snv"
SIGNERS = {OWN: "mai-van-huynh", OTHER: "gd-snv-mau"}
SKIP_METHODS = {"HEAD", "OPTIONS"}


def _users(app: Flask) -> dict[str, tuple[object, str]]:
    """Return label → (user, token): one user per role in each organisation."""
    out = {}
    for org in (OWN, OTHER):
        for role in Role:
            signer = SIGNERS[org] if role is Role.SIGNER else None
            user = make_user(app, f"{role}.{org}", organisation=org, roles=(str(role),),
                             signer=signer)  # fmt: skip
            out[f"{role}@{org}"] = (user, make_token(app, user))
    return out


def _url(rule, document_id: int) -> str:
    url = rule.rule
    for name in rule.arguments:
        value: object = document_id if name.endswith("id") else 1
        choices = re.search(rf"<any\(([^)]*)\):{name}>", url)
        if choices:  # any(docx, pdf, pdfa): the first choice
            value = choices.group(1).split(",")[0].strip()
        url = re.sub(rf"<[^<>]*\b{name}>", str(value), url)
    return url


def _page_client(app: Flask, user) -> object:
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def test_every_endpoint_is_named_in_the_policy(app):
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(policy.ROUTES))
    assert not missing, f"endpoints without a permission in docgen.policy.ROUTES: {missing}"


def test_route_matrix(app, loaded, issue_as_console):
    document = issue_as_console()  # a document of OWN
    users = _users(app)
    cells = [("anonymous", None, None)] + [(k, u, t) for k, (u, t) in users.items()]
    problems = []
    for rule in app.url_map.iter_rules():
        rule_gate = policy.ROUTES.get(rule.endpoint)
        assert rule_gate is not None, rule.endpoint
        api = rule.rule.startswith("/api/")
        url = _url(rule, document.id)
        for method in sorted(rule.methods - SKIP_METHODS):
            for label, user, token in cells:
                status = _status(app, url, method, api, user, token)
                expected = _expected(rule_gate, user, api)
                ok = status in expected if isinstance(expected, set) else status not in {401, 403}
                if "document_id" in rule.arguments and user is not None and ok:
                    actor_org = user.organisation
                    # a page POST without its CSRF token is refused (400) before any loader;
                    # tests/web/drafting checks the 404 of such a POST that carries its token
                    refused = {401, 403, 404} | ({400} if not api and method == "POST" else set())
                    if actor_org == OTHER and status not in refused:
                        ok = False  # another organisation's document must not be reachable
                if not ok:
                    problems.append(f"{method} {url} as {label}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)


def _status(app: Flask, url: str, method: str, api: bool, user, token) -> int:
    """Return the status of one request (an HTTP error a page lets escape counts as such)."""
    try:
        if api:
            headers = bearer(token) if token else {}
            body = {"reason": "kiểm thử"}  # valid enough to reach the loaders
            if url.endswith("/supersede"):
                body["by"] = 1
            kwargs = {"json": body} if method != "GET" else {}
            return app.test_client().open(url, method=method, headers=headers, **kwargs).status_code
        return _page_client(app, user).open(url, method=method).status_code
    except Exception as exc:  # TESTING propagates what a page's handler re-raises
        return getattr(exc, "code", None) or 500


def _expected(gate, user, api: bool) -> set[int] | str:
    """Return the statuses the gate gives, or "passes" when the view decides."""
    if gate == PUBLIC:
        return "passes"
    if user is None:
        return {401} if api else {302, 401}
    if gate == SIGNED_IN or set(user.roles) & {str(r) for r in gate}:
        return "passes"
    return {403}
