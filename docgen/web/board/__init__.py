"""The ``board`` area: the Ban Thi đua - Khen thưởng's view of its campaigns (issue 10)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("board", __name__)

from docgen.web.board import (  # noqa: E402, F401  (attach the views)
    campaign_forms,
    dossier,
    reminders,
    reports,
    review,
    routes,
)
