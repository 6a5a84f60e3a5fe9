"""The web pages (HTML, Vietnamese): for now the archive's front page — search and preview.

Forms for clerks and the board's dashboard come with the web-application issue; this
blueprint is where they go. HTML pages live in ``docgen/web/templates/``; the printed
DOCX templates live in the project's top-level ``templates/``.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("web", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register the web pages."""
    from docgen.web import views  # noqa: F401  (attaches its routes to ``bp``)

    app.register_blueprint(bp)
