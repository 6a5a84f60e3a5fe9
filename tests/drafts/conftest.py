"""Fixtures for the drafts tests: the people of a signing workflow, as actors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.policy import Actor
from docgen.rendering.documents import DocumentRenderer
from docgen.runtime import get_renderer
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.chain import plain
from tests.helpers import make_user

SIGNER = "mai-van-huynh"  # the signer of the 2017 plan (records/signers.yaml)
OTHER_SIGNER = "mai-van-huynh-tm"  # another signer record of ubnd-tinh


@dataclass(frozen=True)
class People:
    """The actors of ubnd-tinh's signing workflow, and an outsider."""

    drafter: Actor  # chuyên viên, the author
    colleague: Actor  # another chuyên viên of the same organisation
    signer: Actor  # lãnh đạo linked to SIGNER
    other_signer: Actor  # lãnh đạo linked to OTHER_SIGNER
    registrar: Actor  # văn thư
    outsider: Actor  # a registrar of btdkt


def _actor(app: Flask, username: str) -> Actor:
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


@pytest.fixture
def people(app: Flask, loaded, registrar) -> People:
    make_user(app, "chuyên.viên", roles=("drafter",))
    make_user(app, "đồng.nghiệp", roles=("drafter",))
    make_user(app, "lãnh.đạo", roles=("signer",), signer=SIGNER)
    make_user(app, "phó.chủ.tịch", roles=("signer",), signer=OTHER_SIGNER)
    make_user(app, "thi.đua", organisation="btdkt", roles=("registrar", "drafter"))
    return People(
        drafter=_actor(app, "chuyên.viên"),
        colleague=_actor(app, "đồng.nghiệp"),
        signer=_actor(app, "lãnh.đạo"),
        other_signer=_actor(app, "phó.chủ.tịch"),
        registrar=_actor(app, registrar.username),
        outsider=_actor(app, "thi.đua"),
    )


@pytest.fixture
def renderer(app: Flask) -> DocumentRenderer:
    return get_renderer(app)


@pytest.fixture
def plan(loaded) -> dict[str, Any]:
    """Return the 2017 plan as the keyword arguments of ``create_draft``."""
    request = loaded.document("ke-hoach-2017").request()
    return {
        "template": request["template"],
        "data": plain(request["fields"]),
        "signer": request["signer"],
        "recipients": request["recipients"],
        "unit": request["unit"],
    }
