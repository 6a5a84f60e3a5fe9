"""Wires docgen's parts into a Flask app: database, blueprints, error handlers, CLI.

Each area adds one line here; ``create_app`` stays a table of contents.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Attach every area of docgen to ``app``."""
    from docgen import api, db, web
    from docgen.cli import register_commands
    from docgen.rendering.documents import DocumentRenderer, set_default_renderer

    set_default_renderer(DocumentRenderer(app.config["DOCGEN_TEMPLATES_DIR"]))
    db.init_app(app)
    api.init_app(app)
    web.init_app(app)
    register_commands(app)
