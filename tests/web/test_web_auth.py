"""Sign-in pages through the Flask client: generic errors, throttling, session, next, sign-out."""

from __future__ import annotations

import pytest

from tests.web.pages import csrf_token, post_form, sign_in, text

GENERIC = "Tên đăng nhập hoặc mật khẩu không đúng."


def test_sign_in_lands_on_the_archive_with_a_fresh_session(client, people):
    with client.session_transaction() as before:
        before["planted"] = "từ phiên ẩn danh"  # e.g. a fixation attempt
    response = sign_in(client, "vanthu", people["vanthu"])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    with client.session_transaction() as after:
        assert "planted" not in after and after.get("_user_id")
    page = text(client.get("/"))
    assert "Lê Văn Mẫu" in page and "Văn thư" in page and "Ủy ban nhân dân tỉnh Kiên Giang" in page


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("vanthu", "sai-mat-khau-roi"),  # a real user, a wrong password
        ("khong-co-ai", "docgen-vanthu"),  # nobody by that name
        ("nghiviec", "docgen-nghiviec"),  # the right password of a disabled account
    ],
)
def test_every_failed_sign_in_says_the_same_thing(client, people, username, password):
    response = sign_in(client, username, password)
    assert response.status_code == 200
    page = text(response)
    assert GENERIC in page
    assert 'value="' + username + '"' in page  # the username stays in the box
    assert password not in page  # the password never comes back
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/").status_code == 302


def test_five_failures_then_the_throttle_message_even_with_the_right_password(client, people):
    for _ in range(5):
        assert GENERIC in text(sign_in(client, "luutru", "sai-mat-khau-roi"))
    refused = text(sign_in(client, "luutru", people["luutru"]))
    assert "Đăng nhập sai quá nhiều lần" in refused and "giây" in refused
    with client.session_transaction() as session:
        assert "_user_id" not in session


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        " /admin/users",
        "/%0d%0aSet-Cookie:x=1",
    ],
)
def test_next_is_followed_only_to_a_local_path(client, people, target):
    response = sign_in(client, "quantri", people["quantri"], next=target)
    location = response.headers["Location"]
    if target == "/%0d%0aSet-Cookie:x=1":
        assert location == target  # a local path: percent-escapes stay escaped
    else:
        assert location == "/"


def test_a_page_that_needs_sign_in_comes_back_after_it(client, people):
    first = client.get("/admin/users")
    assert first.status_code == 302 and "next=/admin/users" in first.headers["Location"]
    form = text(client.get(first.headers["Location"]))
    assert 'name="next" type="hidden" value="/admin/users"' in form
    response = sign_in(client, "quantri", people["quantri"], next="/admin/users")
    assert response.headers["Location"] == "/admin/users"
    assert client.get("/admin/users").status_code == 200


def test_sign_out_is_a_post_and_ends_the_session(client, people):
    sign_in(client, "chuyenvien", people["chuyenvien"])
    assert client.get("/logout").status_code == 405  # a link or an <img> cannot sign you out
    assert client.get("/").status_code == 200
    response = post_form(client, "/logout", {})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_change_password_keeps_this_session_and_ends_the_others(app, client, people):
    other = app.test_client()
    sign_in(client, "chuyenvien", people["chuyenvien"])
    sign_in(other, "chuyenvien", people["chuyenvien"])
    assert other.get("/").status_code == 200
    new = "mật-khẩu-mới-đủ-dài"
    response = post_form(
        client,
        "/password",
        {"old_password": people["chuyenvien"], "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other.get("/").status_code == 302  # the other one is signed out
    post_form(client, "/logout", {})
    assert GENERIC in text(sign_in(client, "chuyenvien", people["chuyenvien"]))
    assert sign_in(client, "chuyenvien", new).status_code == 302


@pytest.mark.parametrize(
    ("old", "new", "confirm", "message"),
    [
        ("sai-mat-khau-roi", "mật-khẩu-mới-đủ-dài", "mật-khẩu-mới-đủ-dài", "không đúng"),
        ("docgen-chuyenvien", "mật-khẩu-mới-đủ-dài", "khác-hẳn-khác-hẳn", "không khớp"),
        ("docgen-chuyenvien", "ngắn", "ngắn", "ít nhất 10 ký tự"),
        ("docgen-chuyenvien", "", "", "Chưa nhập mật khẩu mới"),
        ("", "mật-khẩu-mới-đủ-dài", "mật-khẩu-mới-đủ-dài", "Chưa nhập mật khẩu hiện tại"),
        ("docgen-chuyenvien", "x" * 10_000, "x" * 10_000, "dài quá"),
    ],
)
def test_change_password_refusals_are_clear_and_change_nothing(
    client, people, old, new, confirm, message
):
    sign_in(client, "chuyenvien", people["chuyenvien"])
    response = post_form(
        client, "/password", {"old_password": old, "new_password": new, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message.lower() in text(response).lower()
    post_form(client, "/logout", {})
    assert sign_in(client, "chuyenvien", people["chuyenvien"]).status_code == 302


def test_a_lost_csrf_token_keeps_the_username_but_not_the_password(client, people):
    csrf_token(client)  # the session has a token; the form below does not send it
    response = client.post("/login", data={"username": "vanthu", "password": "docgen-vanthu"})
    assert response.status_code == 400
    page = text(response)
    assert "mã bảo vệ (CSRF)" in page and "chưa có gì được lưu" in page
    assert 'value="vanthu"' in page and "docgen-vanthu" not in page
    with client.session_transaction() as session:
        assert "_user_id" not in session
    # the page carries a fresh token: sending the form again works
    assert sign_in(client, "vanthu", people["vanthu"]).status_code == 302
