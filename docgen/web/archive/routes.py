"""Archive views: parse the query string, call the scoped search or loader, render."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from docgen.db import get_clock, get_session
from docgen.identity import current_actor
from docgen.models.access import AccessKind
from docgen.runtime import get_renderer
from docgen.services import archive
from docgen.services.access_log import record_access
from docgen.services.search import Snippet
from docgen.web.archive import bp
from docgen.web.archive.document_page import page_context
from docgen.web.archive.searches import search_context


def highlight(snippet: Snippet | None) -> Markup:
    """Return the snippet as HTML with the matched words in <mark> (text escaped)."""
    if snippet is None:
        return Markup("")
    out, pos = [], 0
    for start, end in snippet.highlights:
        out.append(escape(snippet.text[pos:start]))
        out.append(Markup("<mark>") + escape(snippet.text[start:end]) + Markup("</mark>"))
        pos = end
    out.append(escape(snippet.text[pos:]))
    return Markup("").join(out)


@bp.get("/")
def index() -> str:
    template = (
        "archive/_results.html" if request.headers.get("HX-Request") else "archive/index.html"
    )
    return render_template(
        template, templates=_templates(), highlight=highlight, **search_context(request.args)
    )


@bp.get("/documents/<int:document_id>")
def document(document_id: int) -> str:
    view = archive.describe_document(get_session(), document_id, actor=current_actor())
    files = files_context(view)
    if request.headers.get("HX-Request") == "true" and request.args.get("part") == "files":
        return render_template("archive/_files.html", view=view, document=view.document, **files)
    page = render_template(
        "archive/document.html", view=view, document=view.document, **files,
        **page_context(view),
    )  # fmt: skip
    if request.method == "GET":  # a HEAD shows nobody anything
        record_access(
            get_session(), document_id, actor=current_actor(), kind=AccessKind.VIEW,
            now=get_clock().now(),
        )  # fmt: skip
    return page


def files_context(view: archive.DocumentView) -> dict:
    """Return which renditions exist and, while its job makes the others, that job's panel
    (the files section then refreshes itself until the job has ended)."""
    from docgen.jobs.renditions import guard_key
    from docgen.services.jobs import find_job
    from docgen.services.renditions import KINDS
    from docgen.web.jobs import panel_context

    made = {str(r.kind) for r in view.renditions}
    job = None
    if not set(KINDS) <= made:
        job = find_job(get_session(), guard_key(view.document.id))
    return {"made": made, "files_job": panel_context(job) if job is not None else None}


def _templates() -> list:
    """Return the DOCX templates the app renders (listed beside the search)."""
    return list(get_renderer().templates)


# The files of a document are served by the API's own views (same bytes, ETag, caching and
# "being made" answers); these page routes only let a signed-in browser reach them with its
# session, since the API itself takes bearer tokens only.
DOWNLOADS = {"docx": "api.get_docx", "pdf": "api.get_pdf", "pdfa": "api.get_pdfa"}


@bp.get("/documents/<int:document_id>/<any(docx, pdf, pdfa):kind>")
def download(document_id: int, kind: str) -> ResponseReturnValue:
    response = current_app.make_response(
        current_app.view_functions[DOWNLOADS[kind]](document_id=document_id)
    )
    if response.status_code == 202:  # being made: a person watches the job's progress page
        job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        return redirect(url_for("jobs.show", job_id=job_id))
    return response


@bp.get("/documents/<int:document_id>/preview/<int:page>.png")
def preview(document_id: int, page: int) -> ResponseReturnValue:
    return current_app.view_functions["api.get_preview"](document_id=document_id, page=page)
