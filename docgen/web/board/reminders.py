"""The dashboard's one action "Soạn công văn đôn đốc": a draft on the drafting desk addressed to
the organisations that still owe nominees (services/reminders.py decides who and what)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock
from docgen.errors import RuleError
from docgen.identity import current_actor
from docgen.runtime import get_renderer
from docgen.services import reminders
from docgen.web.board import bp
from docgen.web.forms import run_write


@bp.post("/campaigns/<int:campaign_id>/reminder")
def reminder(campaign_id: int) -> ResponseReturnValue:
    actor, now = current_actor(), get_clock().now()
    try:
        draft = run_write(lambda s: reminders.draft_reminder(
            s, campaign_id, actor=actor, renderer=get_renderer(), now=now
        ))  # fmt: skip
    except RuleError as exc:  # nobody owes anything: say so, draft nothing
        flash(exc.message, "message")
        return redirect(url_for("board.campaign", campaign_id=campaign_id), code=303)
    flash(
        "Đã soạn công văn đôn đốc gửi các cơ quan, đơn vị còn thiếu hoặc chưa gửi; hãy xem lại, "
        "chọn người ký và trình ký.",
        "ok",
    )
    return redirect(url_for("drafting.edit", draft_id=draft.id), code=303)
