"""Accounts through the API and the services: tokens, sign-in throttling, sessions ended by a
password change, organisation scope (404), secret documents, JSON-only writes, names intact."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from docgen.db import get_db
from docgen.errors import SignInError, SignInThrottled
from docgen.identity import sign_in
from docgen.models import ApiToken, AuditEvent, Document, SignInFailure
from docgen.policy import system_actor
from docgen.services import accounts
from tests.helpers import TEST_PASSWORD, api_body, api_client, bearer, make_token, make_user

CONSOLE = system_actor("kiểm thử")


def test_token_create_use_revoke(app, loaded, registrar, clock):
    token = make_token(app, registrar)
    client = app.test_client()
    assert client.get("/api/v1/documents").status_code == 401
    missing = client.get("/api/v1/documents")
    assert missing.json["code"] == "unauthenticated"
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/documents", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/documents", headers=bearer(token + "x")).status_code == 401
    # a cookie never authenticates the API
    client.set_cookie("token", token)
    assert client.get("/api/v1/documents").status_code == 401
    with get_db(app).session() as session:
        stored = accounts.list_tokens(session, accounts.get_user(session, registrar.id))[0]
        assert stored.token_hash != token and token.startswith(stored.prefix)
        accounts.revoke_token(session, stored.id, actor=CONSOLE, now=clock.now())
        session.commit()
    assert client.get("/api/v1/documents", headers=bearer(token)).status_code == 401


def test_a_token_revoked_by_another_server_stops_working_within_the_cache_time(
    app, loaded, registrar
):
    token = make_token(app, registrar)
    cache = app.extensions["docgen.token_cache"]
    cache.ttl = 0.3  # seconds (production: identity.TOKEN_CACHE_SECONDS)
    client = app.test_client()
    assert client.get("/api/v1/documents", headers=bearer(token)).status_code == 200
    # another app server revokes it: the row changes, this process is not told
    with get_db(app).session() as session:
        session.execute(update(ApiToken).values(revoked_at=datetime.now(UTC)))
        session.commit()
    assert client.get("/api/v1/documents", headers=bearer(token)).status_code == 200  # cached
    time.sleep(0.35)
    assert client.get("/api/v1/documents", headers=bearer(token)).status_code == 401


def test_a_disabled_users_token_stops_working(app, loaded, registrar, clock):
    token = make_token(app, registrar)
    with get_db(app).session() as session:
        user = accounts.get_user(session, registrar.id)
        accounts.set_active(session, user, False, actor=CONSOLE, now=clock.now())
        session.commit()
    assert app.test_client().get("/api/v1/documents", headers=bearer(token)).status_code == 401


def test_sign_in_failures_grow_a_delay_and_never_say_which_part_was_wrong(app, loaded, clock):
    make_user(app, "thu.ky", roles=("drafter",))

    def attempt(username: str, password: str, at) -> SignInError | None:
        """Sign in as the login view does: commit, also the record of a failure."""
        with get_db(app).session() as session:
            try:
                accounts.authenticate(session, username, password, now=at)
            except SignInError as exc:
                session.commit()
                return exc
            session.commit()
            return None

    now = clock.now()
    messages = {attempt(name, "sai mật khẩu", now).message for name in ("thu.ky", "khong.co")}
    assert messages == {accounts.SIGN_IN_FAILED}  # never says whether the username exists
    for _ in range(4):
        assert type(attempt("THU.KY", "sai", now)) is SignInError
    throttled = attempt("thu.ky", TEST_PASSWORD, now)  # even the right password waits
    assert isinstance(throttled, SignInThrottled) and throttled.details["wait_seconds"] == 15
    assert "15 giây" in throttled.message
    later = now + timedelta(seconds=16)
    assert type(attempt("thu.ky", "sai", later)) is SignInError
    longer = attempt("thu.ky", TEST_PASSWORD, later)
    assert isinstance(longer, SignInThrottled) and longer.details["wait_seconds"] == 30
    assert attempt("thu.ky", TEST_PASSWORD, later + timedelta(seconds=31)) is None
    with get_db(app).session() as session:
        user = accounts.user_by_username(session, "thu.ky")
        assert user.last_login_at is not None
        assert session.get(SignInFailure, "thu.ky") is None  # success clears the count
        assert session.get(SignInFailure, "khong.co").failures == 1


def test_rehash_on_sign_in_when_parameters_change(app, loaded, clock):
    from argon2 import PasswordHasher

    make_user(app, "thu.ky", roles=("drafter",))
    previous = accounts.set_password_hasher(PasswordHasher(time_cost=2, memory_cost=2048))
    try:
        with get_db(app).session() as session:
            user = accounts.authenticate(session, "thu.ky", TEST_PASSWORD, now=clock.now())
            assert "m=2048,t=2" in user.password_hash
    finally:
        accounts.set_password_hasher(previous)


def test_a_password_change_signs_out_other_sessions(app, loaded, clock):
    from flask import session as cookie_session

    from docgen.identity import current_actor

    user = make_user(app, "thu.ky", roles=("drafter",))
    with app.test_request_context("/"):
        sign_in(user)
        signed_in = dict(cookie_session)
    assert signed_in["_user_id"] == f"{user.id}:0"
    desk = app.test_client()
    with desk.session_transaction() as s:
        s.update(signed_in)

    def acting(client) -> str:
        with client:
            client.get("/healthz" if "health.healthz" in app.view_functions else "/")
            return current_actor().username

    assert acting(desk) == "thu.ky"
    with get_db(app).session() as session:
        current = accounts.get_user(session, user.id)
        new = "mật khẩu mới 2017!"
        accounts.change_password(session, current, TEST_PASSWORD, new, now=clock.now())
        session.commit()
        assert current.session_epoch == 1
    assert acting(desk) == ""  # the old session is anonymous now, on every device


def test_another_organisations_document_is_404_through_the_api(app, loaded, issue_as_console):
    document = issue_as_console()
    stranger = api_client(app, make_user(app, "van.thu.snv", organisation="snv"))
    for url in (f"/api/v1/documents/{document.id}", f"/api/v1/documents/{document.id}/docx"):
        response = stranger.get(url)
        assert response.status_code == 404 and response.json["code"] == "not_found"
    withdraw = stranger.post(f"/api/v1/documents/{document.id}/withdraw", json={"reason": "x"})
    assert withdraw.status_code == 404
    assert stranger.get("/api/v1/documents").json["total"] == 0
    archivist = api_client(app, make_user(app, "luu.tru", roles=("archivist",)))
    assert archivist.get(f"/api/v1/documents/{document.id}").status_code == 200
    refused = archivist.post(f"/api/v1/documents/{document.id}/withdraw", json={"reason": "x"})
    assert refused.status_code == 403  # visible, but not the archivist's to withdraw


def test_secret_documents_are_invisible_to_others_and_never_stored(app, loaded, issue_as_console):
    public = issue_as_console()
    secret = issue_as_console(register="ubnd-tinh-mat")
    registrar = api_client(app, make_user(app, "van.thu", roles=("registrar",)))
    archivist = api_client(app, make_user(app, "luu.tru", roles=("archivist",)))
    words = "q=dien+hinh+tien+tien"
    seen = registrar.get(f"/api/v1/documents?{words}").json
    assert {i["id"] for i in seen["items"]} == {public.id, secret.id} and seen["total"] == 2
    other = archivist.get(f"/api/v1/documents?{words}").json
    assert [i["id"] for i in other["items"]] == [public.id] and other["total"] == 1
    assert archivist.get(f"/api/v1/documents/{secret.id}").status_code == 404
    assert archivist.get(f"/api/v1/documents/{secret.id}/docx").status_code == 404
    download = registrar.get(f"/api/v1/documents/{secret.id}/docx")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    ordinary = registrar.get(f"/api/v1/documents/{public.id}/docx").headers["Cache-Control"]
    assert "private" in ordinary and "public" not in ordinary


@pytest.mark.parametrize(
    ("data", "content_type"),
    [('{"reason": "x"}', "text/plain"), ("reason=x", "application/x-www-form-urlencoded")],
)
def test_a_write_that_is_not_json_is_415(app, loaded, api, issue_as_console, data, content_type):
    document = issue_as_console()
    response = api.post(
        f"/api/v1/documents/{document.id}/withdraw", data=data, content_type=content_type
    )
    assert response.status_code == 415 and response.json["code"] == "unsupported_media_type"
    assert api.get(f"/api/v1/documents/{document.id}").json["status"] == "in_force"


def test_a_vietnamese_username_is_stored_intact(app, loaded, api):
    created = api.post("/api/v1/documents", json=api_body(loaded))
    assert created.status_code == 201, created.json
    with get_db(app).session() as session:
        document = session.scalars(select(Document)).one()
        assert document.actor == "văn.thư" and '"actor":"văn.thư"' in document.sealed
        trail = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "issue"))
        assert list(trail) == ["văn.thư"]


def test_anonymous_and_drafters_cannot_write(app, loaded, issue_as_console):
    document = issue_as_console()
    anonymous = app.test_client()
    assert (
        anonymous.post(
            f"/api/v1/documents/{document.id}/withdraw", json={"reason": "x"}
        ).status_code
        == 401
    )
    assert anonymous.post("/api/v1/drafts", json=api_body(loaded)).status_code == 401
    drafter = api_client(app, make_user(app, "chuyen.vien", roles=("drafter",)))
    assert drafter.post("/api/v1/documents", json=api_body(loaded)).status_code == 403
    assert drafter.post("/api/v1/drafts", json=api_body(loaded)).status_code == 200
