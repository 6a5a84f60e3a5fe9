"""The statistics page (Decree 30 Appendix VI §III.6): documents counted by year, type, issuer
and status within what the reader may see, and the most used documents of the organisation."""

from __future__ import annotations

from flask import render_template

from docgen.db import get_session
from docgen.identity import current_actor
from docgen.services.access_log import most_used
from docgen.services.search.facets import facets
from docgen.services.search.query import SearchQuery
from docgen.web.archive import bp


@bp.get("/statistics")
def statistics() -> str:
    session, actor = get_session(), current_actor()
    counts = facets(session, SearchQuery(), actor=actor)
    return render_template(
        "archive/statistics.html", facets=counts, used=most_used(session, actor=actor)
    )
