"""Live preview views: the panel fragment (page images, page count, format check) and the PNGs.

``GET /drafting/<id>/preview?version=N`` answers the panel for the stored draft. When the
stored draft is already newer than N, the answer is 204 with ``X-Preview-Stale`` (htmx swaps
nothing on a 204): a stale preview never replaces a newer one. Without htmx the same URL is a
page of its own, so the preview works without JavaScript too.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import Response, current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import conversion_slot, current_actor
from docgen.runtime import get_converter, get_renderer
from docgen.services import drafts
from docgen.services.draft_preview import (
    Preview,
    PreviewCache,
    StalePreview,
    build_preview,
    page_image,
)
from docgen.web.drafting import bp
from docgen.web.forms import whole_number

CACHE_DIR = "preview-cache"
_CACHE_KEY = "docgen.preview_cache"


def preview_cache() -> PreviewCache:
    """Return the app's preview cache (one per app; the files are shared by its processes)."""
    app = current_app
    cache = app.extensions.get(_CACHE_KEY)
    if cache is None:
        root = Path(app.instance_path) / CACHE_DIR
        megabytes = int(app.config.get("DOCGEN_PREVIEW_CACHE_MB", 200))
        hours = float(app.config.get("DOCGEN_PREVIEW_CACHE_HOURS", 24))
        cache = PreviewCache(root, max_bytes=megabytes << 20, max_age=hours * 3600)
        app.extensions[_CACHE_KEY] = cache
    return cache


def _version_arg() -> int | None:
    raw = request.args.get("version", "")
    return whole_number(raw)


def _build(draft_id: int, version: int | None) -> Preview:
    actor = current_actor()
    return build_preview(
        get_session(),
        draft_id,
        actor=actor,
        version=version,
        renderer=get_renderer(),
        converter=get_converter(),
        cache=preview_cache(),
        clock=get_clock(),
        slot=lambda: conversion_slot(actor),
    )


@bp.get("/<int:draft_id>/preview")
def preview(draft_id: int) -> ResponseReturnValue:
    htmx = bool(request.headers.get("HX-Request"))
    try:  # as a page of its own (no JavaScript), the latest saved version is what one wants
        result, error = _build(draft_id, _version_arg() if htmx else None), None
    except StalePreview as exc:
        response = Response(status=204)
        response.headers["X-Preview-Stale"] = str(exc.details.get("current", ""))
        response.headers["Cache-Control"] = "no-store"
        return response
    except DocgenError as exc:
        if exc.http_status in (403, 404) or not htmx:
            raise  # the error pages: another organisation's draft is a 404
        result, error = None, exc.message  # LibreOffice down, too many requests: said in the panel
    if htmx:
        body = render_template("drafting/_preview_body.html", preview=result, error=error,
                               draft_id=draft_id)  # fmt: skip
        response = current_app.make_response(body)
    else:
        draft = drafts.get_draft(get_session(), draft_id, current_actor())
        page = render_template("drafting/preview.html", preview=result, error=error,
                               draft=draft, draft_id=draft_id)  # fmt: skip
        response = current_app.make_response(page)
    if result is not None:
        response.headers["X-Preview-Version"] = str(result.version)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:draft_id>/preview/<int:version>/<int:page>.png")
def preview_page(draft_id: int, version: int, page: int) -> ResponseReturnValue:
    png, etag = page_image(
        get_session(),
        draft_id,
        version,
        page,
        actor=current_actor(),
        cache=preview_cache(),
        rebuild=lambda: _build(draft_id, None),
    )
    response = send_file(io.BytesIO(png), mimetype="image/png",
                         download_name=f"du-thao-{draft_id}-trang-{page}.png")  # fmt: skip
    response.set_etag(etag)
    response.make_conditional(request)
    # The URL names the version, the ETag the content: a new save gets a new URL anyway.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
