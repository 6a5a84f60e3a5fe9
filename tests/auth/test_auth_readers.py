"""Named readers of secret documents: the issuer's registrar names users of its own
organisation, who then see the document in search (results, counts, snippets) and can
download it, until the grant is revoked; nobody else is touched."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import inspect, select

from docgen.database import alembic_config, make_engine, migration_connection, upgrade
from docgen.db import get_db
from docgen.errors import Forbidden, NotFound
from docgen.models import AuditEvent, DocumentReader
from docgen.policy import Actor, DocumentFacts, Role, visible
from docgen.services import readers
from docgen.services.accounts import actor_for, user_by_username
from tests.conftest import BACKENDS
from tests.helpers import TEST_PASSWORD, api_client, make_user
from tests.web.pages import sign_in, text

WORDS = "q=dien+hinh+tien+tien"  # in the body of ke-hoach-2017, secret or not


@pytest.fixture
def documents(issue_as_console) -> tuple[int, int]:
    """Return the ids of (an ordinary document, a secret one) of ubnd-tinh, same text."""
    public = issue_as_console()
    secret = issue_as_console(register="ubnd-tinh-mat")
    return public.id, secret.id


@pytest.fixture
def drafter(app, loaded):
    """Return an API client of a drafter (chuyên viên) of ubnd-tinh, the issuer."""
    make_user(app, "chuyên.viên", roles=("drafter",))
    return api_client(app, _user(app, "chuyên.viên"))


def _user(app, username: str):
    with get_db(app).session() as session:
        return user_by_username(session, username)


def _actor(app, username: str) -> Actor:
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


def _found(client, query: str = WORDS) -> tuple[set[int], int, dict[int, dict]]:
    """Return (ids on the page, total, hit by id) of a search."""
    body = client.get(f"/api/v1/documents?{query}").json
    hits = {item["id"]: item for item in body["items"]}
    return set(hits), body["total"], hits


def test_a_named_reader_sees_the_secret_document_until_revoked(app, api, drafter, documents):
    public, secret = documents
    # Before: the drafter of the issuing organisation does not know the document exists.
    assert _found(drafter)[:2] == ({public}, 1)
    assert _found(drafter, "year=2017")[:2] == ({public}, 1)  # no words: counts too
    for url in (f"/api/v1/documents/{secret}", f"/api/v1/documents/{secret}/docx"):
        assert drafter.get(url).status_code == 404

    named = api.post(f"/api/v1/documents/{secret}/readers", json={"username": "chuyên.viên"})
    assert named.status_code == 201, named.json
    assert named.json["username"] == "chuyên.viên" and named.json["active"] is True
    assert named.json["granted_by"] == "văn.thư" and named.json["revoked_at"] is None
    assert named.headers["Cache-Control"] == "private, no-store"

    ids, total, hits = _found(drafter)
    assert ids == {public, secret} and total == 2
    snippet = hits[secret]["snippet"]
    assert snippet and "tiên tiến" in snippet["text"].lower() and snippet["highlights"]
    assert _found(drafter, "year=2017")[:2] == ({public, secret}, 2)
    assert drafter.get(f"/api/v1/documents/{secret}").json["id"] == secret
    download = drafter.get(f"/api/v1/documents/{secret}/docx")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    sha = drafter.get(f"/api/v1/documents/{secret}").json["sha256"]
    assert hashlib.sha256(download.data).hexdigest() == sha  # the archived bytes themselves

    revoked = app.test_client().delete(  # a DELETE needs no body (so no Content-Type)
        f"/api/v1/documents/{secret}/readers/chuyên.viên",
        headers={"Authorization": api.environ_base["HTTP_AUTHORIZATION"]},
    )
    assert revoked.status_code == 200, revoked.json
    assert revoked.json["active"] is False and revoked.json["revoked_by"] == "văn.thư"
    assert _found(drafter)[:2] == ({public}, 1)
    assert _found(drafter, "year=2017")[:2] == ({public}, 1)
    assert drafter.get(f"/api/v1/documents/{secret}/docx").status_code == 404

    # Named again: a new grant; the revoked one stays as history, and both are audited.
    assert api.post(f"/api/v1/documents/{secret}/readers",
                    json={"username": "CHUYÊN.VIÊN"}).status_code == 201  # fmt: skip
    listed = api.get(f"/api/v1/documents/{secret}/readers")
    assert listed.headers["Cache-Control"] == "private, no-store"
    assert [(r["username"], r["active"]) for r in listed.json["readers"]] == [
        ("chuyên.viên", False),
        ("chuyên.viên", True),
    ]
    with get_db(app).session() as session:
        rows = session.scalars(select(DocumentReader).order_by(DocumentReader.id)).all()
        assert [(r.document_id, r.organisation_id, r.active) for r in rows] == [
            (secret, "ubnd-tinh", False),
            (secret, "ubnd-tinh", True),
        ]
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.actor, AuditEvent.target_id, AuditEvent.details)
            .where(AuditEvent.action.in_(["grant_reader", "revoke_reader"]))
            .order_by(AuditEvent.id)
        ).all()
    assert [(a, who, target) for a, who, target, _ in trail] == [
        ("grant_reader", "văn.thư", str(secret)),
        ("revoke_reader", "văn.thư", str(secret)),
        ("grant_reader", "văn.thư", str(secret)),
    ]
    assert {details["reader"] for *_, details in trail} == {"chuyên.viên"}
    # Nothing changed for anyone else: another drafter still sees only the public one.
    make_user(app, "chuyen.vien.khac", roles=("drafter",))
    assert _found(api_client(app, _user(app, "chuyen.vien.khac")))[:2] == ({public}, 1)


def test_a_named_reader_sees_it_on_the_pages_too(app, api, drafter, documents):
    public, secret = documents
    browser = app.test_client()
    assert sign_in(browser, "chuyên.viên", TEST_PASSWORD).status_code in (302, 303)
    assert browser.get(f"/documents/{secret}").status_code == 404
    before = text(browser.get("/?q=dien+hinh+tien+tien"))
    assert f'/documents/{public}"' in before and f'/documents/{secret}"' not in before
    assert api.post(f"/api/v1/documents/{secret}/readers",
                    json={"username": "chuyên.viên"}).status_code == 201  # fmt: skip
    page = browser.get(f"/documents/{secret}")
    assert page.status_code == 200
    notation = api.get(f"/api/v1/documents/{secret}").json["notation"]
    assert notation in text(page)
    listing = text(browser.get("/?q=dien+hinh+tien+tien"))
    assert f'/documents/{secret}"' in listing and f'/documents/{public}"' in listing
    download = browser.get(f"/documents/{secret}/docx")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"


def test_only_users_of_the_issuing_organisation_can_be_named(app, api, documents):
    _, secret = documents
    make_user(app, "van.thu.snv", organisation="snv", roles=("registrar", "drafter"))
    messages = set()
    for username in ("van.thu.snv", "khong.ton.tai"):
        refused = api.post(f"/api/v1/documents/{secret}/readers", json={"username": username})
        assert refused.status_code == 400 and refused.json["code"] == "reader_not_in_organisation"
        assert "chỉ người của cơ quan ban hành" in refused.json["message"]
        messages.add(refused.json["message"].replace(username, "…"))
    assert len(messages) == 1  # the same answer: no hint of which usernames exist elsewhere
    assert api.get(f"/api/v1/documents/{secret}/readers").json["readers"] == []
    # The policy agrees even if a grant existed: secret documents stay inside the issuer.
    facts = DocumentFacts("ubnd-tinh", secret=True, readers=frozenset({"van.thu.snv"}))
    assert not visible(_actor(app, "van.thu.snv"), facts)


def test_only_the_issuers_registrar_or_admin_names_readers(app, api, drafter, documents, clock):
    public, secret = documents
    url = f"/api/v1/documents/{secret}/readers"
    refused = drafter.post(url, json={"username": "chuyên.viên"})
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    assert drafter.get(url).status_code == 403
    stranger = api_client(app, make_user(app, "van.thu.snv", organisation="snv"))
    assert stranger.post(url, json={"username": "chuyên.viên"}).status_code == 404
    assert stranger.get(url).status_code == 404  # another organisation's: not disclosed

    # Below the route gate, the service decides the same (the console's --as goes there).
    with get_db(app).session() as session:
        as_drafter = _actor(app, "chuyên.viên")
        with pytest.raises(NotFound):  # a secret document it may not read: not disclosed
            readers.grant_reader(session, secret, "chuyên.viên", actor=as_drafter, now=clock.now())
        with pytest.raises(Forbidden):  # an ordinary one it reads, but may not manage
            readers.list_readers(session, public, actor=as_drafter)

    admin = api_client(app, make_user(app, "quan.tri", roles=("admin",)))
    granted = admin.post(url, json={"username": "chuyên.viên"})
    assert granted.status_code == 201 and granted.json["granted_by"] == "quan.tri"
    # A named reader reads, but still may not name others.
    assert drafter.get(f"/api/v1/documents/{secret}").status_code == 200
    with get_db(app).session() as session, pytest.raises(Forbidden):
        readers.grant_reader(session, secret, "quan.tri", actor=_actor(app, "chuyên.viên"),
                             now=clock.now())  # fmt: skip


def test_naming_readers_of_an_ordinary_document_is_refused(app, api, drafter, documents):
    public, _ = documents
    refused = api.post(f"/api/v1/documents/{public}/readers", json={"username": "chuyên.viên"})
    assert refused.status_code == 409 and refused.json["code"] == "not_secret"
    assert "không thuộc sổ văn bản mật" in refused.json["message"]
    assert api.get(f"/api/v1/documents/{public}/readers").status_code == 409
    assert api.delete(f"/api/v1/documents/{public}/readers/chuyên.viên").status_code == 409
    with get_db(app).session() as session:
        assert session.scalars(select(DocumentReader)).all() == []


def test_bad_requests_twice_named_and_never_named(app, api, drafter, documents):
    _, secret = documents
    url = f"/api/v1/documents/{secret}/readers"
    for body in ({}, {"username": ""}, {"username": 5}, {"username": "a", "role": "x"}):
        refused = api.post(url, json=body)
        assert refused.status_code == 422 and refused.json["code"] == "invalid_fields", body
    assert api.post(url, data="username=a", content_type="text/plain").status_code == 415
    assert api.post(url, json={"username": "chuyên.viên"}).status_code == 201
    twice = api.post(url, json={"username": "chuyên.viên"})
    assert twice.status_code == 409 and twice.json["code"] == "reader_exists"
    assert api.delete(f"{url}/van.thu").status_code == 404  # the registrar was never named
    assert api.delete(f"{url}/chuyên.viên").status_code == 200
    gone = api.delete(f"{url}/chuyên.viên")
    assert gone.status_code == 404 and gone.json["code"] == "reader_not_found"
    assert api.delete(f"{url}/a%00b").status_code == 400
    with get_db(app).session() as session:
        assert len(session.scalars(select(DocumentReader)).all()) == 1


def test_the_readers_command(app, runner, drafter, documents):
    public, secret = documents
    make_user(app, "van.thu.snv", organisation="snv")
    granted = runner.invoke(args=["readers", "grant", str(secret), "chuyên.viên"])
    assert granted.exit_code == 0, granted.output
    assert "Đã chỉ định “chuyên.viên”" in granted.output
    listed = runner.invoke(args=["readers", "list", str(secret)])
    assert "chuyên.viên" in listed.output and "bởi cli" in listed.output
    assert "1 người đang được chỉ định" in listed.output
    assert _found(drafter)[:2] == ({public, secret}, 2)

    other = runner.invoke(args=["readers", "grant", str(secret), "van.thu.snv"])
    assert other.exit_code == 1 and "chỉ người của cơ quan ban hành" in other.output
    as_drafter = runner.invoke(
        args=["readers", "revoke", str(secret), "chuyên.viên", "--as", "chuyên.viên"]
    )
    assert as_drafter.exit_code == 1 and "Chỉ văn thư hoặc quản trị" in as_drafter.output

    revoked = runner.invoke(args=["readers", "revoke", str(secret), "chuyên.viên"])
    assert revoked.exit_code == 0 and "Đã thu hồi" in revoked.output
    assert "0 người" in runner.invoke(args=["readers", "list", str(secret)]).output
    history = runner.invoke(args=["readers", "list", str(secret), "--all"]).output
    assert "thu hồi" in history and "bởi cli" in history
    assert _found(drafter)[:2] == ({public}, 1)
    ordinary = runner.invoke(args=["readers", "grant", str(public), "chuyên.viên"])
    assert ordinary.exit_code == 1 and "không thuộc sổ văn bản mật" in ordinary.output


def test_named_readers_are_a_policy_fact_of_the_issuer_only():
    def actor(org: str, *roles: Role) -> Actor:
        return Actor(username="u", organisation=org, roles=frozenset(roles), user_id=1)

    named = DocumentFacts("ubnd-tinh", secret=True, readers=frozenset({"u"}))
    assert visible(actor("ubnd-tinh", Role.DRAFTER), named)
    assert not visible(actor("snv", Role.REGISTRAR), named)
    assert not visible(actor("ubnd-tinh", Role.DRAFTER), DocumentFacts("ubnd-tinh", secret=True))


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0005_adds_and_removes_the_table(make_database, backend):
    engine = make_engine(make_database(backend))
    try:
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("document_reader")}
        active = indexes["uq_document_reader_active"]
        assert active["unique"] and active["column_names"] == ["document_id", "user_id"]
        _migrate(engine, "0004", down=True)
        assert "document_reader" not in inspect(engine).get_table_names()
        _migrate(engine, "head")
        assert "document_reader" in inspect(engine).get_table_names()
    finally:
        upgrade(engine)  # the PostgreSQL schema is shared by the session's tests
        engine.dispose()


def _migrate(engine, revision: str, *, down: bool = False) -> None:
    from alembic import command

    with migration_connection(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)
