"""One nominee: the trích ngang form (add, edit, or read-only for the board), delete with
confirmation, and its attachments (upload DOCX/PDF, download, delete with confirmation)."""

from __future__ import annotations

import io

from flask import flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError, Forbidden
from docgen.identity import current_actor
from docgen.models import Nomination
from docgen.rules.nominations import GENDER_LABELS, KIND_LABELS
from docgen.services import nomination_files as files
from docgen.services import nominations as noms
from docgen.services.campaigns import get_campaign
from docgen.web.forms import commit_change
from docgen.web.nominations import bp
from docgen.web.nominations.common import load_campaign, may_edit
from docgen.web.nominations.forms import ConfirmForm, NomineeForm, UploadForm


def _form_data(row: Nomination) -> dict[str, object]:
    """Return a stored nominee as the form shows it (labels, not keys)."""
    return {
        "kind": KIND_LABELS.get(row.kind, ""),
        "name": row.name,
        "birth_year": str(row.birth_year or ""),
        "gender": GENDER_LABELS.get(row.gender or "", ""),
        "position": row.position,
        "field": row.field,
        "classification": row.classification,
        "achievements": row.achievements,
        "previous_awards": row.previous_awards,
    }


def _require_edit(row: Nomination) -> None:
    """Refuse (403) a confirmation page to one who may read but not change the nominee."""
    campaign = get_campaign(get_session(), row.campaign_id)
    if not may_edit(current_actor(), campaign, row.organisation_id):
        raise Forbidden("Chỉ chuyên viên hoặc văn thư của cơ quan được sửa danh sách giới thiệu.")


@bp.route("/<int:campaign_id>/nominees/new", methods=["GET", "POST"])
def new_nominee(campaign_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    campaign = load_campaign(session, campaign_id, actor)
    form = NomineeForm()
    if form.validate_on_submit():
        done, row = commit_change(
            form,
            lambda s: noms.add_nomination(
                s, campaign_id, form.values(), actor=actor, now=get_clock().now()
            ),
        )
        if done:
            flash(f"Đã thêm “{row.name}” vào danh sách giới thiệu.", "ok")
            return redirect(url_for("nominations.package", campaign_id=campaign_id), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "nominations/nominee.html", campaign=campaign, form=form, row=None, editable=True,
        attachments=[], upload=None, org=actor.organisation,
    )  # fmt: skip
    return page, status


@bp.route("/nominees/<int:nomination_id>", methods=["GET", "POST"])
def nominee(nomination_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    row = noms.get_nomination(session, nomination_id, actor)  # another organisation: 404
    campaign = get_campaign(session, row.campaign_id)
    package = noms.find_package(session, campaign, row.organisation_id)
    editable = may_edit(actor, campaign, row.organisation_id) and (
        package is None or package.state in noms.EDITABLE_STATES
    )
    form = NomineeForm(data=_form_data(row))
    if form.validate_on_submit():
        done, _ = commit_change(
            form,
            lambda s: noms.update_nomination(
                s, nomination_id, form.values(), actor=actor, now=get_clock().now()
            ),
        )
        if done:
            flash(f"Đã lưu “{form.name.data}”.", "ok")
            return redirect(url_for("nominations.package", campaign_id=campaign.id), 303)
        row = noms.get_nomination(session, nomination_id, actor)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "nominations/nominee.html", campaign=campaign, form=form, row=row, editable=editable,
        attachments=files.list_attachments(session, row.id, actor), upload=UploadForm(),
        confirm=ConfirmForm(), org=row.organisation_id,
    )  # fmt: skip
    return page, status


@bp.route("/nominees/<int:nomination_id>/delete", methods=["GET", "POST"])
def delete_nominee(nomination_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    row = noms.get_nomination(session, nomination_id, actor)
    campaign_id, name = row.campaign_id, row.name
    _require_edit(row)
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _ = commit_change(
            form,
            lambda s: noms.delete_nomination(s, nomination_id, actor=actor, now=get_clock().now()),
        )
        if done:
            flash(f"Đã xóa “{name}” khỏi danh sách giới thiệu.", "ok")
            return redirect(url_for("nominations.package", campaign_id=campaign_id), 303)
    return render_template(
        "nominations/confirm.html", form=form, heading=f"Xóa “{name}”?",
        message="Người được giới thiệu và các tệp đính kèm sẽ bị xóa khỏi danh sách.",
        button="Xóa khỏi danh sách",
        back=url_for("nominations.nominee", nomination_id=nomination_id),
    )  # fmt: skip


@bp.post("/nominees/<int:nomination_id>/attachments")
def attach(nomination_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    noms.get_nomination(session, nomination_id, actor)
    form = UploadForm()
    back = url_for("nominations.nominee", nomination_id=nomination_id)
    if not form.validate_on_submit():
        flash("Biểu mẫu tải tệp đã hết hạn; hãy tải lại trang và thử lại.", "error")
        return redirect(back, 303)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        flash("Chưa chọn tệp đính kèm.", "error")
        return redirect(back, 303)
    data = upload.read()
    upload.close()  # a large upload is spooled to a temporary file: release it now
    try:
        done, row = commit_change(
            form,
            lambda s: files.add_attachment(
                s, nomination_id, upload.filename, data, actor=actor, now=get_clock().now()
            ),
        )
    except DocgenError as exc:
        if exc.http_status not in (413, 415, 422, 409):
            raise
        session.rollback()
        flash(exc.message, "error")
        return redirect(back, 303)
    if done:
        flash(f"Đã đính kèm “{row.filename}”.", "ok")
    return redirect(back, 303)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int) -> ResponseReturnValue:
    row, data = files.attachment_bytes(get_session(), attachment_id, current_actor())
    return send_file(io.BytesIO(data), mimetype=row.media_type, as_attachment=True,
                     download_name=row.filename)  # fmt: skip


@bp.route("/attachments/<int:attachment_id>/delete", methods=["GET", "POST"])
def delete_attachment(attachment_id: int) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    row, _ = files.attachment_bytes(session, attachment_id, actor)
    nomination_id, filename = row.nomination_id, row.filename
    back = url_for("nominations.nominee", nomination_id=nomination_id)
    _require_edit(noms.get_nomination(session, nomination_id, actor))
    form = ConfirmForm()
    if form.validate_on_submit():
        done, _ = commit_change(
            form,
            lambda s: files.delete_attachment(s, attachment_id, actor=actor, now=get_clock().now()),
        )
        if done:
            flash(f"Đã xóa tệp “{filename}”.", "ok")
            return redirect(back, 303)
    return render_template(
        "nominations/confirm.html", form=form, heading=f"Xóa tệp “{filename}”?",
        message="Tệp đính kèm sẽ bị gỡ khỏi hồ sơ của người được giới thiệu.",
        button="Xóa tệp", back=back,
    )  # fmt: skip
