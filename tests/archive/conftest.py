"""Fixtures for archive tests: issuing real records, and tampering behind the archive's back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from docgen.db import get_db
from docgen.models import Document
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.clock import FixedClock
from docgen.services.issuance import IssueRequest, issue_document


@pytest.fixture
def backend(app: Flask) -> str:
    """Return "sqlite" or "postgresql"."""
    return get_db(app).engine.dialect.name


@pytest.fixture
def request_for(loaded) -> Callable[..., IssueRequest]:
    """Return a function building the issuance request of a recorded document."""

    def make(code: str = "ke-hoach-2017", **overrides: Any) -> IssueRequest:
        values = {**loaded.document(code).request(), **overrides}
        return IssueRequest(**values)

    return make


@pytest.fixture
def issue(app: Flask, clock: FixedClock, request_for) -> Callable[..., Document]:
    """Return a function that issues a recorded document in its own committed transaction."""

    def run(code: str = "ke-hoach-2017", *, actor: str = "văn thư", **overrides: Any) -> Document:
        with get_db(app).session() as session:
            document = issue_document(
                session,
                request_for(code, **overrides),
                actor=system_actor(actor),  # the console: these tests are not about roles
                clock=clock,
                renderer=get_renderer(app),
            )
            session.commit()
            return document

    return run


def run_tampered(app: Flask, *statements: str, params: dict[str, Any] | None = None) -> None:
    """Run raw SQL with the immutability triggers out of the way (as an attacker would)."""
    engine = get_db(app).engine
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # the pragma is ignored inside a transaction: set it before BEGIN
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            if sqlite:
                names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
                for name in list(names.scalars()):
                    conn.execute(text(f"DROP TRIGGER {name}"))
            else:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            for statement in statements:
                conn.execute(text(statement), params or {})
        if sqlite:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


@pytest.fixture
def tamper(app: Flask) -> Callable[..., None]:
    """Return a function running raw SQL on the test database with the triggers bypassed."""

    def run(*statements: str, params: dict[str, Any] | None = None) -> None:
        run_tampered(app, *statements, params=params)

    return run
