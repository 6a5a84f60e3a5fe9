"""Live preview views: the panel fragment (page images, page count, format check) and the PNGs.

``GET /drafting/<id>/preview?version=N`` answers the panel for the stored draft. When the
stored draft is already newer than N, the answer is 204 with ``X-Preview-Stale`` (htmx swaps
nothing on a 204): a stale preview never replaces a newer one. Without htmx the same URL is a
page of its own, so the preview works without JavaScript too.

Speed (issue 9): a save starts the build of its version in the background (``start_build``,
called by ``saving``), so the panel's request, a pause later, finds page 1 ready or waits for
that build. The fragment carries the page images only; the format check loads with its own
request (``preview_check``) so it never delays page 1.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

from flask import Response, current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import conversion_slot, current_actor
from docgen.policy import Actor
from docgen.runtime import get_converter, get_renderer
from docgen.services import drafts
from docgen.services.draft_preview import (
    Preview,
    PreviewCache,
    StalePreview,
    build_preview,
    page_image,
    preview_findings,
)
from docgen.services.preview_builds import PreviewBuilds
from docgen.web.drafting import bp
from docgen.web.forms import whole_number

CACHE_DIR = "preview-cache"
_CACHE_KEY = "docgen.preview_cache"
_BUILDS_KEY = "docgen.preview_builds"


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


def preview_builds() -> PreviewBuilds | None:
    """Return this process's pool of save-started builds; None when switched off.

    ``DOCGEN_PREVIEW_PREBUILD`` (default: on, off under ``TESTING`` so that tests saving
    drafts do not start LibreOffice behind their back); ``DOCGEN_PREVIEW_BUILDERS``: threads
    (default 2, the machine's cores). Made per process (after gunicorn's fork).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("DOCGEN_PREVIEW_PREBUILD", not app.testing):
        return None
    if int(app.config.get("DOCGEN_PREVIEW_BUILDERS", 2)) < 1:
        return None  # builds only when the panel asks
    pool = app.extensions.get(_BUILDS_KEY)
    if pool is None or pool[0] != os.getpid():
        workers = int(app.config.get("DOCGEN_PREVIEW_BUILDERS", 2))

        def build(draft_id: int, version: int, actor: Actor) -> Preview:
            with app.app_context():  # its own session, closed with the context
                return build_preview(
                    get_session(), draft_id, actor=actor, version=version,
                    renderer=get_renderer(), converter=get_converter(), cache=preview_cache(),
                    clock=get_clock(),
                )  # fmt: skip

        pool = (os.getpid(), PreviewBuilds(build, workers=workers))
        app.extensions[_BUILDS_KEY] = pool
    return pool[1]


def start_build(draft_id: int, version: int, actor: Actor) -> None:
    """Start building the preview of a just-saved version; never fails the save."""
    try:
        builds = preview_builds()
        if builds is not None:
            builds.start(draft_id, version, actor)
    except Exception:  # the save is done; the panel's own request will build
        current_app.logger.warning("preview build not started", exc_info=True)


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
        if result is not None and result.rendered:  # no JavaScript: the check in the page
            findings = _findings(draft_id, result.version)
            result = replace(result, findings=findings)
        page = render_template("drafting/preview.html", preview=result, error=error,
                               draft=draft, draft_id=draft_id)  # fmt: skip
        response = current_app.make_response(page)
    if result is not None:
        response.headers["X-Preview-Version"] = str(result.version)
    response.headers["Cache-Control"] = "no-store"
    return response


def _findings(draft_id: int, version: int) -> tuple[dict[str, str], ...]:
    return preview_findings(
        get_session(),
        draft_id,
        version,
        actor=current_actor(),
        cache=preview_cache(),
        rebuild=lambda: _build(draft_id, None),
    )


@bp.get("/<int:draft_id>/preview/<int:version>/check")
def preview_check(draft_id: int, version: int) -> ResponseReturnValue:
    """The format check of a previewed version (loaded by the panel after the pages)."""
    findings = _findings(draft_id, version)
    body = render_template("drafting/_preview_check.html", findings=findings)
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "private, max-age=3600"  # the version names the content
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
