"""Recipients in the drafting form, and the pages of an organisation's named recipient lists.

The form's widget (``drafting/_recipients.html``) posts either a named list
(``recipients_mode=list``, the select ``recipients``) or lines composed for this draft
(``recipients_mode=compose``): ``recipients-kinh_gui-<i>``, ``recipients-noi_nhan-<i>-name``,
``-copies``, ``-organisation``, ``recipients-archive``, ``recipients-archive_copies``.
``recipients_from_form`` turns them into the code the draft names; its errors are keyed by
those input names. "- Như trên;" and "- Lưu: VT, …" are never typed: the rules add them.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import Conflict, FieldError, Forbidden, NotFound, RuleError
from docgen.identity import current_actor
from docgen.models import OrganisationRow, RecipientListRow
from docgen.models.drafts import Draft
from docgen.policy import Action, Actor, can
from docgen.rendering.schema import RecipientMode, TemplateSpec
from docgen.rules.drafts import DraftState
from docgen.rules.recipient_lines import Lines, check_lines
from docgen.rules.text import fold
from docgen.services import recipient_lists as lists
from docgen.services.drafts import facts
from docgen.web.drafting import bp
from docgen.web.forms import Form
from docgen.web.shell import keeps_input

PREFIX = "recipients-"
MODE, LIST = "recipients_mode", "recipients"
MAX_INDEX = 999
BLANK_ROWS = 3
_ROW = re.compile(r"^(kinh_gui|noi_nhan)-(\d+)(?:-(name|copies|organisation))?$")


# --- form ↔ lines -------------------------------------------------------------------------------


def lines_from_form(form: MultiDict, prefix: str = "") -> tuple[Lines, dict[str, str]]:
    """Return the lines posted under ``prefix`` (row indexes kept), and a too-many-rows error."""
    kinh: dict[int, str] = {}
    noi: dict[int, dict[str, str]] = {}
    for key in form:
        match = _ROW.match(key[len(prefix) :]) if key.startswith(prefix) else None
        if match is None:
            continue
        block, index, part = match[1], int(match[2]), match[3]
        if index > MAX_INDEX:
            return Lines(), {f"{prefix}{block}": f"Nhiều nhất {MAX_INDEX} dòng."}
        value = form.get(key) or ""
        if block == "kinh_gui" and part is None:
            kinh[index] = value
        elif block == "noi_nhan" and part is not None:
            noi.setdefault(index, {})[part] = value
    rows = [noi.get(i, {}) for i in range(max(noi, default=-1) + 1)]
    lines = Lines(
        kinh_gui=tuple(kinh.get(i, "") for i in range(max(kinh, default=-1) + 1)),
        noi_nhan=tuple(
            (r.get("name", ""), r.get("copies", ""), r.get("organisation", "")) for r in rows
        ),
        archive=form.get(f"{prefix}archive") or "",
        archive_copies=form.get(f"{prefix}archive_copies") or "",
    )
    return lines, {}


def _organisations(session: Session) -> list[OrganisationRow]:
    return list(session.scalars(select(OrganisationRow).order_by(OrganisationRow.name)))


def _linked(lines: Lines, organisations: list[OrganisationRow]) -> Lines:
    """Return ``lines`` with a name picked from the datalist linked to its organisation."""
    by_name = {}
    for org in organisations:
        for name in (org.recipient_name, org.name):
            if name:
                by_name.setdefault(fold(name), org.code)
    rows = tuple(
        (name, copies, (org or by_name.get(fold(name), "")) if name.strip() else org)
        for name, copies, org in lines.noi_nhan
    )
    return Lines(lines.kinh_gui, rows, lines.archive, lines.archive_copies)


def _issued(draft: Draft) -> bool:
    return draft.state == DraftState.DA_BAN_HANH or draft.document_id is not None


def recipients_from_form(
    session: Session, draft: Draft, form: MultiDict, *, actor: Actor, now: datetime
) -> tuple[str | None, dict[str, str]]:
    """Return the recipient list code the draft should name, and errors by form field name.

    On errors the draft's current code comes back (the caller saves the rest of the form).
    A composed block is written in its own short transaction, committed here: call this
    before the save's write transaction begins. The row is new and named by nothing until
    the draft's save names it; one a failed save leaves behind goes at the next compose.
    """
    from docgen.runtime import get_renderer

    spec = get_renderer().templates.get(draft.template)
    if spec.recipients is RecipientMode.NONE:
        return None, {}
    if (MODE not in form and LIST not in form) or _issued(draft):
        return draft.recipients, {}  # no widget posted, or the issued list never changes
    if not can(actor, Action.EDIT_DRAFT, facts(draft)):
        raise Forbidden("Chỉ người soạn hoặc văn thư của cơ quan được sửa dự thảo.")
    if form.get(MODE) == "compose":
        return _composed(session, draft, spec, form, actor=actor, now=now)
    code = (form.get(LIST) or "").strip() or None
    if code is None or code == draft.recipients:
        return code, {}
    row = session.get(RecipientListRow, code)
    if (
        row is None
        or row.draft_id is not None
        or row.organisation
        not in (
            None,
            draft.organisation_id,
        )
    ):
        return draft.recipients, {LIST: "Không có danh sách nơi nhận này; hãy chọn lại."}
    return code, {}


def _composed(
    session: Session,
    draft: Draft,
    spec: TemplateSpec,
    form: MultiDict,
    *,
    actor: Actor,
    now: datetime,
) -> tuple[str | None, dict[str, str]]:
    lines, problems = lines_from_form(form, PREFIX)
    if problems:
        return draft.recipients, problems
    organisations = _organisations(session)
    block, problems = check_lines(
        _linked(lines, organisations),
        organisations={o.code for o in organisations},
        kinh_gui_allowed=spec.recipients is RecipientMode.KINH_GUI,
    )
    if problems:
        return draft.recipients, {f"{PREFIX}{key}": message for key, message in problems.items()}
    draft_id = draft.id
    session.rollback()  # the view's reads end; this short write begins as a writer
    begin_write(session)
    draft = session.get(Draft, draft_id)
    code = lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    session.commit()
    return code, {}


# --- the widget's view of a draft (called from ``drafting/_recipients.html``) ---------------------


def _preview(row: RecipientListRow, by_name: bool, unit: str | None) -> list[str]:
    try:
        return lists.printed_lines(row, by_name=by_name, unit=unit)
    except RuleError as exc:
        return [f"(Danh sách có lỗi: {exc.message})"]


def _posted_widget(form: MultiDict) -> tuple[str, str | None, Lines] | None:
    """Return (mode, chosen code, lines) a POST of the form carried, to show them again."""
    if MODE not in form and LIST not in form:
        return None
    lines, _ = lines_from_form(form, PREFIX)
    return form.get(MODE) or "list", (form.get(LIST) or "").strip() or None, lines


@bp.app_context_processor
def _widget_helper() -> dict[str, Any]:
    return {"recipients_widget": recipients_widget}


def recipients_widget(draft: Draft, spec: TemplateSpec, errors: dict[str, str] | None = None):
    """Return what ``_recipients.html`` shows for ``draft`` (what was posted wins)."""
    if spec.recipients is RecipientMode.NONE:
        return None
    session = get_session()
    by_name = spec.recipients is RecipientMode.KINH_GUI
    current = session.get(RecipientListRow, draft.recipients) if draft.recipients else None
    named = lists.named_lists(session, draft.organisation_id)
    posted = _posted_widget(request.form) if request.method == "POST" else None
    if posted is not None:
        mode, chosen, lines = posted
    elif current is not None and current.draft_id is not None:
        mode, chosen, lines = "compose", None, lists.lines_of(current)
    else:
        mode, chosen, lines = "list", draft.recipients, Lines()
    if current is not None and current.draft_id is None and current not in named:
        named.append(current)  # e.g. a shared list chosen before it became another's
    organisations = _organisations(session)
    return {
        "mode": mode,
        "chosen": chosen,
        "by_name": by_name,
        "lists": [{"row": r, "preview": _preview(r, by_name, draft.unit)} for r in named],
        "kinh_gui": [*lines.kinh_gui, *[""] * 2] if by_name else [],
        "noi_nhan": [*lines.noi_nhan, *[("", "", "")] * BLANK_ROWS],
        "archive": lines.archive,
        "archive_copies": lines.archive_copies,
        "unit": draft.unit,
        "organisations": organisations,
        "names": sorted({o.recipient_name or o.name for o in organisations}, key=fold),
        "errors": errors or {},
        "editable": not _issued(draft),
    }


# --- the pages of named lists -------------------------------------------------------------------


def load_list(code: str) -> RecipientListRow:
    """Return the named list ``code`` the actor may see (another organisation's: 404)."""
    try:
        return lists.get_list(get_session(), code, current_actor())
    except NotFound:
        abort(404)


def _editor(
    row: RecipientListRow | None,
    lines: Lines,
    name: str,
    errors: dict[str, str],
    *,
    status: int = 200,
    message: str = "",
) -> ResponseReturnValue:
    actor = current_actor()
    session = get_session()
    used = lists.usage(session, row.code) if row is not None else None
    may_edit = row is None or lists.editable(actor, row)
    organisations = _organisations(session)
    return render_template(
        "drafting/recipient_list.html",
        row=row,
        name=name,
        kinh_gui=[*lines.kinh_gui, *[""] * 2],
        noi_nhan=[*lines.noi_nhan, *[("", "", "")] * BLANK_ROWS],
        archive=lines.archive,
        archive_copies=lines.archive_copies,
        errors=errors,
        message=message,
        used=used,
        may_edit=may_edit and not (used and used.locked),
        may_manage=may_edit,
        preview=_preview(row, True, None) if row is not None else [],
        organisations=organisations,
        names=sorted({o.recipient_name or o.name for o in organisations}, key=fold),
        form=Form(),
    ), status


def _save(change) -> tuple[Any, dict[str, str], str]:
    """Return (result, errors by input name, conflict message) of one committed change."""
    session = get_session()
    session.rollback()
    begin_write(session)
    try:
        result = change(session)
    except FieldError as exc:
        session.rollback()
        return None, exc.fields, ""
    except Conflict as exc:
        session.rollback()
        return None, {}, exc.message
    session.commit()
    return result, {}, ""


@bp.get("/recipient-lists")
def recipient_lists() -> ResponseReturnValue:
    actor = current_actor()
    session = get_session()
    rows = lists.named_lists(session, actor.organisation)
    own = [(r, lists.usage(session, r.code)) for r in rows if r.organisation is not None]
    shared = [r for r in rows if r.organisation is None]
    return render_template("drafting/recipient_lists.html", own=own, shared=shared, form=Form())


@bp.route("/recipient-lists/new", methods=["GET", "POST"])
@keeps_input
def new_recipient_list() -> ResponseReturnValue:
    form = Form()
    lines, errors = lines_from_form(request.form)
    name = (request.form.get("name") or "").strip()
    if request.method == "POST" and not errors and form.validate_on_submit():
        actor = current_actor()
        row, errors, _message = _save(
            lambda s: lists.create_list(
                s, actor=actor, now=get_clock().now(), name=name, lines=lines
            )
        )
        if row is not None:
            flash(f"Đã tạo danh sách nơi nhận “{row.name}”.", "ok")
            return redirect(url_for("drafting.recipient_list", code=row.code))
    if request.method == "GET":
        return _editor(None, Lines(), "", {})
    return _editor(None, lines, name, errors, status=422)


@bp.route("/recipient-lists/<code>", methods=["GET", "POST"])
@keeps_input
def recipient_list(code: str) -> ResponseReturnValue:
    row = load_list(code)
    if request.method == "GET":
        return _editor(row, lists.lines_of(row), row.name, {})
    if not lists.editable(current_actor(), row):
        abort(403)
    form = Form()
    lines, errors = lines_from_form(request.form)
    name = (request.form.get("name") or "").strip()
    message = ""
    if not errors and form.validate_on_submit():
        actor = current_actor()
        saved, errors, message = _save(
            lambda s: lists.update_list(
                s, code, actor=actor, now=get_clock().now(), name=name, lines=lines
            )
        )
        if saved is not None:
            flash(f"Đã lưu danh sách nơi nhận “{saved.name}”.", "ok")
            return redirect(url_for("drafting.recipient_list", code=code))
    row = load_list(code)
    return _editor(row, lines, name, errors, status=409 if message else 422, message=message)


@bp.post("/recipient-lists/<code>/delete")
def delete_recipient_list(code: str) -> ResponseReturnValue:
    row = load_list(code)
    if not lists.editable(current_actor(), row):
        abort(403)
    form = Form()
    if not form.validate_on_submit():
        abort(400)
    name, actor = row.name, current_actor()
    done, _, message = _save(
        lambda s: lists.delete_list(s, code, actor=actor, now=get_clock().now()) or True
    )
    if not done:
        row = load_list(code)
        return _editor(row, lists.lines_of(row), row.name, {}, status=409, message=message)
    flash(f"Đã xóa danh sách nơi nhận “{name}”.", "ok")
    return redirect(url_for("drafting.recipient_lists"))


@bp.post("/recipient-lists/<code>/copy")
def copy_recipient_list(code: str) -> ResponseReturnValue:
    load_list(code)
    actor = current_actor()
    if not can(actor, Action.MANAGE_RECIPIENTS, actor.organisation):
        abort(403)
    if not Form().validate_on_submit():
        abort(400)
    row, errors, message = _save(
        lambda s: lists.copy_list(s, code, actor=actor, now=get_clock().now())
    )
    if row is None:
        flash(message or "; ".join(errors.values()), "error")
        return redirect(url_for("drafting.recipient_list", code=code))
    flash(f"Đã tạo bản sao “{row.name}”; bạn có thể sửa bản sao này.", "ok")
    return redirect(url_for("drafting.recipient_list", code=row.code))
