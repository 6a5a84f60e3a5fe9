"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from docgen.models import DocumentStatus

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Yêu cầu sai (JSON hỏng, tham số sai)",
        404: "Không tìm thấy",
        409: "Xung đột (lùi ngày, đã thu hồi, trùng số)",
        413: "Dữ liệu quá lớn",
        422: "Dữ liệu không hợp lệ (trường thiếu hoặc sai, ngày tương lai)",
    }
    return {str(c): _json(_ERROR, text[c]) for c in codes}


def _param(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema or {"type": "string"},
    }


_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_DOCX = {
    "description": "Tệp DOCX",
    "content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}},
}
_PDF = {"description": "Tệp PDF", "content": {"application/pdf": {}}}
_PNG = {"description": "Ảnh PNG của trang", "content": {"image/png": {}}}
_PAGE = {
    "name": "page",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}


def _rendition(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [_ID],
            "responses": {
                "200": _PDF,
                "304": {"description": "Không đổi"},
                **_errors(404),
                "503": _json(_ERROR, "LibreOffice không chuyển đổi được"),
            },
        }
    }


def spec() -> dict[str, Any]:
    """Return the OpenAPI document."""
    issue_body = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IssueRequest"}}}
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "docgen API",
            "version": "1",
            "description": "Soạn thảo, cấp số, lưu trữ và tra cứu văn bản theo Nghị định "
            "30/2020/NĐ-CP. Mọi thao tác ghi ghi nhận người thực hiện "
            "(tạm thời qua tiêu đề X-Docgen-Actor).",
        },
        "paths": {
            "/api/v1/drafts": {
                "post": {
                    "summary": "Tạo bản dự thảo (không số, không lưu)",
                    "parameters": [
                        _param("format", "docx (mặc định) hoặc pdf", {"enum": ["docx", "pdf"]})
                    ],
                    "requestBody": issue_body,
                    "responses": {
                        "200": {
                            "description": "DOCX hoặc PDF",
                            "content": {**_DOCX["content"], **_PDF["content"]},
                        },
                        **_errors(400, 404, 413, 422),
                    },
                }
            },
            "/api/v1/drafts/preview/{page}.png": {
                "post": {
                    "summary": "Ảnh xem trước một trang của bản dự thảo",
                    "parameters": [_PAGE],
                    "requestBody": issue_body,
                    "responses": {"200": _PNG, **_errors(400, 404, 413, 422)},
                }
            },
            "/api/v1/documents/{document_id}/pdf": _rendition(
                "Bản PDF (làm từ đúng tệp DOCX đã ban hành)"
            ),
            "/api/v1/documents/{document_id}/pdfa": _rendition("Bản PDF/A-2b để lưu trữ"),
            "/api/v1/documents/{document_id}/preview/{page}.png": {
                "get": {
                    "summary": "Ảnh xem trước một trang của văn bản đã ban hành",
                    "parameters": [_ID, _PAGE],
                    "responses": {"200": _PNG, **_errors(404)},
                }
            },
            "/api/v1/documents": {
                "post": {
                    "summary": "Cấp số và ban hành văn bản",
                    "requestBody": issue_body,
                    "responses": {
                        "201": _json(
                            {"$ref": "#/components/schemas/DocumentSummary"}, "Đã ban hành"
                        ),
                        **_errors(400, 404, 409, 413, 422),
                    },
                },
                "get": {
                    "summary": "Tìm kiếm văn bản đã ban hành",
                    "parameters": [
                        _param("q", "Từ khóa (có hoặc không dấu); cụm trong ngoặc kép là cụm từ"),
                        _param("number", "Số, ký hiệu: 05/KH-UBND, 05 hoặc KH-UBND"),
                        _param("type", "Loại văn bản: ke-hoach hoặc KH"),
                        _param("issuer", "Mã hoặc tên cơ quan ban hành"),
                        _param("signer", "Mã hoặc tên người ký"),
                        _param("recipient", "Tên nơi nhận"),
                        _param("year", "Năm", {"type": "integer"}),
                        _param("from", "Từ ngày", {"type": "string", "format": "date"}),
                        _param("to", "Đến ngày", {"type": "string", "format": "date"}),
                        _param("status", "Tình trạng", {"enum": list(DocumentStatus)}),
                        _param("page", "Trang", {"type": "integer", "minimum": 1}),
                        _param(
                            "per_page", "Số văn bản mỗi trang", {"type": "integer", "maximum": 100}
                        ),
                    ],
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/SearchPage"}, "Kết quả"),
                        **_errors(400),
                    },
                },
            },
            "/api/v1/documents/{document_id}": {
                "get": {
                    "summary": "Văn bản, dữ liệu đặc tả (Phụ lục VI) và lịch sử",
                    "parameters": [_ID],
                    "responses": {"200": _json({"type": "object"}, "Văn bản"), **_errors(404)},
                }
            },
            "/api/v1/documents/{document_id}/docx": {
                "get": {
                    "summary": "Đúng các byte đã ban hành; ETag là SHA-256",
                    "parameters": [_ID],
                    "responses": {
                        "200": _DOCX,
                        "304": {"description": "Không đổi"},
                        **_errors(404),
                    },
                }
            },
            "/api/v1/documents/{document_id}/withdraw": {
                "post": {
                    "summary": "Thu hồi văn bản",
                    "parameters": [_ID],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["reason"],
                                    "properties": {"reason": {"type": "string"}},
                                }
                            }
                        }
                    },
                    "responses": {
                        "201": _json({"type": "object"}, "Đã ghi thu hồi"),
                        **_errors(400, 404, 409, 422),
                    },
                }
            },
            "/api/v1/documents/{document_id}/supersede": {
                "post": {
                    "summary": "Ghi văn bản thay thế (hoặc công văn đính chính)",
                    "parameters": [_ID],
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["by", "reason"],
                                    "properties": {
                                        "by": {
                                            "type": "integer",
                                            "description": "Mã số văn bản thay thế",
                                        },
                                        "reason": {"type": "string"},
                                        "correction": {"type": "boolean", "default": False},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "201": _json({"type": "object"}, "Đã ghi"),
                        **_errors(400, 404, 409, 422),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "details": {"type": "object"},
                    },
                },
                "IssueRequest": {
                    "type": "object",
                    "required": ["template", "issuer"],
                    "properties": {
                        "template": {"type": "string", "example": "ke-hoach"},
                        "issuer": {"type": "string", "example": "ubnd-tinh"},
                        "signer": {"type": "string"},
                        "recipients": {"type": "string"},
                        "unit": {"type": "string"},
                        "register": {"type": "string"},
                        "data": {"type": "object"},
                        "date": {"type": "string", "format": "date"},
                        "priority": {"type": "integer", "enum": [0, 1, 2, 3]},
                        "due_date": {"type": "string", "format": "date"},
                        "description": {"type": "string", "maxLength": 500},
                        "issued_amount": {"type": "integer", "minimum": 1, "maximum": 999},
                    },
                },
                "DocumentSummary": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "number": {"type": "integer"},
                        "code_number": {"type": "string"},
                        "symbol": {"type": "string"},
                        "notation": {"type": "string"},
                        "date_line": {"type": "string"},
                        "sha256": {"type": "string"},
                        "status": {"enum": list(DocumentStatus)},
                        "links": {"type": "object"},
                    },
                },
                "SearchPage": {
                    "type": "object",
                    "properties": {
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/DocumentSummary"},
                        },
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "pages": {"type": "integer"},
                    },
                },
            }
        },
    }
