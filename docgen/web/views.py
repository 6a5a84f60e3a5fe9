"""Web views: parse the query string, call the search service, render the page."""

from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup, escape

from docgen.api.parse import search_query
from docgen.db import get_session
from docgen.errors import DocgenError
from docgen.rendering.documents import default_renderer
from docgen.services.search import Snippet, search
from docgen.web import bp


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
    error = None
    try:
        page = search(get_session(), search_query(request.args))
    except DocgenError as exc:
        page, error = None, exc.message
    return render_template(
        "web/index.html",
        page=page,
        error=error,
        args=request.args,
        templates=list(default_renderer().templates),
        highlight=highlight,
    )
