"""The app's long-lived working objects, renderer and PDF converter, in ``app.extensions``.

Nothing here is module-level: each app holds its own renderer (template registry, compiled
templates) and its own converter (a pool of warm LibreOffice workers, started lazily on the
first conversion), so two apps in one process share neither. Views, commands and jobs take
them from here and pass them to the services, as they do the clock.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app

from docgen.errors import ConversionError
from docgen.rendering.documents import DocumentRenderer
from docgen.rendering.pdf import Converter

_RENDERER = "docgen.renderer"
_CONVERTER = "docgen.converter"
_STOPPED = "docgen.converter.stopped"
_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Give ``app`` its renderer now and its converter on first use."""
    app.extensions[_RENDERER] = DocumentRenderer(app.config["DOCGEN_TEMPLATES_DIR"])


def get_renderer(app: Flask | None = None) -> DocumentRenderer:
    """Return the renderer of ``app`` (default: the current app)."""
    return (app or current_app).extensions[_RENDERER]


def get_converter(app: Flask | None = None) -> Converter:
    """Return the converter of ``app`` (default: the current app), creating it on first use.

    No LibreOffice starts here: the pool starts a worker on the first conversion. A
    converter that was closed, or inherited through ``fork()``, is replaced by a new one.
    ``DOCGEN_CONVERTER`` in the config (like ``DOCGEN_CLOCK``) gives one made elsewhere.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    given: Converter | None = app.config.get("DOCGEN_CONVERTER")  # tests share one warm pool
    if given is not None:
        return given
    converter: Converter | None = app.extensions.get(_CONVERTER)
    if converter is not None and not converter.closed:
        return converter
    with _lock:
        if app.extensions.get(_STOPPED):  # a job thread outliving the worker's shutdown
            raise ConversionError(
                "Tiến trình xử lý đang dừng: không khởi động thêm LibreOffice.",
                code="converter_stopped",
            )
        converter = app.extensions.get(_CONVERTER)
        if converter is None or converter.closed:
            converter = Converter(
                app.config.get("DOCGEN_CONVERTER_WORKERS") or None,
                timeout=app.config.get("DOCGEN_CONVERTER_TIMEOUT", 60),
            )
            app.extensions[_CONVERTER] = converter
        return converter


def close_converter(app: Flask, *, final: bool = False) -> None:
    """Stop the LibreOffice workers ``app`` started, if any (not a ``DOCGEN_CONVERTER``).

    ``final``: the process is shutting down, so no later ``get_converter`` may start a new
    pool (a job thread still running would otherwise leave an orphaned ``soffice.bin``).
    """
    with _lock:
        if final:
            app.extensions[_STOPPED] = True
        converter: Converter | None = app.extensions.pop(_CONVERTER, None)
    if converter is not None:
        converter.close()
