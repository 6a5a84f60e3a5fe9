"""Fixtures of the job tests: issuing a recorded document in its own transaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Document
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.clock import FixedClock
from docgen.services.issuance import IssueRequest, issue_document


@pytest.fixture
def issue(app: Flask, clock: FixedClock, loaded) -> Callable[[str], Document]:
    """Return a function that issues a recorded document and commits (no job queued)."""

    def run(code: str = "ke-hoach-2017") -> Document:
        with get_db(app).session() as session:
            document = issue_document(
                session, IssueRequest(**loaded.document(code).request()),
                actor=system_actor("văn thư"), clock=clock, renderer=get_renderer(app),
            )  # fmt: skip
            session.commit()
            return document

    return run


@pytest.fixture
def tamper(app: Flask) -> Callable[[str], None]:
    """Return a function running raw SQL behind the archive's back (triggers bypassed)."""
    from tests.archive.conftest import run_tampered

    def run(statement: str) -> None:
        run_tampered(app, statement)

    return run
