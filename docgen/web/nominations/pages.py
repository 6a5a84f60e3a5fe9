"""The campaigns addressing my organisation, and my package of one of them."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.identity import current_actor
from docgen.models import Document
from docgen.models.campaigns import PackageState
from docgen.rules.drafts import DraftState
from docgen.services import nomination_files as files
from docgen.web.nominations import bp
from docgen.web.nominations.common import (
    addressed_campaigns,
    load_campaign,
    may_edit,
    summary,
)
from docgen.web.nominations.forms import ConfirmForm


@bp.get("/")
def index() -> ResponseReturnValue:
    session, actor, now = get_session(), current_actor(), get_clock().now()
    rows = [
        summary(session, c, actor.organisation, actor, now)
        for c in addressed_campaigns(session, actor)
    ]
    return render_template("nominations/index.html", rows=rows)


@bp.get("/<int:campaign_id>")
def package(campaign_id: int) -> ResponseReturnValue:
    session, actor, now = get_session(), current_actor(), get_clock().now()
    campaign = load_campaign(session, campaign_id, actor)
    found = summary(session, campaign, actor.organisation, actor, now)
    attachments = {n.id: files.list_attachments(session, n.id, actor) for n in found.nominees}
    # the letters it was sent with, by number and date (a package is sent by its number)
    letters = {
        draft.id: session.get(Document, draft.document_id)
        for _link, draft in found.covers
        if draft.document_id
    }
    return render_template(
        "nominations/package.html",
        s=found,
        attachments=attachments,
        letters=letters,
        can_edit=may_edit(actor, campaign, actor.organisation),
        form=ConfirmForm(),
        States=PackageState,
        DraftState=DraftState,
    )
