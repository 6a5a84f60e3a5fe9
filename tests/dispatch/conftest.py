"""Fixtures for the dispatch tests: issued documents of ubnd-tinh and the people around them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Document
from docgen.policy import Actor, system_actor
from docgen.runtime import get_renderer
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.issuance import IssueRequest, issue_document
from tests.helpers import make_user


@dataclass(frozen=True)
class People:
    registrar: Actor  # văn thư of ubnd-tinh
    drafter: Actor  # chuyên viên of ubnd-tinh
    outsider: Actor  # văn thư of snv


def _actor(app: Flask, username: str) -> Actor:
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


@pytest.fixture
def people(app: Flask, loaded, registrar) -> People:
    make_user(app, "chuyên.viên", roles=("drafter",))
    make_user(app, "văn.thư.snv", organisation="snv", roles=("registrar",))
    return People(
        registrar=_actor(app, registrar.username),
        drafter=_actor(app, "chuyên.viên"),
        outsider=_actor(app, "văn.thư.snv"),
    )


@pytest.fixture
def issue(app: Flask, clock, loaded) -> Callable[..., Document]:
    """Return a function issuing a recorded document as the console, committed."""

    def run(code: str = "ke-hoach-2017", **overrides: Any) -> Document:
        request = IssueRequest(**{**loaded.document(code).request(), **overrides})
        with get_db(app).session() as session:
            document = issue_document(session, request, actor=system_actor("kiểm thử"),
                                      clock=clock, renderer=get_renderer(app))  # fmt: skip
            session.commit()
            return document

    return run
