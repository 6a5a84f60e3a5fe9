"""The admin page: an organisation's admin manages its own users, and nobody else's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.models import User
from tests.web.pages import post_form, sign_in, text


def user_id(app, username: str) -> int:
    with get_db(app).session() as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def shown_password(html: str) -> str:
    match = re.search(r'<p class="secret">([^<]+)</p>', html)
    assert match, "the generated password is not shown"
    return match.group(1)


@pytest.fixture
def admin(client, people):
    assert sign_in(client, "quantri", people["quantri"]).status_code == 302
    return client


def test_the_user_page_shows_the_last_sign_in_in_vietnam_time(app, admin):
    page = text(admin.get(f"/admin/users/{user_id(app, 'quantri')}"))
    assert "09:00 20/03/2017" in page  # the test clock: 20/03/2017 09:00 in Vietnam


def test_the_list_shows_only_the_admins_own_organisation(admin):
    page = text(admin.get("/admin/users"))
    for own in ("chuyenvien", "lanhdao", "vanthu", "luutru", "quantri", "nghiviec"):
        assert f">{own}</a>" in page
    assert "thiduakt" not in page and "quantri-snv" not in page  # btdkt, snv


def test_add_a_signer_with_a_generated_password_that_signs_in(app, admin, client):
    response = post_form(
        admin,
        "/admin/users/new",
        {
            "username": "pct-mau",
            "name": "Nguyễn Thị Phó",
            "roles": ["signer", "drafter"],
            "signer": "cvp-ubnd-tinh-tuq-mau",
            "password": "",
        },
    )
    assert response.status_code == 201
    page = text(response)
    password = shown_password(page)
    assert "Hoàng Văn E" in page  # the signer record the account prints as
    assert "Chuyên viên, Lãnh đạo" in page
    post_form(admin, "/logout", {})
    assert sign_in(client, "pct-mau", password).status_code == 302
    assert "Nguyễn Thị Phó" in text(client.get("/"))


def test_disable_and_enable_a_user_with_htmx_swapping_the_row(app, admin, people):
    uid = user_id(app, "chuyenvien")
    response = post_form(
        admin, f"/admin/users/{uid}/active", {"active": "0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    row = text(response)
    assert row.lstrip().startswith(f'<tr id="user-{uid}">') and "đã khóa" in row
    assert "Mở khóa" in row
    other = app.test_client()
    assert "không đúng" in text(sign_in(other, "chuyenvien", people["chuyenvien"]))
    # the plain form (no htmx) redirects to the user's page
    response = post_form(admin, f"/admin/users/{uid}/active", {"active": "1"})
    assert response.status_code == 302
    assert sign_in(other, "chuyenvien", people["chuyenvien"]).status_code == 302


def test_an_admin_cannot_disable_themself(app, admin):
    uid = user_id(app, "quantri")
    response = post_form(admin, f"/admin/users/{uid}/active", {"active": "0"})
    assert response.status_code == 422 and "Không thể tự khóa" in text(response)
    assert admin.get("/admin/users").status_code == 200


def test_change_roles_signs_the_user_out(app, admin, people):
    other = app.test_client()
    sign_in(other, "luutru", people["luutru"])
    assert other.get("/").status_code == 200
    uid = user_id(app, "luutru")
    response = post_form(admin, f"/admin/users/{uid}/roles", {"roles": ["archivist", "registrar"]})
    assert response.status_code == 302
    assert "Văn thư, Lưu trữ" in text(admin.get(f"/admin/users/{uid}"))
    assert other.get("/").status_code == 302


def test_giving_the_signer_role_links_the_signer_record(app, admin):
    uid = user_id(app, "chuyenvien")
    refused = post_form(admin, f"/admin/users/{uid}/roles", {"roles": ["drafter", "signer"]})
    assert refused.status_code == 422
    assert "Tài khoản Lãnh đạo cần gắn với hồ sơ người ký của mình." in text(refused)
    response = post_form(
        admin,
        f"/admin/users/{uid}/roles",
        {"roles": ["drafter", "signer"], "signer": "cvp-ubnd-tinh-tuq-mau"},
    )
    assert response.status_code == 302
    page = text(admin.get(f"/admin/users/{uid}"))
    assert "Chuyên viên, Lãnh đạo" in page and "Hoàng Văn E" in page
    # another organisation's signer record is not one of the choices
    response = post_form(
        admin, f"/admin/users/{uid}/roles", {"roles": ["signer"], "signer": "gd-snv-mau"}
    )
    assert response.status_code == 422
    assert "Người ký không thuộc danh sách của cơ quan." in text(response)


def test_reset_password_typed_or_generated(app, admin, client):
    uid = user_id(app, "vanthu")
    typed = post_form(admin, f"/admin/users/{uid}/password", {"password": "một-mật-khẩu-mới"})
    assert typed.status_code == 200 and 'class="secret"' not in text(typed)
    generated = shown_password(text(post_form(admin, f"/admin/users/{uid}/password", {})))
    post_form(admin, "/logout", {})
    assert "không đúng" in text(sign_in(client, "vanthu", "một-mật-khẩu-mới"))
    assert sign_in(client, "vanthu", generated).status_code == 302


def test_another_organisations_user_is_a_404_on_every_admin_route(app, admin):
    uid = user_id(app, "quantri-snv")
    assert admin.get(f"/admin/users/{uid}").status_code == 404
    for action, data in (
        ("roles", {"roles": ["drafter"]}),
        ("active", {"active": "0"}),
        ("password", {"password": "chiem-quyen-tai-khoan"}),
    ):
        response = post_form(admin, f"/admin/users/{uid}/{action}", data)
        assert response.status_code == 404, action
        assert "Không tìm thấy" in text(response)
    assert admin.get("/admin/users/999999").status_code == 404
    other = app.test_client()
    assert sign_in(other, "quantri-snv", "docgen-quantri-snv").status_code == 302  # untouched


@pytest.mark.parametrize("username", ["chuyenvien", "vanthu", "luutru", "lanhdao", "thiduakt"])
def test_admin_pages_are_403_for_other_roles(client, people, username):
    sign_in(client, username, people[username])
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Không có quyền" in text(response)
    assert post_form(client, "/admin/users/new", {"username": "x"}).status_code == 403
