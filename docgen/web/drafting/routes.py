"""Drafting views: the draft lists, the template picker, the form (save and autosave),
duplicate, "soạn văn bản tương tự" from an issued document, and delete.

Views are thin: the services scope every draft (another organisation's is a 404) and check
who may act (403); ``formdata`` maps the form to the draft's data and ``saving`` saves it.
"""

from __future__ import annotations

from flask import flash, g, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from docgen import policy
from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import Conflict, FieldError, TemplateNotFound
from docgen.identity import current_actor
from docgen.models import Draft
from docgen.rendering.schema import Layout, TemplateSpec
from docgen.rules.drafts import DraftState
from docgen.runtime import get_renderer
from docgen.services import drafts
from docgen.services.clock import VIETNAM
from docgen.web.drafting import bp, choices
from docgen.web.drafting.formdata import BLOCK_LABELS, CHOICE_LABELS, form_view
from docgen.web.drafting.saving import (
    CONFIRM,
    RESETS,
    Outcome,
    Posted,
    read_posted,
    save,
    saved_trigger,
    schema_problems,
)
from docgen.web.forms import whole_number
from docgen.web.shell import keeps_input

SCOPES = {"mine": "Của tôi", "all": "Cả cơ quan"}


def load_draft(draft_id: int) -> Draft:
    """Return the draft ``draft_id`` the actor may see (``NotFound``, a 404, otherwise)."""
    return drafts.get_draft(get_session(), draft_id, current_actor())


def spec_of(draft: Draft) -> TemplateSpec:
    return get_renderer().templates.get(draft.template)


# --- lists ------------------------------------------------------------------------------------


@bp.get("/")
def index() -> ResponseReturnValue:
    actor, session = current_actor(), get_session()
    args = request.args
    state = args.get("state") or None
    template = args.get("template") or None
    author = (args.get("author") or "").strip() or None
    scope = args.get("scope") if args.get("scope") in SCOPES else "all"
    notice = None
    if state is not None and state not in {s.value for s in DraftState}:
        notice, state = "Trạng thái lọc không hợp lệ; đang hiện mọi trạng thái.", None
    templates = {spec.code: spec for spec in get_renderer().templates}
    if template is not None and template not in templates:
        notice, template = "Mẫu văn bản lọc không có; đang hiện mọi mẫu.", None
    listed = drafts.list_drafts(session, actor, state=state, template=template, author=author,
                                mine=scope == "mine")  # fmt: skip
    mine = [d for d in listed if d.author_id == actor.user_id]
    others = [d for d in listed if d.author_id != actor.user_id]
    return render_template(
        "drafting/index.html",
        mine=mine,
        others=others,
        scope=scope,
        scopes=SCOPES,
        args=args,
        notice=notice,
        states=list(DraftState),
        templates=templates,
        authors=choices.author_options(session, actor.organisation),
        names=choices.author_names(session, actor.organisation),
        summary_of=choices.summary_of,
    )


# --- new --------------------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    actor = current_actor()
    specs = draftable()
    error = None
    code = request.form.get("template") or ""
    if request.method == "POST" and code not in {spec.code for spec in specs}:
        error = "Chọn một mẫu văn bản trong danh sách dưới đây."  # a register book is not drafted
    elif request.method == "POST":
        session = get_session()
        session.rollback()
        begin_write(session)
        try:
            draft = drafts.create_draft(session, actor=actor, template=code,
                                        renderer=get_renderer(), now=get_clock().now())  # fmt: skip
        except (TemplateNotFound, FieldError) as exc:
            session.rollback()
            error = exc.message if isinstance(exc, TemplateNotFound) else "Chọn một mẫu văn bản."
        else:
            session.commit()
            flash(f"Đã tạo dự thảo {_spec_name(code)} mới.", "ok")
            return redirect(url_for("drafting.edit", draft_id=draft.id), 303)
    status = 422 if error else 200
    return render_template("drafting/new.html", specs=specs, error=error), status


def draftable() -> list[TemplateSpec]:
    """Return the templates a clerk drafts (a register book is printed from the register)."""
    return [spec for spec in get_renderer().templates if spec.layout is not Layout.REGISTER]


def _spec_name(code: str) -> str:
    return get_renderer().templates.get(code).name.lower()


# --- the form ---------------------------------------------------------------------------------


@bp.route("/<int:draft_id>", methods=["GET", "POST"])
@keeps_input
def edit(draft_id: int) -> ResponseReturnValue:
    draft = load_draft(draft_id)
    spec = spec_of(draft)
    if request.method == "GET":
        return _form_page(draft, spec)
    posted = read_posted(spec)
    outcome = save(draft, spec, posted, current_actor())
    draft = load_draft(draft_id)  # as stored now (reloaded after the save's transaction)
    headers = saved_trigger(draft.version) if outcome.changed else {}
    if outcome.saved and not outcome.problems and not outcome.choice_errors:
        flash(f"Đã lưu dự thảo lúc {get_clock().now().astimezone(VIETNAM):%H:%M}.", "ok")
        response = redirect(url_for("drafting.edit", draft_id=draft.id), 303)
        response.headers.update(headers)
        return response
    page = _form_page(draft, spec, posted=posted, outcome=outcome)
    return make_response(page, outcome.status, headers)


@bp.post("/<int:draft_id>/autosave")
def autosave(draft_id: int) -> ResponseReturnValue:
    draft = load_draft(draft_id)
    spec = spec_of(draft)
    if DraftState(draft.state) in RESETS or draft.state == DraftState.DA_BAN_HANH:
        return render_template("drafting/_status.html", paused=True, draft=draft), 200
    outcome = save(draft, spec, read_posted(spec), current_actor())
    draft = load_draft(draft_id)
    headers = saved_trigger(draft.version) if outcome.changed else {}
    page = render_template(
        "drafting/_status.html",
        outcome=outcome,
        draft=draft,
        at=get_clock().now().astimezone(VIETNAM),  # what the clerk's clock says
    )
    return make_response(page, outcome.status, headers)


def _form_page(
    draft: Draft,
    spec: TemplateSpec,
    *,
    posted: Posted | None = None,
    outcome: Outcome | None = None,
) -> str:
    """Return the edit page: the stored draft, or what was posted with the save's messages."""
    session, actor = get_session(), current_actor()
    data = posted.data if posted is not None else draft.data
    problems = outcome.problems if outcome is not None else {}
    views, stray = form_view(spec.fields, data if isinstance(data, dict) else {}, problems)
    chosen = posted.choices if posted is not None else {
        "signer": draft.signer, "register": draft.register, "unit": draft.unit}  # fmt: skip
    # After a conflict the page offers to save what was typed over the newer version.
    version = draft.version if outcome is not None and outcome.status == 409 else None
    if posted is not None and version is None and not (outcome and outcome.saved):
        version = posted.version
    return render_template(
        "drafting/edit.html",
        draft=draft,
        spec=spec,
        actor=actor,
        fields=views,
        stray=stray,
        chosen=chosen,
        version=version or draft.version,
        outcome=outcome,
        block_labels=BLOCK_LABELS,
        choice_labels=CHOICE_LABELS,
        signers=choices.signer_options(session, draft.organisation_id),
        registers=choices.register_options(session, draft.organisation_id),
        units=choices.unit_options(session, draft.organisation_id),
        confirm_name=CONFIRM,
        needs_confirm=DraftState(draft.state) in RESETS,
        issued=draft.state == DraftState.DA_BAN_HANH,
        editable=policy.can(actor, policy.Action.EDIT_DRAFT, drafts.facts(draft)),
        state=DraftState(draft.state),
        pending=len(schema_problems(spec, draft.data if isinstance(draft.data, dict) else {})),
    )


# --- duplicate, from a document, delete ---------------------------------------------------------


@bp.post("/<int:draft_id>/duplicate")
def duplicate(draft_id: int) -> ResponseReturnValue:
    return _duplicate(draft_id=draft_id)


@bp.post("/from-document/<int:document_id>")
def from_document(document_id: int) -> ResponseReturnValue:
    return _duplicate(document_id=document_id)


def _duplicate(**source: int) -> ResponseReturnValue:
    session = get_session()
    session.rollback()
    begin_write(session)
    try:
        draft = drafts.duplicate(session, actor=current_actor(), renderer=get_renderer(),
                                 now=get_clock().now(), **source)  # fmt: skip
    except FieldError as exc:
        session.rollback()
        flash("Không soạn tương tự được: " + "; ".join(exc.fields.values()) + ".", "error")
        back = (url_for("drafting.edit", draft_id=source["draft_id"]) if "draft_id" in source
                else url_for("archive.document", document_id=source["document_id"]))  # fmt: skip
        return redirect(back, 303)
    session.commit()
    flash("Đã tạo dự thảo mới từ văn bản cũ; hãy sửa nội dung cho văn bản mới.", "ok")
    return redirect(url_for("drafting.edit", draft_id=draft.id), 303)


@bp.route("/<int:draft_id>/delete", methods=["GET", "POST"])
def delete(draft_id: int) -> ResponseReturnValue:
    draft = load_draft(draft_id)
    spec = spec_of(draft)
    error, status = None, 200
    if draft.state == DraftState.DA_BAN_HANH:
        error, status = "Dự thảo đã ban hành thành văn bản nên không xóa được.", 409
    elif request.method == "POST" and not g.get("csrf_error"):
        raw = (request.form.get("version") or "").strip()
        session = get_session()
        session.rollback()
        begin_write(session)
        try:
            drafts.delete_draft(session, draft_id, actor=current_actor(),
                                version=whole_number(raw) or -1,
                                now=get_clock().now())  # fmt: skip
        except Conflict as exc:
            session.rollback()
            error, status = exc.message, 409
            draft = load_draft(draft_id)
        else:
            session.commit()
            flash("Đã xóa dự thảo.", "ok")
            return redirect(url_for("drafting.index"), 303)
    summary = choices.summary_of(draft, spec)
    page = render_template("drafting/delete.html", draft=draft, spec=spec, summary=summary,
                           error=error)  # fmt: skip
    return page, status
