"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

It describes what ``docgen.api.parse`` accepts — no more, no less — and every status the
server answers with, each error in the one ``Error`` shape. A schemathesis run in the test
suite (``tests/api/test_api_schemathesis.py``) keeps the two in agreement.
"""

from __future__ import annotations

from typing import Any

from docgen.api.openapi_schemas import ID, int_range, ref, schemas
from docgen.api.parse import DB_INT_MAX, MAX_PAGE, YEARS
from docgen.models import DocumentStatus
from docgen.services.search import MAX_PER_PAGE, Order

_ERROR = {"$ref": "#/components/schemas/Error"}
_JSON = "application/json"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_ERROR_TEXT = {
    400: "Yêu cầu sai: JSON hỏng hoặc lồng quá sâu, tham số sai, ký tự NUL hay nửa cặp surrogate",
    401: "Thiếu token, token sai hoặc đã thu hồi (Authorization: Bearer <token>)",
    403: "Người dùng không có quyền thực hiện thao tác này",
    404: "Không tìm thấy (hoặc thuộc cơ quan khác)",
    409: "Xung đột: lùi ngày, đã thu hồi, đã thay thế, trùng số",
    413: "Dữ liệu gửi lên quá lớn",
    415: "Nội dung gửi lên không phải application/json",
    422: "Dữ liệu không hợp lệ: trường thiếu, sai kiểu, ngoài giới hạn hoặc không được hỗ trợ",
    429: "Quá nhiều yêu cầu chuyển đổi cùng lúc; thử lại sau",
    500: "Lỗi hệ thống; không có dữ liệu nào được ghi",
    503: "Dịch vụ phụ trợ (LibreOffice, hàng đợi) tạm thời không sẵn sàng",
}
_READ_ERRORS = (401, 403, 404, 500, 503)
_WRITE_ERRORS = (400, 401, 403, 404, 409, 413, 415, 422, 500, 503)
_CONVERT_ERRORS = (400, 401, 403, 404, 413, 415, 422, 429, 500, 503)


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): _json(_ERROR, _ERROR_TEXT[c]) for c in codes}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


_DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": ID, "example": 1}
_JOB_ID = {"name": "job_id", "in": "path", "required": True, "schema": ID, "example": 1}
_USERNAME = {"name": "username", "in": "path", "required": True, "schema": {"minLength": 1}}
_PAGE = {"name": "page", "in": "path", "required": True, "schema": ID, "example": 1}
# A công văn of the sample records (``docgen load-records``), as a clerk's form would send it.
_LETTER_EXAMPLE = {
    "template": "cong-van",
    "issuer": "ubnd-tinh",
    "signer": "cvp-ubnd-tinh-tuq-mau",
    "recipients": "cong-van-de-nghi-2017",
    "unit": "VHXH",
    "data": {
        "summary": "giới thiệu điển hình tiên tiến năm 2017",
        "body": [{"kind": "para", "text": "Ủy ban nhân dân tỉnh đề nghị các cơ quan thực hiện."}],
    },
}
_DOCX = {"description": "Tệp DOCX", "content": {DOCX_MIME: {}}}
_PDF = {"description": "Tệp PDF", "content": {"application/pdf": {}}}
_PNG = {"description": "Ảnh PNG của trang", "content": {"image/png": {}}}
_NOT_MODIFIED = {"description": "Không đổi (If-None-Match khớp ETag)"}
_PENDING = _json(ref("JobAccepted"), "Đang được tạo; theo dõi công việc ở Location")


def _body(schema: dict[str, Any], example: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": schema, "example": example}}}


def _rendition(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [_DOCUMENT_ID],
            "responses": {"200": _PDF, "202": _PENDING, "304": _NOT_MODIFIED}
            | _errors(*_READ_ERRORS),
        }
    }


def _paths() -> dict[str, Any]:
    issue_body = _body(ref("IssueRequest"), _LETTER_EXAMPLE)
    return {
        "/api/v1/drafts": {
            "post": {
                "summary": "Tạo bản dự thảo (không số, không lưu)",
                "parameters": [
                    _query("format", "docx (mặc định) hoặc pdf", {"enum": ["docx", "pdf"]})
                ],
                "requestBody": issue_body,
                "responses": {
                    "200": {
                        "description": "DOCX hoặc PDF",
                        "content": {**_DOCX["content"], **_PDF["content"]},
                    },
                    **_errors(*_CONVERT_ERRORS),
                },
            }
        },
        "/api/v1/drafts/preview/{page}.png": {
            "post": {
                "summary": "Ảnh xem trước một trang của bản dự thảo",
                "parameters": [_PAGE],
                "requestBody": issue_body,
                "responses": {"200": _PNG, **_errors(*_CONVERT_ERRORS)},
            }
        },
        "/api/v1/documents": {
            "post": {
                "summary": "Cấp số và ban hành văn bản",
                "requestBody": issue_body,
                "responses": {
                    "201": _json(ref("DocumentSummary"), "Đã ban hành"),
                    **_errors(*_WRITE_ERRORS),
                },
            },
            "get": {
                "summary": "Tìm kiếm văn bản đã ban hành",
                "parameters": [
                    _query("q", "Từ khóa (có hoặc không dấu); cụm trong ngoặc kép là cụm từ"),
                    _query("number", "Số, ký hiệu: 05/KH-UBND, 05 hoặc KH-UBND"),
                    _query("type", "Loại văn bản: ke-hoach hoặc KH"),
                    _query("issuer", "Mã hoặc tên cơ quan ban hành"),
                    _query("unit", "Đơn vị soạn thảo (viết tắt): VHXH"),
                    _query("signer", "Mã hoặc tên người ký"),
                    _query("recipient", "Tên nơi nhận"),
                    _query("year", "Năm", int_range(YEARS)),
                    _query("from", "Từ ngày", {"type": "string", "format": "date"}),
                    _query("to", "Đến ngày", {"type": "string", "format": "date"}),
                    _query("status", "Tình trạng", {"enum": list(DocumentStatus)}),
                    _query("page", "Trang", int_range((1, MAX_PAGE))),
                    _query("per_page", "Số văn bản mỗi trang", int_range((1, MAX_PER_PAGE))),
                    _query(
                        "order",
                        "Thứ tự: newest (mới nhất, mặc định), oldest, relevance (phù hợp nhất)",
                        {"enum": list(Order)},
                    ),
                    _query(
                        "after",
                        "Trang tiếp theo không giới hạn độ sâu: next_after của trang trước "
                        "(chỉ với newest, oldest)",
                        int_range((1, DB_INT_MAX)),
                    ),
                ],
                "responses": {
                    "200": _json(ref("SearchPage"), "Kết quả"),
                    **_errors(400, *_READ_ERRORS),
                },
            },
        },
        "/api/v1/documents/{document_id}": {
            "get": {
                "summary": "Văn bản, dữ liệu đặc tả (Phụ lục VI) và lịch sử",
                "parameters": [_DOCUMENT_ID],
                "responses": {"200": _json(ref("Document"), "Văn bản"), **_errors(*_READ_ERRORS)},
            }
        },
        "/api/v1/documents/{document_id}/docx": {
            "get": {
                "summary": "Đúng các byte đã ban hành; ETag là SHA-256",
                "parameters": [_DOCUMENT_ID],
                "responses": {"200": _DOCX, "304": _NOT_MODIFIED, **_errors(*_READ_ERRORS)},
            }
        },
        "/api/v1/documents/{document_id}/pdf": _rendition(
            "Bản PDF (làm từ đúng tệp DOCX đã ban hành)"
        ),
        "/api/v1/documents/{document_id}/pdfa": _rendition("Bản PDF/A-2b để lưu trữ"),
        "/api/v1/documents/{document_id}/preview/{page}.png": {
            "get": {
                "summary": "Ảnh xem trước một trang của văn bản đã ban hành",
                "parameters": [_DOCUMENT_ID, _PAGE],
                "responses": {"200": _PNG, "202": _PENDING, "304": _NOT_MODIFIED}
                | _errors(*_READ_ERRORS),
            }
        },
        "/api/v1/documents/{document_id}/withdraw": {
            "post": {
                "summary": "Thu hồi văn bản (không thể hoàn tác)",
                "parameters": [_DOCUMENT_ID],
                "requestBody": _body(ref("WithdrawRequest"), {"reason": "Ban hành nhầm"}),
                "responses": {
                    "201": _json(ref("StatusEvent"), "Đã ghi thu hồi"),
                    **_errors(*_WRITE_ERRORS),
                },
            }
        },
        "/api/v1/documents/{document_id}/supersede": {
            "post": {
                "summary": "Ghi văn bản thay thế (hoặc công văn đính chính)",
                "parameters": [_DOCUMENT_ID],
                "requestBody": _body(
                    ref("SupersedeRequest"), {"by": 2, "reason": "Thay thế", "correction": False}
                ),
                "responses": {
                    "201": _json(ref("StatusEvent"), "Đã ghi"),
                    **_errors(*_WRITE_ERRORS),
                },
            }
        },
        "/api/v1/documents/{document_id}/renditions": {
            "post": {
                "summary": "Yêu cầu tạo bản PDF và PDF/A còn thiếu (công việc nền)",
                "parameters": [_DOCUMENT_ID],
                "requestBody": {
                    "required": False,
                    "content": {_JSON: {"schema": {"type": "object", "maxProperties": 0}}},
                },
                "responses": {"202": _PENDING, **_errors(*_WRITE_ERRORS)},
            }
        },
        "/api/v1/documents/{document_id}/readers": {
            "get": {
                "summary": "Những người được văn thư chỉ định đọc một văn bản mật",
                "parameters": [_DOCUMENT_ID],
                "responses": {
                    "200": _json(ref("Readers"), "Danh sách người đọc"),
                    **_errors(409, *_READ_ERRORS),
                },
            },
            "post": {
                "summary": "Chỉ định thêm một người được đọc văn bản mật",
                "parameters": [_DOCUMENT_ID],
                "requestBody": _body(ref("ReaderRequest"), {"username": "lanh.dao"}),
                "responses": {
                    "201": _json(ref("ReaderGrant"), "Đã chỉ định"),
                    **_errors(*_WRITE_ERRORS),
                },
            },
        },
        "/api/v1/documents/{document_id}/readers/{username}": {
            "delete": {
                "summary": "Thu hồi quyền đọc văn bản mật của một người",
                "parameters": [_DOCUMENT_ID, _USERNAME],
                "responses": {
                    "200": _json(ref("ReaderGrant"), "Đã thu hồi"),
                    **_errors(400, 409, *_READ_ERRORS),
                },
            }
        },
        "/api/v1/jobs/{job_id}": {
            "get": {
                "summary": "Trạng thái một công việc nền (tạo bản PDF, kiểm tra lưu trữ…)",
                "parameters": [_JOB_ID],
                "responses": {"200": _json(ref("Job"), "Công việc"), **_errors(*_READ_ERRORS)},
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "summary": "Mô tả OpenAPI này",
                "security": [],
                "responses": {"200": _json({"type": "object"}, "Mô tả OpenAPI 3.1")},
            }
        },
    }


def spec() -> dict[str, Any]:
    """Return the OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "docgen API",
            "version": "1",
            "description": "Soạn thảo, cấp số, lưu trữ và tra cứu văn bản theo Nghị định "
            "30/2020/NĐ-CP. Mọi yêu cầu (trừ mô tả này) cần token cá nhân: "
            "“Authorization: Bearer <token>” (tạo bằng lệnh “docgen tokens create”); thao tác "
            "được ghi nhận theo người dùng của token. Nội dung gửi lên phải là "
            "application/json.",
        },
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Token cá nhân, hiện một lần khi tạo; có thể thu hồi.",
                }
            },
            "schemas": schemas(),
        },
    }
