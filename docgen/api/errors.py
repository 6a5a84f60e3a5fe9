"""Errors as JSON ``{"code", "message"}`` with Vietnamese messages; a 500 rolls back first."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

from docgen.errors import DocgenError

log = logging.getLogger(__name__)

_HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthenticated", "Cần đăng nhập: gửi “Authorization: Bearer <token>”."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    415: ("unsupported_media_type", "Cần gửi dữ liệu JSON."),
    429: ("too_many_requests", "Quá nhiều yêu cầu; vui lòng thử lại sau ít phút."),
    500: ("internal_error", "Lỗi hệ thống; không có dữ liệu nào được ghi."),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng; vui lòng thử lại sau."),
}


class BadRequestError(DocgenError):
    """The request is not what the API accepts (not JSON, not an object, a bad parameter)."""

    code = "bad_request"
    http_status = 400


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _rollback() -> None:
    session = g.get("docgen_session")
    if session is not None:
        session.rollback()


def json_error(status: int, code: str, message: str, **extra: object) -> Response:
    """Return the JSON error response the API sends."""
    response = jsonify({"code": code, "message": message, **extra})
    response.status_code = status
    return response


def register(app: Flask) -> None:
    """Install the handlers: docgen errors, HTTP errors and unexpected ones."""

    @app.errorhandler(DocgenError)
    def _docgen_error(exc: DocgenError) -> Response | tuple[str, int]:
        _rollback()
        if not _wants_json():
            return exc.message, exc.http_status
        response = jsonify(exc.to_dict())
        response.status_code = exc.http_status
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response | HTTPException:
        _rollback()
        if not _wants_json() or exc.code is None:
            return exc
        code, message = _HTTP_MESSAGES.get(exc.code, ("http_error", exc.description or ""))
        response = json_error(exc.code, code, message)
        if exc.code == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(DataError)
    def _data_error(exc: DataError) -> Response:
        # The parse layer refuses what a database cannot store; this is the net under it
        # (a value out of a column's range, bytes its encoding refuses): the input's fault.
        _rollback()
        if not _wants_json():
            raise exc
        log.warning("database refused a value on %s %s: %s", request.method, request.path, exc)
        return json_error(
            400, "invalid_value", "Dữ liệu gửi lên vượt giới hạn mà cơ sở dữ liệu lưu được."
        )

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        _rollback()
        if not _wants_json():
            raise exc  # other areas keep Flask's own 500 handling (and the debugger)
        log.exception("unexpected error on %s %s", request.method, request.path)
        return json_error(500, "internal_error", "Lỗi hệ thống; không có dữ liệu nào được ghi.")
