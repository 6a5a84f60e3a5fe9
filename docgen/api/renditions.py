"""API views for PDF, PDF/A and page previews (PNG) of issued documents and drafts."""

from __future__ import annotations

import io

from flask import Response, current_app, request, send_file

from docgen.api import bp, parse
from docgen.api.views import current_actor
from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.rendering.pdf import PdfMetadata, get_converter
from docgen.rendering.previews import page_png
from docgen.services import archive, issuance
from docgen.services.renditions import ensure_rendition, ensure_renditions

PDF_MIME = "application/pdf"


def app_converter():
    """Return the process's warm converter, sized by the app's settings."""
    workers = current_app.config["DOCGEN_CONVERTER_WORKERS"] or None
    return get_converter(workers=workers, timeout=current_app.config["DOCGEN_CONVERTER_TIMEOUT"])


def rendition_bytes(document_id: int, kind: str) -> tuple[bytes, str]:
    """Return (bytes, sha256) of a document's rendition, making it on first request."""
    session = get_session()
    rendition = ensure_rendition(
        session,
        document_id,
        kind,
        converter=app_converter(),
        actor=current_actor(),
        now=get_clock().now(),
    )
    return archive.blob_bytes(session, rendition.blob_sha256), rendition.blob_sha256


def make_renditions_after_issue(document_id: int) -> None:
    """Make the PDF and PDF/A of a just-issued document; a failure only postpones them.

    The document is already committed: if LibreOffice is missing or fails, the renditions
    are made on the first request for them instead, and the failure is logged.
    """
    try:
        ensure_renditions(
            get_session(),
            document_id,
            converter=app_converter(),
            actor=current_actor(),
            now=get_clock().now(),
        )
    except DocgenError as exc:
        get_session().rollback()
        current_app.logger.warning(
            "Chưa tạo được bản PDF của văn bản %s: %s", document_id, exc.message
        )


def _send(data: bytes, mimetype: str, name: str, etag: str | None = None) -> Response:
    response = send_file(io.BytesIO(data), mimetype=mimetype, download_name=name)
    if etag:
        response.set_etag(etag)
        response.make_conditional(request)
    return response


@bp.get("/documents/<int:document_id>/pdf")
def get_pdf(document_id: int) -> Response:
    data, sha = rendition_bytes(document_id, "pdf")
    return _send(data, PDF_MIME, f"van-ban-{document_id}.pdf", sha)


@bp.get("/documents/<int:document_id>/pdfa")
def get_pdfa(document_id: int) -> Response:
    data, sha = rendition_bytes(document_id, "pdfa")
    return _send(data, PDF_MIME, f"van-ban-{document_id}-pdfa.pdf", sha)


@bp.get("/documents/<int:document_id>/preview/<int:page>.png")
def get_preview(document_id: int, page: int) -> Response:
    data, sha = rendition_bytes(document_id, "pdf")
    return _send(page_png(data, page), "image/png", f"trang-{page}.png", f"{sha}-{page}")


@bp.post("/drafts/preview/<int:page>.png")
def draft_preview(page: int) -> Response:
    req = parse.issue_request(parse.json_body(request))
    rendered = issuance.render_draft(get_session(), req, clock=get_clock())
    pdf = app_converter().to_pdf(rendered.docx)
    return _send(page_png(pdf, page), "image/png", f"du-thao-trang-{page}.png")


def draft_pdf(docx: bytes, title: str) -> bytes:
    """Return the PDF of a draft (``POST /drafts?format=pdf``)."""
    return app_converter().to_pdf(docx, metadata=PdfMetadata(title=title, author=""))
