"""Fixtures for the accounts and authorization tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Document
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document


@pytest.fixture
def issue_as_console(app: Flask, clock, loaded) -> Callable[..., Document]:
    """Return a function issuing a recorded document as the console, committed."""

    def run(code: str = "ke-hoach-2017", **overrides: Any) -> Document:
        request = IssueRequest(**{**loaded.document(code).request(), **overrides})
        with get_db(app).session() as session:
            document = issue_document(session, request, actor=system_actor("kiểm thử"),
                                      clock=clock, renderer=get_renderer(app))  # fmt: skip
            session.commit()
            return document

    return run
