"""API views for PDF, PDF/A and page previews (PNG) of issued documents and drafts.

A GET never writes: it serves the stored rendition, or answers 202 with the job that makes
it (queued by the issuing commit), or 404 ``rendition_missing`` when no job was ever queued
(a document issued with renditions turned off): ``POST …/renditions`` queues one. Drafts
are not archived: they are converted synchronously by the app's own converter.
"""

from __future__ import annotations

import io

from flask import Response, current_app, jsonify, request, send_file, url_for
from sqlalchemy.orm import Session

from docgen.api import bp, parse
from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import ConversionError, NotFound
from docgen.identity import conversion_slot, current_actor
from docgen.jobs import stall_after, submit
from docgen.jobs.renditions import guard_key, queue_renditions, renditions_on_issue
from docgen.models import Document, Job, JobState
from docgen.models.access import AccessKind
from docgen.policy import Actor
from docgen.rendering.pdf import PdfMetadata
from docgen.rendering.previews import page_png
from docgen.runtime import get_converter, get_renderer
from docgen.services import archive, issuance, jobs
from docgen.services.access_log import record_access
from docgen.services.renditions import KINDS

PDF_MIME = "application/pdf"
RETRY_AFTER = "2"  # seconds: a rendition takes about one
CACHE_SECONDS = 31536000  # a stored rendition never changes


class RenditionMissing(NotFound):
    """No rendition and no job to make it: ``POST …/renditions`` queues one."""

    code = "rendition_missing"


class RenditionFailed(ConversionError):
    """The job that makes the rendition failed; its page says why and can run it again."""

    code = "rendition_failed"


def renditions_after_issue(session: Session, document: Document, actor: Actor) -> Job | None:
    """Return the renditions job added to the issuing transaction (see ``renditions_on_issue``)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    return renditions_on_issue(app, session, document, actor=actor, now=get_clock().now())


def submit_after_commit(job: Job | None) -> None:
    """Put a committed job on the queue; a queue that is down only delays it (the sweep)."""
    if job is not None:
        submit(current_app._get_current_object(), [job.id])  # type: ignore[attr-defined]


def _rendition(document_id: int, kind: str) -> tuple[bytes, str, bool] | Response:
    """Return (bytes, sha256, secret) of a stored rendition, or the 202/503 job answer."""
    session = get_session()
    actor = current_actor()
    document = archive.get_document(session, document_id, actor)
    secret = archive.document_facts(session, document).secret
    rendition = archive.get_rendition(session, document.id, kind)
    if rendition is not None:
        return archive.blob_bytes(session, rendition.blob_sha256), rendition.blob_sha256, secret
    return _pending(session, document, actor)


def _pending(session: Session, document: Document, actor: Actor) -> Response:
    job = jobs.find_job(session, guard_key(document.id))
    if job is None:  # issued with renditions on issue turned off: a GET does not queue
        raise RenditionMissing(
            f"Văn bản số {document.notation} chưa có bản PDF. Văn thư hoặc lưu trữ có thể yêu "
            "cầu tạo bản PDF, PDF/A.",
            request=url_for("api.request_renditions", document_id=document.id),
        )
    state = jobs.effective_state(job, now=get_clock().now(), stall_after=stall_after(current_app))
    link = url_for("api.get_job", job_id=job.id)
    if state is JobState.FAILED:
        raise RenditionFailed(
            f"Chưa tạo được bản PDF của văn bản {document.notation}: {job.error or job.message}",
            job=link,
        )
    body = {"job": link, "state": str(state), "message": job.message}
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = link
    response.headers["Retry-After"] = RETRY_AFTER
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/documents/<int:document_id>/renditions")
def request_renditions(document_id: int) -> tuple[Response, int]:
    """Queue the job that makes a document's missing PDF and PDF/A (idempotent)."""
    session = get_session()
    actor = current_actor()
    archive.get_document(session, document_id, actor)  # 404 unless the actor may see it
    session.rollback()  # the check's read ends: queueing begins as a writer (SQLite's lock)
    begin_write(session)
    document = session.get_one(Document, document_id)
    job = queue_renditions(session, document, actor=actor, now=get_clock().now())
    session.commit()
    submit_after_commit(job)
    link = url_for("api.get_job", job_id=job.id)
    response = jsonify({"job": link, "state": str(job.state), "message": job.message})
    response.headers["Location"] = link
    response.headers["Cache-Control"] = "no-store"
    return response, 202


def _used(response: Response, document_id: int, detail: str) -> Response:
    """Return ``response`` after recording the download it serves (not a 304 or a HEAD)."""
    if request.method == "GET" and response.status_code in (200, 206):
        record_access(
            get_session(), document_id, actor=current_actor(), kind=AccessKind.DOWNLOAD,
            now=get_clock().now(), detail=detail,
        )  # fmt: skip
    return response


def _send(data: bytes, mimetype: str, name: str, etag: str, secret: bool) -> Response:
    response = send_file(io.BytesIO(data), mimetype=mimetype, download_name=name)
    response.set_etag(etag)
    response.make_conditional(request)
    if secret:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response.headers["Cache-Control"] = f"private, max-age={CACHE_SECONDS}"
    return response


@bp.get("/documents/<int:document_id>/pdf")
def get_pdf(document_id: int) -> Response:
    found = _rendition(document_id, KINDS[0])
    if isinstance(found, Response):
        return found
    data, sha, secret = found
    response = _send(data, PDF_MIME, f"van-ban-{document_id}.pdf", sha, secret)
    return _used(response, document_id, "pdf")


@bp.get("/documents/<int:document_id>/pdfa")
def get_pdfa(document_id: int) -> Response:
    found = _rendition(document_id, KINDS[1])
    if isinstance(found, Response):
        return found
    data, sha, secret = found
    response = _send(data, PDF_MIME, f"van-ban-{document_id}-pdfa.pdf", sha, secret)
    return _used(response, document_id, "pdfa")


@bp.get("/documents/<int:document_id>/preview/<int:page>.png")
def get_preview(document_id: int, page: int) -> Response:
    found = _rendition(document_id, KINDS[0])
    if isinstance(found, Response):
        return found
    data, sha, secret = found
    return _send(page_png(data, page), "image/png", f"trang-{page}.png", f"{sha}-{page}", secret)


@bp.post("/drafts/preview/<int:page>.png")
def draft_preview(page: int) -> Response:
    req = parse.issue_request(parse.json_body(request))
    actor = current_actor()
    session = get_session()
    rendered = issuance.render_draft(
        session, req, actor=actor, clock=get_clock(), renderer=get_renderer()
    )
    session.rollback()  # a draft writes nothing; end the read before converting
    with conversion_slot(actor):
        pdf = get_converter().to_pdf(rendered.docx)
    response = send_file(
        io.BytesIO(page_png(pdf, page)),
        mimetype="image/png",
        download_name=f"du-thao-trang-{page}.png",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def draft_pdf(docx: bytes, title: str) -> bytes:
    """Return the PDF of a draft (``POST /drafts?format=pdf``), made by the app's converter."""
    return get_converter().to_pdf(docx, metadata=PdfMetadata(title=title, author=""))
