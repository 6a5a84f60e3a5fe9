"""API views: parse the request, call one service, respond. The view owns the transaction.

Who acts is ``identity.current_actor()`` (a Bearer token, resolved before the view runs);
every write and read below is scoped by the services to what that actor may do and see.
"""

from __future__ import annotations

import io

from flask import Response, jsonify, request, send_file

from docgen.api import bp, parse, renditions, serialize
from docgen.api.errors import BadRequestError
from docgen.api.openapi import spec
from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import conversion_slot, current_actor
from docgen.models import DocumentStatus
from docgen.models.access import AccessKind
from docgen.runtime import get_renderer
from docgen.services import archive, issuance, search, status
from docgen.services.access_log import record_access

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CACHE_SECONDS = 31536000  # the bytes of an issued document never change


class UnsupportedMediaType(DocgenError):
    """A write whose body is not ``application/json`` (a cross-site form cannot send that)."""

    code = "unsupported_media_type"
    http_status = 415


@bp.before_request
def _json_only() -> None:
    # <form enctype="text/plain"> on another site can POST here; it cannot set this type.
    # A DELETE without a body has nothing to parse, and no form can send a DELETE.
    if request.method == "DELETE" and not request.get_data(cache=True):
        return
    if request.method in WRITE_METHODS and request.mimetype != "application/json":
        raise UnsupportedMediaType("Cần gửi dữ liệu JSON (Content-Type: application/json).")


def private_cache(response: Response, *, secret: bool) -> Response:
    """Return ``response`` cacheable only by the user's own browser; never stored if secret."""
    if secret:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers.pop("Expires", None)
    else:
        response.headers["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    return response


@bp.post("/drafts")
def create_draft() -> Response:
    wanted = request.args.get("format", "docx")
    if wanted not in {"docx", "pdf"}:
        raise BadRequestError(f"Định dạng “{wanted}” không hỗ trợ (docx, pdf).")
    req = parse.issue_request(parse.json_body(request))
    actor = current_actor()
    rendered = issuance.render_draft(
        get_session(), req, actor=actor, clock=get_clock(), renderer=get_renderer()
    )
    get_session().rollback()  # a draft writes nothing; end the read before converting
    if wanted == "pdf":
        with conversion_slot(actor):
            pdf = renditions.draft_pdf(rendered.docx, req.template)
        response = send_file(
            io.BytesIO(pdf),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=f"du-thao-{req.template}.pdf",
        )
    else:
        response = send_file(
            io.BytesIO(rendered.docx),
            mimetype=DOCX_MIME,
            as_attachment=True,
            download_name=f"du-thao-{req.template}.docx",
        )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/documents")
def issue() -> tuple[Response, int, dict[str, str]]:
    req = parse.issue_request(parse.json_body(request))
    session = get_session()
    actor = current_actor()
    document = issuance.issue_document(
        session, req, actor=actor, clock=get_clock(), renderer=get_renderer()
    )
    job = renditions.renditions_after_issue(session, document, actor)  # commits with it
    session.commit()
    renditions.submit_after_commit(job)
    body = serialize.document_summary(document, DocumentStatus.IN_FORCE)
    return jsonify(body), 201, {"Location": body["links"]["self"]}


@bp.get("/documents")
def list_documents() -> Response:
    query = parse.search_query(request.args)
    page = search.search(get_session(), query, actor=current_actor())
    response = jsonify(serialize.page_json(page))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int) -> Response:
    view = archive.describe_document(get_session(), document_id, current_actor())
    response = jsonify(serialize.document_full(view))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/documents/<int:document_id>/docx")
def get_docx(document_id: int) -> Response:
    session = get_session()
    document = archive.get_document(session, document_id, current_actor())
    secret = archive.document_facts(session, document).secret
    content = archive.blob_bytes(session, document.blob_sha256)
    response = send_file(
        io.BytesIO(content),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=f"{document.code_number}-{document.symbol}-{document.year}.docx",
        etag=document.blob_sha256,
        conditional=True,
        max_age=CACHE_SECONDS,
    )
    if request.method == "GET" and response.status_code in (200, 206):  # not a 304 or HEAD
        record_access(
            session, document.id, actor=current_actor(), kind=AccessKind.DOWNLOAD,
            now=get_clock().now(), detail="docx",
        )  # fmt: skip
    return private_cache(response, secret=secret)


@bp.post("/documents/<int:document_id>/withdraw")
def withdraw(document_id: int) -> tuple[Response, int]:
    reason = parse.withdraw_reason(parse.json_body(request))
    session = get_session()
    event = status.withdraw_document(
        session, document_id, reason=reason, actor=current_actor(), clock=get_clock()
    )
    session.commit()
    return jsonify({**serialize.event_json(event), "status": "withdrawn"}), 201


@bp.post("/documents/<int:document_id>/supersede")
def supersede(document_id: int) -> tuple[Response, int]:
    by, reason, correction = parse.supersede_request(parse.json_body(request))
    session = get_session()
    event = status.supersede_document(
        session,
        document_id,
        by=by,
        reason=reason,
        actor=current_actor(),
        clock=get_clock(),
        correction=correction,
    )
    session.commit()
    return jsonify({**serialize.event_json(event), "status": event.kind}), 201


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(spec())
