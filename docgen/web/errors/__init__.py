"""Vietnamese error pages (400, 403, 404, 405, 413, 429, 500) for the pages; never a stack trace.

The JSON API keeps its JSON errors: for a path under ``/api/`` each handler here hands the
error to the handler the API installed before (``docgen.api.errors``), whatever it does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from docgen.errors import DocgenError
from docgen.web.shell import redisplays_input

log = logging.getLogger(__name__)

# Titles and explanations per status; the page shows the error's own message when it has one.
PAGES: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Máy chủ không hiểu yêu cầu này."),
    401: ("Cần đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền", "Tài khoản của bạn không có quyền thực hiện thao tác này."),
    404: ("Không tìm thấy", "Không có trang hoặc văn bản này, hoặc bạn không được xem nó."),
    405: ("Không hỗ trợ", "Địa chỉ này không nhận phương thức yêu cầu đó."),
    409: ("Xung đột dữ liệu", "Dữ liệu vừa bị thay đổi; vui lòng tải lại trang."),
    413: ("Dữ liệu quá lớn", "Dữ liệu gửi lên vượt quá giới hạn cho phép."),
    422: ("Dữ liệu không hợp lệ", "Dữ liệu gửi lên chưa đúng."),
    429: ("Quá nhiều yêu cầu", "Vui lòng đợi một lát rồi thử lại."),
    500: ("Lỗi hệ thống", "Đã xảy ra lỗi; không có dữ liệu nào được ghi. Vui lòng thử lại sau."),
}
CSRF_MESSAGE = (
    "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF), nên chưa có gì được lưu. "
    "Vui lòng quay lại trang trước, tải lại rồi gửi lần nữa."
)
_PAGE_CODES = (400, 401, 403, 404, 405, 409, 413, 422, 429, 500)


def init_app(app: Flask) -> None:
    """Install the page handlers in front of the API's, which keep every ``/api/`` path."""
    spec = app.error_handler_spec[None]
    api_docgen = spec[None].get(DocgenError)
    api_http = spec[None].get(HTTPException)
    _install(app, DocgenError, _docgen_page, api_docgen)
    for code in _PAGE_CODES:
        _install(app, code, _http_page, api_http)


def _install(app: Flask, key: Any, page: Callable, api: Callable | None) -> None:
    def handler(exc: Exception) -> ResponseReturnValue:
        if api is not None and request.path.startswith("/api/"):
            return api(exc)
        return page(exc)

    app.register_error_handler(key, handler)


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    """Return the Vietnamese error page for ``status`` (with ``message`` if given)."""
    title, explanation = PAGES.get(status, PAGES[400 if status < 500 else 500])
    try:
        html = render_template(
            "errors/error.html",
            status=status,
            title=title,
            message=message or explanation,
        )
    except Exception:  # the page itself failed (e.g. the database is down): plain words
        log.exception("could not render the error page for %s", status)
        html = f"<!doctype html><html lang='vi'><title>{title}</title><h1>{title}</h1>"
    return html, status


def _docgen_page(exc: DocgenError) -> ResponseReturnValue:
    _rollback()
    return render_error(exc.http_status, exc.message)


def _http_page(exc: HTTPException) -> ResponseReturnValue:
    _rollback()
    status = exc.code or 500
    if isinstance(exc, CSRFError):
        if redisplays_input(request.endpoint) and request.method == "POST":
            # The view validates its form again: the CSRF field fails once more, nothing is
            # written, and the form comes back with what was typed (never a password).
            g.csrf_error = True
            view = current_app.view_functions[request.endpoint]
            response = current_app.make_response(view(**(request.view_args or {})))
            if not 300 <= response.status_code < 400:  # a redirect would hide the refusal
                response.status_code = 400
                return response
        return render_error(400, CSRF_MESSAGE)
    return render_error(status)  # a 500 was logged by Flask with its traceback


def _rollback() -> None:
    session = g.get("docgen_session")
    if session is not None:
        session.rollback()
