"""The dashboard's "Soạn báo cáo": the campaign's six-month or year report drafted from the
records (services/campaign_reports.py), and refreshing the figures of a report not yet issued."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import Conflict, FieldError, Forbidden, NotFound
from docgen.identity import current_actor
from docgen.policy import Action, can
from docgen.rules.campaign_report import ReportPeriod
from docgen.rules.drafts import DraftState
from docgen.runtime import get_renderer
from docgen.services import campaign_reports as reports
from docgen.web.board import bp
from docgen.web.forms import run_write

PERIODS = {ReportPeriod.FIRST_HALF: "6 tháng đầu năm", ReportPeriod.YEAR: "Cả năm"}


@bp.app_template_global("board_reports")
def reports_context(campaign: Any) -> dict[str, Any]:
    """Return what the report include shows: the periods, the report drafts (with whether
    their figures moved since), and whether the actor may draft one."""
    cached = g.setdefault("board_reports", {})
    if campaign.id not in cached:
        actor = current_actor()
        cached[campaign.id] = {
            "periods": PERIODS,
            "drafts": reports.report_drafts(get_session(), campaign),
            "may_draft": can(actor, Action.RENDER_DRAFT, campaign.organisation_id),
            "state": lambda value: DraftState(value).label,
        }
    return cached[campaign.id]


@bp.post("/campaigns/<int:campaign_id>/reports")
def draft_report(campaign_id: int) -> ResponseReturnValue:
    back = url_for("board.campaign", campaign_id=campaign_id)
    try:
        draft = run_write(lambda s: reports.draft_report(
            s, campaign_id, period=request.form.get("period", ""), actor=current_actor(),
            renderer=get_renderer(), now=get_clock().now(),
        ))  # fmt: skip
    except NotFound:
        abort(404)
    except (FieldError, Forbidden) as exc:
        message = "; ".join(exc.fields.values()) if isinstance(exc, FieldError) else exc.message
        flash(f"Không soạn được báo cáo: {message}", "error")
        return redirect(back, code=303)
    flash(
        "Đã soạn báo cáo với số liệu tính từ hồ sơ; hãy viết các phần trong ngoặc vuông "
        "“[Người soạn viết: …]”, xem lại và trình ký.",
        "ok",
    )
    return redirect(url_for("drafting.edit", draft_id=draft.id), code=303)


@bp.post("/campaigns/<int:campaign_id>/reports/<int:draft_id>/refresh")
def refresh_report(campaign_id: int, draft_id: int) -> ResponseReturnValue:
    back = url_for("board.campaign", campaign_id=campaign_id)
    actor = current_actor()
    version = request.form.get("version", type=int) or -1  # junk: a stale version
    try:
        result = run_write(lambda s: reports.refresh_report(
            s, draft_id, actor=actor, version=version, now=get_clock().now(),
            campaign_id=campaign_id,
        ))  # fmt: skip
    except NotFound:
        abort(404)
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
        return redirect(back, code=303)
    flash(
        "Đã cập nhật số liệu của báo cáo; phần người soạn đã viết được giữ nguyên."
        if result.sentences_replaced
        else "Đã cập nhật bảng số liệu; các câu tổng hợp đã được người soạn sửa nên được giữ "
        "nguyên, câu tổng hợp mới được thêm vào cuối phần nội dung.",
        "ok",
    )
    return redirect(url_for("drafting.edit", draft_id=draft_id), code=303)
