"""Every field of the sign-in and admin forms with markup, Vietnamese, 10,000 characters and
nothing: a clear Vietnamese answer, never a 500, never unescaped markup."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.models import User
from tests.web.pages import post_form, sign_in, text

MARKUP = "& < > \" '"
VIETNAMESE = "nguyễnthịánhđường"  # letters only: a valid username, name or password
LONG = "x" * 10_000
EMPTY = ""
VALUES = {"markup": MARKUP, "vietnamese": VIETNAMESE, "long": LONG, "empty": EMPTY}
GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."


def assert_safe(html: str) -> None:
    """The page never carries the markup raw (only escaped) nor a stack trace."""
    assert '< > "' not in html and "Traceback" not in html


# (field, value) → (status, what the page says)
SIGN_IN = {
    ("username", "markup"): (200, GENERIC),
    ("username", "vietnamese"): (200, GENERIC),
    ("username", "long"): (200, "Tên đăng nhập dài quá 64 ký tự."),
    ("username", "empty"): (200, "Chưa nhập tên đăng nhập."),
    ("password", "markup"): (200, GENERIC),
    ("password", "vietnamese"): (200, GENERIC),
    ("password", "long"): (200, "Mật khẩu dài quá 256 ký tự."),
    ("password", "empty"): (200, "Chưa nhập mật khẩu."),
}


@pytest.mark.parametrize(("field", "value"), sorted(SIGN_IN))
def test_sign_in_form(client, people, field, value):
    data = {"username": "vanthu", "password": "sai-mat-khau-roi", field: VALUES[value]}
    response = sign_in(client, **data)
    status, message = SIGN_IN[field, value]
    assert response.status_code == status
    html = text(response)
    assert message in html
    assert_safe(html)
    if field == "username" and value == "markup":
        assert 'value="&amp; &lt; &gt; &#34; &#39;"' in html  # echoed back, escaped


NEW_USER = {
    ("username", "markup"): (422, "Tên đăng nhập gồm 2–64 chữ cái"),
    ("username", "vietnamese"): (201, "Đã tạo tài khoản “nguyễnthịánhđường”."),
    ("username", "long"): (422, "Tên đăng nhập dài quá 64 ký tự."),
    ("username", "empty"): (422, "Chưa nhập tên đăng nhập."),
    ("name", "markup"): (201, "&amp; &lt; &gt; &#34; &#39;"),
    ("name", "vietnamese"): (201, VIETNAMESE),
    ("name", "long"): (422, "Họ và tên dài quá 100 ký tự."),
    ("name", "empty"): (422, "Chưa nhập họ và tên."),
    ("roles", "markup"): (422, "Vai trò không hợp lệ."),
    ("roles", "vietnamese"): (422, "Vai trò không hợp lệ."),
    ("roles", "long"): (422, "Vai trò không hợp lệ."),
    ("roles", "empty"): (422, "Chọn ít nhất một vai trò."),
    ("signer", "markup"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("signer", "vietnamese"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("signer", "long"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("signer", "empty"): (201, "Đã tạo tài khoản"),
    ("password", "markup"): (422, "Mật khẩu cần ít nhất 10 ký tự."),
    ("password", "vietnamese"): (201, "Đã tạo tài khoản"),
    ("password", "long"): (422, "Mật khẩu dài quá 256 ký tự."),
    ("password", "empty"): (201, "Chỉ hiện một lần"),  # a generated password, shown once
}


@pytest.fixture
def admin(client, people):
    assert sign_in(client, "quantri", people["quantri"]).status_code == 302
    return client


@pytest.mark.parametrize(("field", "value"), sorted(NEW_USER))
def test_new_user_form(app, admin, field, value):
    data = {
        "username": "nguoi-moi",
        "name": "Người Mới",
        "roles": "drafter",
        "signer": "",
        "password": "mật-khẩu-ban-đầu",
        field: VALUES[value],
    }
    response = post_form(admin, "/admin/users/new", data)
    status, message = NEW_USER[field, value]
    html = text(response)
    assert response.status_code == status, html[-2000:]
    assert message in html
    assert_safe(html)
    with get_db(app).session() as session:
        created = session.scalar(select(User).where(User.name == data["name"]))
        assert (created is not None) == (status == 201)


USER_FORMS = {
    ("roles", "roles", "markup"): (422, "Vai trò không hợp lệ."),
    ("roles", "roles", "vietnamese"): (422, "Vai trò không hợp lệ."),
    ("roles", "roles", "long"): (422, "Vai trò không hợp lệ."),
    ("roles", "roles", "empty"): (422, "Chọn ít nhất một vai trò."),
    ("roles", "signer", "markup"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("roles", "signer", "vietnamese"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("roles", "signer", "long"): (422, "Người ký không thuộc danh sách của cơ quan."),
    ("roles", "signer", "empty"): (302, ""),  # no signer: a drafter needs none
    ("active", "active", "markup"): (422, "Trạng thái không hợp lệ."),
    ("active", "active", "vietnamese"): (422, "Trạng thái không hợp lệ."),
    ("active", "active", "long"): (422, "Trạng thái không hợp lệ."),
    ("active", "active", "empty"): (422, "Trạng thái không hợp lệ."),
    ("password", "password", "markup"): (422, "Mật khẩu cần ít nhất 10 ký tự."),
    ("password", "password", "vietnamese"): (200, "Đã đặt lại mật khẩu"),
    ("password", "password", "long"): (422, "Mật khẩu dài quá 256 ký tự."),
    ("password", "password", "empty"): (200, "Chỉ hiện một lần"),
}


@pytest.mark.parametrize(("action", "field", "value"), sorted(USER_FORMS))
def test_user_page_forms(app, admin, action, field, value):
    with get_db(app).session() as session:
        target = session.scalars(select(User).where(User.username == "chuyenvien")).one()
        before = target.session_epoch  # moves with every change made to the account
    data = (
        {"roles": "drafter", field: VALUES[value]} if action == "roles" else {field: VALUES[value]}
    )
    response = post_form(admin, f"/admin/users/{target.id}/{action}", data)
    status, message = USER_FORMS[action, field, value]
    html = text(response)
    assert response.status_code == status
    assert message in html
    assert_safe(html)
    with get_db(app).session() as session:
        assert (session.get(User, target.id).session_epoch == before) == (status == 422)
