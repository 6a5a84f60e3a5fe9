"""Sending the package: "Gửi hồ sơ" drafts the cover công văn and opens it at the drafting
desk (issuing it submits the package), "Cập nhật danh sách trong công văn", and the recall."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import Conflict, RuleError
from docgen.identity import current_actor
from docgen.runtime import get_renderer
from docgen.services import nominations as noms
from docgen.services import package_cover
from docgen.web.forms import run_write
from docgen.web.nominations import bp
from docgen.web.nominations.common import load_campaign
from docgen.web.nominations.forms import ConfirmForm


def _back(campaign_id: int) -> ResponseReturnValue:
    return redirect(url_for("nominations.package", campaign_id=campaign_id), 303)


@bp.post("/<int:campaign_id>/send")
def send(campaign_id: int) -> ResponseReturnValue:
    actor = current_actor()
    load_campaign(get_session(), campaign_id, actor)
    if not ConfirmForm().validate_on_submit():
        flash("Biểu mẫu đã hết hạn; hãy thử lại.", "error")
        return _back(campaign_id)
    try:
        draft = run_write(lambda s: package_cover.create_cover(
            s, campaign_id, actor=actor, renderer=get_renderer(), now=get_clock().now()
        ))  # fmt: skip
    except (RuleError, Conflict) as exc:
        flash(exc.message, "error")
        return _back(campaign_id)
    flash(
        "Đã soạn công văn gửi hồ sơ. Hồ sơ chỉ được tính là đã gửi khi công văn được trình ký, "
        "duyệt và ban hành.",
        "ok",
    )
    return redirect(url_for("drafting.edit", draft_id=draft.id), 303)


@bp.post("/<int:campaign_id>/cover/refresh")
def refresh_cover(campaign_id: int) -> ResponseReturnValue:
    actor = current_actor()
    load_campaign(get_session(), campaign_id, actor)
    if not ConfirmForm().validate_on_submit():
        flash("Biểu mẫu đã hết hạn; hãy thử lại.", "error")
        return _back(campaign_id)
    try:
        draft, merged = run_write(lambda s: package_cover.refresh_cover(
            s, campaign_id, actor=actor, now=get_clock().now()
        ))  # fmt: skip
    except (RuleError, Conflict) as exc:
        flash(exc.message, "error")
        return _back(campaign_id)
    if merged:
        flash("Đã thay các đoạn liệt kê người được giới thiệu và đoạn số lượng trong công văn; "
              "các đoạn khác giữ nguyên.", "ok")  # fmt: skip
    else:
        flash("Không tìm thấy các đoạn danh sách cũ trong công văn (đã được sửa tay): toàn bộ "
              "nội dung công văn được soạn lại theo danh sách hiện tại.", "ok")  # fmt: skip
    return redirect(url_for("drafting.edit", draft_id=draft.id), 303)


@bp.route("/<int:campaign_id>/recall", methods=["GET", "POST"])
def recall(campaign_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    campaign = load_campaign(session, campaign_id, actor)
    noms.require_edit(session, campaign, actor.organisation, actor)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            run_write(lambda s: noms.recall_package(s, campaign_id, actor=actor,
                                                    now=get_clock().now()))  # fmt: skip
        except Conflict as exc:
            flash(exc.message, "error")
            return _back(campaign_id)
        flash("Đã rút lại hồ sơ: có thể sửa danh sách rồi gửi lại bằng công văn mới.", "ok")
        return _back(campaign_id)
    return render_template(
        "nominations/confirm.html", form=form, heading="Rút lại hồ sơ giới thiệu?",
        message="Hồ sơ sẽ trở về trạng thái có thể sửa; Ban Thi đua - Khen thưởng không xét hồ sơ "
        "cho đến khi cơ quan gửi lại bằng một công văn mới. Công văn đã ban hành vẫn được lưu.",
        button="Rút lại hồ sơ", back=url_for("nominations.package", campaign_id=campaign_id),
    )  # fmt: skip
