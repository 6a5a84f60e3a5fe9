"""Thu hồi, thay thế, đính chính from the document page: a reason is required, the act is
confirmed, the superseding document is picked by its number. The services decide who may."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError
from docgen.identity import current_actor
from docgen.policy import Action, can
from docgen.services import archive, status
from docgen.services.document_links import find_by_notation
from docgen.web.archive import bp
from docgen.web.forms import year_number

_NUMBER_PROBLEMS = {"bad_notation", "not_found", "ambiguous", "invalid_supersession"}
ACTS = {
    "withdraw": ("Thu hồi văn bản", "Tôi xác nhận thu hồi văn bản này."),
    "supersede": ("Thay thế văn bản", "Tôi xác nhận văn bản này bị thay thế."),
    "correct": ("Đính chính văn bản", "Tôi xác nhận văn bản này được đính chính."),
}


@bp.route(
    "/documents/<int:document_id>/<any(withdraw, supersede, correct):act>", methods=["GET", "POST"]
)
def change_status(document_id: int, act: str) -> ResponseReturnValue:
    session = get_session()
    actor = current_actor()
    view = archive.describe_document(session, document_id, actor)  # 404 outside the scope
    facts = archive.document_facts(session, view.document)
    if not can(actor, Action.CHANGE_STATUS, facts):
        abort(403)
    form = {key: request.form.get(key, "").strip() for key in ("reason", "by", "year")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = _check(form, act)
        if not errors:
            try:
                _apply(act, document_id, form)
            except DocgenError as exc:
                session.rollback()
                field = "by" if exc.code in _NUMBER_PROBLEMS else "form"
                errors[field] = exc.message
            else:
                session.commit()
                flash(f"Đã ghi nhận: {ACTS[act][0].lower()}.", "ok")
                return redirect(url_for("archive.document", document_id=document_id))
    title, confirm = ACTS[act]
    return render_template(
        "archive/change_status.html", view=view, document=view.document, act=act, title=title,
        confirm=confirm, form=form, errors=errors,
    ), (422 if errors else 200)  # fmt: skip


def _check(form: dict[str, str], act: str) -> dict[str, str]:
    errors = {}
    if not form["reason"]:
        errors["reason"] = "Hãy ghi lý do (bắt buộc theo Điều 18 Nghị định 30)."
    if act != "withdraw" and not form["by"]:
        errors["by"] = "Hãy ghi số, ký hiệu của văn bản thay thế hoặc đính chính."
    if form["year"] and year_number(form["year"]) is None:
        errors["year"] = "Năm phải là bốn chữ số, từ 1900 đến 2100, ví dụ 2017."
    if not request.form.get("confirm"):
        errors["confirm"] = "Hãy đánh dấu ô xác nhận."
    return errors


def _apply(act: str, document_id: int, form: dict[str, str]) -> None:
    session, actor, clock = get_session(), current_actor(), get_clock()
    session.rollback()  # the page's reads end: the change begins as a writer (SQLite)
    if act == "withdraw":
        status.withdraw_document(
            session, document_id, reason=form["reason"], actor=actor, clock=clock
        )
        return
    year = year_number(form["year"])
    replacement = find_by_notation(session, form["by"], year=year, actor=actor)
    session.rollback()  # the lookup's read ends: the change begins as a writer (SQLite)
    status.supersede_document(
        session, document_id, by=replacement.id, reason=form["reason"], actor=actor,
        clock=clock, correction=act == "correct",
    )  # fmt: skip
