"""The ``auth`` area: sign in, sign out, change one's password."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)

from docgen.web.auth import routes  # noqa: E402, F401  (attaches the views to ``bp``)
