"""The JSON API, blueprint ``/api/v1``: drafts, issuance, search, retrieval, status changes."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app: Flask) -> None:
    """Register the API blueprint and the JSON error handlers."""
    from docgen.api import errors, jobs, readers, renditions, views  # noqa: F401  (routes on ``bp``)

    app.register_blueprint(bp)
    errors.register(app)


def install_converters(app: Flask) -> None:
    """Bound ``<int:…>`` in every URL of ``app`` (pages too) to the database's integers.

    Called before any blueprint is registered: rules bind their converters when added.
    """
    from docgen.api.parse import install_converters

    install_converters(app)
