"""Helpers of the page tests: read the CSRF token of a page, sign in through the form."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """Return the CSRF token of the client's session, as a page's <meta> tag carries it."""
    html = client.get(page, follow_redirects=True).get_data(as_text=True)
    match = _META.search(html)
    assert match, f"no CSRF <meta> tag on {page}"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict, **kwargs) -> TestResponse:
    """Return the response to a form POST that carries the session's CSRF token."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client)}, **kwargs)


def sign_in(client: FlaskClient, username: str, password: str, **extra: str) -> TestResponse:
    """Return the response to signing in through the sign-in form."""
    return post_form(client, "/login", {"username": username, "password": password, **extra})


def user_named(app, username: str):
    """Return the user ``username`` (loaded, detached: for ids and ``tests.helpers``)."""
    from docgen.db import get_db
    from docgen.services.accounts import user_by_username

    with get_db(app).session() as session:
        return user_by_username(session, username)


def text(response: TestResponse) -> str:
    """Return the response body as text."""
    return response.get_data(as_text=True)
