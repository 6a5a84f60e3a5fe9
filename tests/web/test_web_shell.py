"""The shell: security headers, cookies, vendored htmx, no outside hosts, navigation, errors."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask_babel import format_decimal, get_locale, get_timezone

from docgen import create_app, policy
from docgen.cli.samples import SAMPLE_ACCOUNTS
from docgen.db import get_db
from tests.web.pages import sign_in, text

WEB = Path(__file__).resolve().parents[2] / "docgen" / "web"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"  # htmx.org 2.0.11
NAV = re.compile(r'<nav aria-label="Điều hướng chính">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


def test_vendored_htmx_is_the_pinned_file():
    data = (WEB / "static" / "vendor" / "htmx.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert b'version:"2.0.11"' in data
    assert HTMX_SHA256 in (WEB / "static" / "vendor" / "README.md").read_text(encoding="utf-8")


def page_sources() -> list[Path]:
    return sorted((WEB / "templates").rglob("*.html")) + sorted((WEB / "static").rglob("*.css"))


@pytest.mark.parametrize("path", page_sources(), ids=lambda p: str(p.relative_to(WEB)))
def test_no_page_loads_from_another_host_or_runs_inline_code(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", source, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", source, re.I)
    assert not re.search(r"@import", source)
    # the CSP forbids inline code: no <style>, no style="", no <script> without src, no on*=
    assert not re.search(r"<style|\sstyle\s*=|\son[a-z]+\s*=", source, re.I)
    for tag in re.findall(r"<script[^>]*>", source, re.I):
        assert "src=" in tag


def test_security_headers_on_pages_static_files_api_and_errors(client, people):
    for url in ("/login", "/static/css/docgen.css", "/api/v1/openapi.json", "/nowhere", "/"):
        with client.get(url) as response:  # a static file is streamed: close it
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in (
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ):
            assert directive in csp, (url, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert headers["X-Frame-Options"] == "DENY", url
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax_and_secure_only_over_https(
    client, people, database_url, tmp_path
):
    cookie = sign_in(client, "vanthu", people["vanthu"]).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = create_app(
        {
            "TESTING": True,
            "DOCGEN_DATABASE_URL": database_url,
            "DOCGEN_AUTO_MIGRATE": False,
            "DOCGEN_HTTPS": True,
            "SECRET_KEY": "kiểm-thử-https",
        }
    )
    https.instance_path = str(tmp_path / "https")
    try:
        cookie = https.test_client().get("/login").headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    finally:
        get_db(https).engine.dispose()


EXPECTED_NAV = {
    "chuyenvien": {"Tra cứu văn bản", "Soạn thảo"},
    "lanhdao": {"Tra cứu văn bản", "Soạn thảo"},
    "vanthu": {"Tra cứu văn bản", "Soạn thảo"},
    "thiduakt": {"Tra cứu văn bản", "Soạn thảo", "Khen thưởng"},
    "luutru": {"Tra cứu văn bản"},
    "quantri": {"Tra cứu văn bản", "Quản trị người dùng"},
}


@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_navigation_shows_what_the_policy_allows_and_every_link_opens(client, people, username):
    sign_in(client, username, people[username])
    page = text(client.get("/"))
    links = dict((label, href) for href, label in LINK.findall(NAV.search(page).group(1)))
    assert set(links) == EXPECTED_NAV[username]
    for href in links.values():
        assert client.get(href).status_code == 200
    # the header says who acts, for which organisation, in which role
    assert "Đăng xuất" in page and "Đổi mật khẩu" in page
    role = next(s.role for s in SAMPLE_ACCOUNTS if s.username == username)
    assert policy.ROLE_LABELS[role] in page


def test_anonymous_pages_have_no_navigation(client):
    page = text(client.get("/login"))
    assert not NAV.search(page) and "Đăng xuất" not in page


def test_error_pages_are_vietnamese_and_the_api_keeps_json(app, client, people, monkeypatch):
    missing = client.get("/khong-co-trang-nay")
    assert missing.status_code == 404 and "Không tìm thấy" in text(missing)
    assert missing.mimetype == "text/html"
    api = client.get("/api/v1/khong-co")
    assert api.status_code == 404 and api.is_json and api.json["code"] == "not_found"
    assert client.get("/logout").status_code == 405
    assert "Không hỗ trợ" in text(client.get("/logout"))
    over = app.config["MAX_CONTENT_LENGTH"] + 1
    huge = client.post("/login", data={"username": "x" * over})
    assert huge.status_code == 413 and "Dữ liệu quá lớn" in text(huge)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403 and "Không có quyền" in text(forbidden)


def test_an_unexpected_error_is_a_vietnamese_500_without_a_trace(app, client, people, monkeypatch):
    def broken() -> str:
        raise RuntimeError("bí mật nội bộ: mật khẩu cơ sở dữ liệu")

    app.add_url_rule("/hong", "hong", broken)
    monkeypatch.setitem(policy.ROUTES, "hong", policy.PUBLIC)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/hong")
    assert response.status_code == 500
    page = text(response)
    assert "Lỗi hệ thống" in page and "không có dữ liệu nào được ghi" in page
    assert "RuntimeError" not in page and "bí mật" not in page and "Traceback" not in page


def test_babel_speaks_vietnamese_in_vietnam(app):
    with app.test_request_context("/"):
        assert str(get_locale()) == "vi"
        assert str(get_timezone()) == "Asia/Ho_Chi_Minh"
        assert format_decimal(1234567.5) == "1.234.567,5"
