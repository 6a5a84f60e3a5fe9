"""API views: parse the request, call one service, respond. The view owns the transaction."""

from __future__ import annotations

import io

from flask import Response, current_app, jsonify, request, send_file

from docgen.api import bp, parse, serialize
from docgen.api.errors import BadRequestError
from docgen.api.openapi import spec
from docgen.db import get_clock, get_session
from docgen.models import DocumentStatus
from docgen.services import archive, issuance, search, status

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTOR_HEADER = "X-Docgen-Actor"


def current_actor() -> str:
    """Return who is writing: the header for now; the signed-in user once auth exists."""
    return request.headers.get(ACTOR_HEADER, "").strip() or "api"


@bp.post("/drafts")
def create_draft() -> Response:
    wanted = request.args.get("format", "docx")
    if wanted not in {"docx", "pdf"}:
        raise BadRequestError(f"Định dạng “{wanted}” không hỗ trợ (docx, pdf).")
    req = parse.issue_request(parse.json_body(request))
    rendered = issuance.render_draft(get_session(), req, clock=get_clock())
    if wanted == "pdf":
        from docgen.api.renditions import draft_pdf

        return send_file(
            io.BytesIO(draft_pdf(rendered.docx, req.template)),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=f"du-thao-{req.template}.pdf",
        )
    return send_file(
        io.BytesIO(rendered.docx),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=f"du-thao-{req.template}.docx",
    )


@bp.post("/documents")
def issue() -> tuple[Response, int, dict[str, str]]:
    req = parse.issue_request(parse.json_body(request))
    session = get_session()
    document = issuance.issue_document(session, req, actor=current_actor(), clock=get_clock())
    session.commit()
    if current_app.config["DOCGEN_RENDITIONS_ON_ISSUE"]:
        from docgen.api.renditions import make_renditions_after_issue

        make_renditions_after_issue(document.id)
    body = serialize.document_summary(document, DocumentStatus.IN_FORCE)
    return jsonify(body), 201, {"Location": body["links"]["self"]}


@bp.get("/documents")
def list_documents() -> Response:
    page = search.search(get_session(), parse.search_query(request.args))
    return jsonify(serialize.page_json(page))


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int) -> Response:
    view = archive.describe_document(get_session(), document_id)
    return jsonify(serialize.document_full(view))


@bp.get("/documents/<int:document_id>/docx")
def get_docx(document_id: int) -> Response:
    session = get_session()
    document = archive.get_document(session, document_id)
    content = archive.blob_bytes(session, document.blob_sha256)
    response = send_file(
        io.BytesIO(content),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=f"{document.code_number}-{document.symbol}-{document.year}.docx",
        etag=document.blob_sha256,
        conditional=True,
        max_age=31536000,  # the bytes of an issued document never change
    )
    return response


@bp.post("/documents/<int:document_id>/withdraw")
def withdraw(document_id: int) -> tuple[Response, int]:
    body = parse.json_body(request)
    session = get_session()
    event = status.withdraw_document(
        session, document_id, reason=_reason(body), actor=current_actor(), clock=get_clock()
    )
    session.commit()
    return jsonify({**serialize.event_json(event), "status": "withdrawn"}), 201


@bp.post("/documents/<int:document_id>/supersede")
def supersede(document_id: int) -> tuple[Response, int]:
    body = parse.json_body(request)
    by = body.get("by")
    if isinstance(by, bool) or not isinstance(by, int):
        raise BadRequestError("Trường “by” phải là mã số văn bản thay thế.", code="invalid_fields")
    correction = body.get("correction", False)
    if not isinstance(correction, bool):
        raise BadRequestError("Trường “correction” phải là true hoặc false.", code="invalid_fields")
    session = get_session()
    event = status.supersede_document(
        session,
        document_id,
        by=by,
        reason=_reason(body),
        actor=current_actor(),
        clock=get_clock(),
        correction=correction,
    )
    session.commit()
    return jsonify({**serialize.event_json(event), "status": event.kind}), 201


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())


def _reason(body: dict) -> str:
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise BadRequestError("Trường “reason” (lý do) phải là chuỗi ký tự.", code="invalid_fields")
    return reason
