"""The board's campaign dashboard: nominees against quotas and the deadline, per addressed
organisation, with a chart read at a glance (server-rendered SVG: no script, no CDN)."""

from __future__ import annotations

from collections import Counter

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import NotFound
from docgen.identity import current_actor
from docgen.policy import Action, can
from docgen.rules.campaigns import Timing, countdown
from docgen.services import campaigns as svc
from docgen.services.clock import VIETNAM
from docgen.web.board import bp


def _campaigns_of_actor() -> list:
    actor = current_actor()
    return [
        c
        for c in svc.list_campaigns(get_session())
        if can(actor, Action.MANAGE_CAMPAIGN, c.organisation_id)
    ]


@bp.get("/")
def index() -> str:
    return render_template("board/index.html", campaigns=_campaigns_of_actor())


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    try:
        found = svc.get_campaign(session, campaign_id)
    except NotFound:
        abort(404)
    if not can(actor, Action.MANAGE_CAMPAIGN, found.organisation_id):
        abort(404)  # another organiser's campaign is not there for this board
    status = svc.campaign_status(session, found)
    deadline = svc.nominations_deadline(session, found)
    now = get_clock().now()
    only_short = request.args.get("short") == "1"
    group = request.args.get("group") or None
    rows = [
        r
        for r in (status.short if only_short else status.rows)
        if group is None or r.group == group
    ]
    return render_template(
        "board/campaign.html", campaign=found, status=status, rows=rows, chart=_chart(status),
        groups=sorted({r.group for r in status.rows}), group=group, only_short=only_short,
        deadline=deadline.astimezone(VIETNAM) if deadline else None,
        left=countdown(now, deadline) if deadline else None, Timing=Timing,
    )  # fmt: skip


def _chart(status) -> list[dict]:
    """Return one bar per group: how many organisations met the quota, are short, sent nothing."""
    met, short, missing = Counter(), Counter(), Counter()
    for row in status.rows:
        if row.timing is Timing.MISSING:
            missing[row.group] += 1
        elif row.quota.met:
            met[row.group] += 1
        else:
            short[row.group] += 1
    groups = sorted({r.group for r in status.rows})
    widest = max((met[g] + short[g] + missing[g] for g in groups), default=1) or 1
    bars = []
    for i, g in enumerate(groups):
        scale = 360 / widest
        bars.append({
            "group": g, "y": 10 + i * 34, "met": met[g], "short": short[g], "missing": missing[g],
            "w_met": met[g] * scale, "w_short": short[g] * scale, "w_missing": missing[g] * scale,
        })  # fmt: skip
    return bars
