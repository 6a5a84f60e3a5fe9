"""The web pages (HTML, Vietnamese): one blueprint per area, under one shell.

``shell`` holds what every page shares (CSRF, Babel, security headers, static files,
``base.html``'s context); ``auth``, ``archive`` and ``admin`` are the areas; ``errors``
gives the Vietnamese error pages. HTML pages live in ``docgen/web/templates/``; the printed
DOCX templates live in the project's top-level ``templates/``.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the shell, the page areas and the error pages."""
    from docgen.web import admin, archive, auth, board, drafting, errors, nominations, shell

    shell.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(archive.bp)
    app.register_blueprint(drafting.bp, url_prefix="/drafting")
    app.register_blueprint(board.bp, url_prefix="/board")
    app.register_blueprint(nominations.bp, url_prefix="/nominations")
    app.register_blueprint(admin.bp, url_prefix="/admin")
    errors.init_app(app)
