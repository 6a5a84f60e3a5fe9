"""The ``archive`` area: search issued documents, read one document's record."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("archive", __name__)

from docgen.web.archive import (  # noqa: E402, F401  (attach the views to ``bp``)
    books,
    export,
    integrity,
    routes,
    searches,
    statistics,
    status_pages,
    transfer,
)
