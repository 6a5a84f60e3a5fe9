"""CSRF: every POST page route refuses a form without its token, writes nothing, says why."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import AuditEvent, User
from docgen.policy import Role, system_actor
from docgen.rules.recipient_lines import Lines
from docgen.runtime import get_renderer
from docgen.services import accounts, drafts
from docgen.services.clock import FixedClock
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.recipient_lists import create_list
from tests.conftest import TEST_NOW
from tests.helpers import make_token
from tests.web.pages import csrf_token, post_form, sign_in, text, user_named

# What a forged form would send: enough for each page's action to succeed if it were let through.
FORGED = {
    "username": "ke-gia-mao",
    "name": "Kẻ Giả Mạo",
    "password": "mat-khau-gia-mao",
    "roles": "admin",
    "active": "0",
    "old_password": "docgen-tatca-1",
    "new_password": "mat-khau-gia-mao",
    "confirm": "mat-khau-gia-mao",
}


@pytest.fixture
def everyone(app, people, client):
    """Return a client signed in as a user holding every role (every gate lets it through)."""
    with get_db(app).session() as session:
        accounts.create_user(
            session,
            username="tatca",
            name="Người Giữ Mọi Vai Trò",
            organisation="ubnd-tinh",
            roles=list(Role),
            password="docgen-tatca-1",
            signer="cvp-ubnd-tinh-tuq-mau",
            actor=system_actor("kiểm thử"),
            now=TEST_NOW,
        )
        session.commit()
    assert sign_in(client, "tatca", "docgen-tatca-1").status_code == 302
    return client


def snapshot(app) -> tuple:
    with get_db(app).session() as session:
        users = session.execute(
            select(
                User.username, User.password_hash, User.roles, User.active, User.session_epoch
            ).order_by(User.id)
        ).all()
        audits = session.scalar(select(func.count()).select_from(AuditEvent))
        return [tuple(u) for u in users], audits


def post_page_routes(app) -> list:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    ]


def _value(rule, name: str, default: object) -> object:
    """Return a value for a URL part: the first choice of an ``any(…)`` part, else ``default``."""
    choices = getattr(rule._converters.get(name), "items", None)
    return sorted(choices)[0] if choices else default


def _objects(app, loaded) -> dict[str, object]:
    """Return real ids for the URL parts: pages that redisplay a form after a CSRF refusal
    load their object first, and must find one to say "nothing was saved" about."""
    with get_db(app).session() as session:
        tatca = accounts.actor_for(accounts.user_by_username(session, "tatca"))
        document = issue_document(
            session, IssueRequest(**loaded.document("ke-hoach-2017").request()),
            actor=tatca, clock=FixedClock(TEST_NOW), renderer=get_renderer(app),
        )  # fmt: skip
        draft = drafts.create_draft(session, actor=tatca, template="cong-van",
                                    renderer=get_renderer(app), now=TEST_NOW)  # fmt: skip
        own_list = create_list(session, actor=tatca, now=TEST_NOW, name="Danh sách thử",
                               lines=Lines(noi_nhan=(("Sở Nội vụ", "", ""),)))  # fmt: skip
        colleague = session.scalars(select(User.id).where(User.username == "chuyenvien")).one()
        session.commit()
        return {"document_id": document.id, "draft_id": draft.id, "user_id": colleague,
                "code": own_list.code}  # fmt: skip


def test_every_post_page_route_refuses_a_form_without_its_token(app, everyone, loaded):
    routes = post_page_routes(app)
    assert {"auth.login", "auth.logout", "admin.set_active"} <= {r.endpoint for r in routes}
    objects = _objects(app, loaded)
    before = snapshot(app)
    for rule in routes:
        url = rule.build({n: _value(rule, n, objects.get(n, 1)) for n in rule.arguments})[1]
        response = everyone.post(url, data=FORGED)
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "CSRF" in text(response) and "chưa có gì được lưu" in text(response), rule.endpoint
        # a wrong token is refused the same way
        response = everyone.post(url, data={**FORGED, "csrf_token": "gia-mao"})
        assert response.status_code == 400, rule.endpoint
    assert snapshot(app) == before
    assert everyone.get("/").status_code == 200  # still signed in: sign-out was refused too


def test_htmx_sends_the_token_from_the_meta_tag_as_a_header(app, everyone):
    with get_db(app).session() as session:
        colleague = session.scalars(select(User.id).where(User.username == "chuyenvien")).one()
    url = f"/admin/users/{colleague}/active"
    headers = {"HX-Request": "true"}
    refused = everyone.post(url, data={"active": "0"}, headers=headers)
    assert refused.status_code == 400
    token = csrf_token(everyone, "/admin/users")
    done = everyone.post(url, data={"active": "0"}, headers={**headers, "X-CSRFToken": token})
    assert done.status_code == 200 and "đã khóa" in text(done)


def test_the_json_api_needs_no_csrf_token_with_a_bearer_token(app, client, people):
    raw = make_token(app, user_named(app, "vanthu"))
    response = client.get("/api/v1/documents", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    # a POST with the bearer token reaches the API (a JSON answer, not the CSRF page)
    response = client.post(
        "/api/v1/documents/999999/withdraw",
        json={"reason": "thử"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.is_json and response.status_code in (404, 403)


def test_a_signed_in_form_that_lost_its_token_keeps_what_was_typed(everyone):
    response = everyone.post(
        "/admin/users/new",
        data={"username": "nguoi-moi", "name": "Nguyễn Văn Mới", "roles": "drafter"},
    )
    assert response.status_code == 400
    page = text(response)
    assert 'value="nguoi-moi"' in page and 'value="Nguyễn Văn Mới"' in page
    assert 'checked id="roles-0"' in page  # Chuyên viên stays ticked
    assert "nguoi-moi</a>" not in text(everyone.get("/admin/users"))
    assert (
        post_form(
            everyone,
            "/admin/users/new",
            {"username": "nguoi-moi", "name": "Nguyễn Văn Mới", "roles": "drafter"},
        ).status_code
        == 201
    )


def test_a_good_token_refused_for_another_reason_writes_nothing(app, everyone):
    # Over HTTPS, Flask-WTF also refuses a valid token whose request has no same-origin
    # Referer: the form is shown again, and its own (passing) token check must not save it.
    token = csrf_token(everyone)
    before = snapshot(app)
    response = everyone.post(
        "/admin/users/new",
        data={"username": "ke-gia-mao", "name": "Kẻ Giả Mạo", "roles": "admin",
              "csrf_token": token},
        base_url="https://localhost",
    )  # fmt: skip
    assert response.status_code == 400
    assert 'value="ke-gia-mao"' in text(response)  # what was typed comes back
    assert snapshot(app) == before
