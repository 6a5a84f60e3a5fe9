"""Account services and commands: validation in Vietnamese, audit without secrets, the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.errors import FieldError, Forbidden, TooManyRequests
from docgen.identity import CONVERSIONS_PER_USER, conversion_slot
from docgen.models import AuditEvent, User
from docgen.policy import Actor, Role, system_actor
from docgen.services import accounts
from tests.helpers import TEST_PASSWORD, make_user

CONSOLE = system_actor("kiểm thử")


def _create(session, clock, **fields):
    values = {"username": "thu.ky", "name": "Trần Văn B", "organisation": "ubnd-tinh",
              "roles": ["drafter"], "password": TEST_PASSWORD, **fields}  # fmt: skip
    return accounts.create_user(session, actor=CONSOLE, now=clock.now(), **values)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "a b"}, "username"),
        ({"username": "<script>"}, "username"),
        ({"username": "x" * 10_000}, "username"),
        ({"name": ""}, "name"),
        ({"name": "x" * 10_000}, "name"),
        ({"organisation": "khong-co"}, "organisation"),
        ({"roles": ["chief"]}, "roles"),
        ({"roles": []}, "roles"),
        ({"roles": ["signer"]}, "signer"),  # a signer account names its signer record
        ({"signer": "mai-van-huynh"}, "signer"),  # … and only a signer account does
        ({"roles": ["signer"], "signer": "gd-snv-mau"}, "signer"),  # of its own organisation
        ({"password": "ngắn"}, "password"),
        ({"username": "thu.ky.van.ban", "password": "THU.KY.VAN.BAN"}, "password"),
    ],
)
def test_create_user_refuses_bad_fields_in_vietnamese(app, loaded, clock, fields, field):
    with get_db(app).session() as session, pytest.raises(FieldError) as caught:
        _create(session, clock, **fields)
    assert field in caught.value.fields
    assert any(ord(c) > 0x7F for c in caught.value.fields[field])  # Vietnamese, with diacritics


def test_usernames_are_unique_whatever_their_case(app, loaded, clock):
    with get_db(app).session() as session:
        user, generated = _create(session, clock, username="Văn.Thư", password=None)
        assert generated and len(generated) >= 16
        assert accounts.user_by_username(session, "VĂN.THƯ").id == user.id
        with pytest.raises(FieldError, match="đã được dùng"):
            _create(session, clock, username="văn.thư")


def test_signer_accounts_and_audit_without_secrets(app, loaded, clock):
    with get_db(app).session() as session:
        user, _ = _create(session, clock, roles=["signer"], signer="mai-van-huynh")
        assert accounts.actor_for(user).signer == "mai-van-huynh"
        accounts.set_roles(session, user, ["drafter"], actor=CONSOLE, now=clock.now())
        assert user.signer is None and user.session_epoch == 1
        session.commit()
        details = [str(e.details) for e in session.scalars(select(AuditEvent))]
    assert details and not any(TEST_PASSWORD in d or "argon2" in d for d in details)


def test_an_admin_manages_only_its_own_organisation(app, loaded, clock):
    admin = Actor("qt", "snv", frozenset({Role.ADMIN}), user_id=99)
    with get_db(app).session() as session:
        with pytest.raises(Forbidden):
            accounts.create_user(session, username="x.y", name="X", organisation="ubnd-tinh",
                                 roles=["drafter"], actor=admin, now=clock.now())  # fmt: skip
        user, _ = accounts.create_user(session, username="x.y", name="X", organisation="snv",
                                       roles=["drafter"], actor=admin, now=clock.now())  # fmt: skip
        assert user.organisation == "snv"


def test_admin_missing_hint(app, loaded, clock):
    with get_db(app).session() as session:
        assert "docgen users add" in accounts.admin_missing_hint(session)
    make_user(app, "quan.tri", roles=("admin",))
    with get_db(app).session() as session:
        assert accounts.admin_missing_hint(session) is None


def test_conversions_per_user_are_limited():
    someone = Actor("a", "ubnd-tinh", frozenset({Role.DRAFTER}), user_id=1)
    other = Actor("b", "ubnd-tinh", frozenset({Role.DRAFTER}), user_id=2)
    with conversion_slot(someone), conversion_slot(someone):
        assert CONVERSIONS_PER_USER == 2
        with pytest.raises(TooManyRequests) as caught, conversion_slot(someone):
            pass
        assert "chuyển PDF" in caught.value.message and caught.value.http_status == 429
        with conversion_slot(other):  # another clerk is not held up
            pass
    with conversion_slot(someone):  # the slots were given back
        pass


def test_users_and_tokens_commands(app, loaded, runner):
    added = runner.invoke(args=["users", "add", "Lưu.Trữ", "--name", "Lê Thị C", "--org", "snv",
                                "--role", "archivist", "--role", "admin"])  # fmt: skip
    assert added.exit_code == 0, added.output
    password = added.output.split("một lần): ")[1].strip()
    listed = runner.invoke(args=["users", "list"])
    assert "Lưu.Trữ" in listed.output and "admin,archivist" in listed.output
    assert "Chưa có tài khoản quản trị" not in listed.output
    now = app.extensions["docgen.clock"].now()
    with get_db(app).session() as session:
        accounts.authenticate(session, "lưu.trữ", password, now=now)
    reset = runner.invoke(args=["users", "set-password", "lưu.trữ"], input="mật khẩu mới đủ dài\n")
    assert reset.exit_code == 0, reset.output
    created = runner.invoke(args=["tokens", "create", "lưu.trữ", "--name", "máy chủ khác"])
    assert created.exit_code == 0 and created.stdout.strip().startswith("dg_")
    assert runner.invoke(args=["tokens", "revoke", "1"]).exit_code == 0
    assert "thu hồi" in runner.invoke(args=["tokens", "list", "lưu.trữ"]).output
    assert runner.invoke(args=["users", "disable", "lưu.trữ"]).exit_code == 0
    with get_db(app).session() as session:
        user = session.scalars(select(User)).one()
        assert not user.active and user.session_epoch == 2
    bad = runner.invoke(
        args=["users", "add", "x", "--name", "X", "--org", "snv", "--role", "admin"]
    )
    assert bad.exit_code != 0 and "username" in bad.output


def test_register_book_is_for_the_issuers_archivists(app, loaded, issue_as_console):
    from docgen.errors import NotFound
    from docgen.services.lookup import DbRecordLookup
    from docgen.services.register_book import register_book

    issue_as_console()
    archivist = Actor("lt", "ubnd-tinh", frozenset({Role.ARCHIVIST}), user_id=1)
    stranger = Actor("lt2", "snv", frozenset({Role.ARCHIVIST}), user_id=2)
    with get_db(app).session() as session:
        lookup = DbRecordLookup(session)
        book = register_book(session, lookup, "ubnd-tinh", 2017, actor=archivist)
        assert len(book.rows) == 1
        with pytest.raises(Forbidden):
            register_book(session, lookup, "ubnd-tinh", 2017, actor=stranger)
        with pytest.raises(NotFound):  # the secret register's book is not the archivist's
            register_book(
                session, lookup, "ubnd-tinh", 2017, register="ubnd-tinh-mat", actor=archivist
            )
