"""The pure policy module: who may do what, and which documents a search may return."""

from __future__ import annotations

import subprocess
import sys

import pytest

from docgen.policy import (
    ANONYMOUS,
    Action,
    Actor,
    DocumentFacts,
    Role,
    can,
    document_scope,
    parse_roles,
    route_allows,
    system_actor,
    visible,
)


def actor(org: str = "ubnd-tinh", *roles: Role, name: str = "u") -> Actor:
    return Actor(username=name, organisation=org, roles=frozenset(roles), user_id=1)


PLAN = DocumentFacts(organisation="ubnd-tinh", addressed_to=frozenset({"btdkt"}))
SECRET = DocumentFacts(organisation="ubnd-tinh", secret=True)


def test_anonymous_may_do_nothing_and_the_console_everything():
    assert not any(can(ANONYMOUS, a, PLAN) for a in Action if a is not Action.READ_JOB)
    assert all(can(system_actor(), a, SECRET) for a in Action)


def test_issue_and_status_changes_belong_to_the_issuers_registrar():
    assert can(actor("ubnd-tinh", Role.REGISTRAR), Action.ISSUE, "ubnd-tinh")
    assert not can(actor("snv", Role.REGISTRAR), Action.ISSUE, "ubnd-tinh")
    assert not can(actor("ubnd-tinh", Role.DRAFTER, Role.SIGNER), Action.ISSUE, "ubnd-tinh")
    assert can(actor("ubnd-tinh", Role.ADMIN), Action.CHANGE_STATUS, PLAN)
    assert not can(actor("ubnd-tinh", Role.ARCHIVIST), Action.CHANGE_STATUS, PLAN)


def test_reading_follows_the_organisation_and_the_boards_relation():
    assert visible(actor("ubnd-tinh", Role.DRAFTER), PLAN)
    assert not visible(actor("snv", Role.ADMIN), PLAN)
    assert visible(actor("btdkt", Role.BOARD), PLAN)  # addressed to the board
    assert not visible(actor("btdkt", Role.ARCHIVIST), PLAN)  # a relation, not a bypass


def test_secret_documents_only_for_the_issuers_registrar_and_named_readers():
    assert visible(actor("ubnd-tinh", Role.REGISTRAR), SECRET)
    assert not visible(actor("ubnd-tinh", Role.ARCHIVIST, Role.ADMIN), SECRET)
    named = DocumentFacts(organisation="ubnd-tinh", secret=True, readers=frozenset({"u"}))
    assert visible(actor("ubnd-tinh", Role.DRAFTER), named)


def test_document_scope():
    assert document_scope(system_actor()).organisations is None
    nobody = document_scope(ANONYMOUS)
    assert nobody.organisations == frozenset() and nobody.secret_organisations == frozenset()
    board = document_scope(actor("btdkt", Role.BOARD))
    assert board.addressed_to == "btdkt" and board.secret_organisations == frozenset()
    assert document_scope(actor("ubnd-tinh", Role.REGISTRAR)).secret_organisations == {"ubnd-tinh"}


def test_route_gate():
    assert route_allows("api.openapi", ANONYMOUS) is True
    assert route_allows("api.list_documents", ANONYMOUS) is False
    assert route_allows("api.issue", actor("ubnd-tinh", Role.DRAFTER)) is False
    assert route_allows("api.issue", actor("ubnd-tinh", Role.REGISTRAR)) is True
    assert route_allows("khong.co", system_actor()) is None


def test_parse_roles_names_the_unknown_one():
    assert parse_roles(["admin", "signer"]) == {Role.ADMIN, Role.SIGNER}
    with pytest.raises(ValueError, match="“chief”"):
        parse_roles(["chief"])


def test_policy_imports_no_flask_and_no_database():
    code = "import sys, docgen.policy; print(sorted(m for m in sys.modules if m.split('.')[0] in {'flask', 'sqlalchemy', 'docgen'}))"  # noqa: E501
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['docgen', 'docgen.policy']"
