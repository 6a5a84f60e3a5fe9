"""The ``archive`` area: search issued documents, read one document's record."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("archive", __name__)

from docgen.web.archive import routes  # noqa: E402, F401  (attaches the views to ``bp``)
