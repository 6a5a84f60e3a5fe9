"""The ``admin`` area: an organisation's admin manages the users of that organisation only."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__)

from docgen.web.admin import routes  # noqa: E402, F401  (attaches the views to ``bp``)
