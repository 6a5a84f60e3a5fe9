"""The drafts' tables (migration 0006) and who may take which step (docgen.policy)."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from docgen.database import alembic_config, make_engine, migration_connection, upgrade
from docgen.policy import Action, Actor, DraftFacts, Role, can, system_actor
from tests.conftest import BACKENDS

DRAFT = DraftFacts("ubnd-tinh", author_id=7, signer="mai-van-huynh")


def _actor(organisation: str, *roles: Role, user_id: int = 1, signer: str | None = None) -> Actor:
    return Actor(
        username="u",
        organisation=organisation,
        roles=frozenset(roles),
        user_id=user_id,
        signer=signer,
    )


def test_who_may_take_which_step():
    author = _actor("ubnd-tinh", Role.DRAFTER, user_id=7)
    colleague = _actor("ubnd-tinh", Role.DRAFTER, user_id=8)
    registrar = _actor("ubnd-tinh", Role.REGISTRAR, user_id=9)
    signer = _actor("ubnd-tinh", Role.SIGNER, signer="mai-van-huynh")
    other_signer = _actor("ubnd-tinh", Role.SIGNER, signer="mai-van-huynh-tm")
    outsider = _actor("snv", Role.REGISTRAR, Role.SIGNER, signer="mai-van-huynh")
    unlinked = _actor("ubnd-tinh", Role.DRAFTER, signer="mai-van-huynh")  # no signer role
    table = {
        Action.READ_DRAFT: {author, colleague, registrar, signer, other_signer, unlinked},
        Action.EDIT_DRAFT: {author, registrar},
        Action.SIGN_DRAFT: {signer},
        Action.RECORD_PAPER_SIGNATURE: {registrar},
    }
    everyone = {author, colleague, registrar, signer, other_signer, outsider, unlinked}
    for action, allowed in table.items():
        for actor in everyone:
            assert can(actor, action, DRAFT) == (actor in allowed), (action, actor)
        assert can(system_actor(), action, DRAFT)
    assert not can(signer, Action.SIGN_DRAFT, DraftFacts("ubnd-tinh", 7, None))


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0006_adds_and_removes_the_tables(make_database, backend):
    engine = make_engine(make_database(backend))
    try:
        columns = {c["name"] for c in inspect(engine).get_columns("draft")}
        assert {"state", "version", "document_id", "last_comment"} <= columns
        assert "number" not in columns  # a draft never carries a number
        _migrate(engine, "0005", down=True)
        assert {"draft", "draft_event"}.isdisjoint(inspect(engine).get_table_names())
        _migrate(engine, "head")
        assert {"draft", "draft_event"} <= set(inspect(engine).get_table_names())
    finally:
        upgrade(engine)  # the PostgreSQL schema is shared by the session's tests
        engine.dispose()


def _migrate(engine, revision: str, *, down: bool = False) -> None:
    from alembic import command

    with migration_connection(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)
