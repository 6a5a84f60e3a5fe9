"""The signing steps of a draft as pages: trình ký, duyệt, trả lại, đã ký trên giấy, ban hành.

Thin views over ``services.drafts`` (which holds the rules). Every step is a plain form POST
naming the draft's version; it redirects to the draft's page on success and, on a refusal
the clerk can act on (a missing field, a stale version, an empty comment), shows the
workflow page again with the message and what was typed. Another organisation's draft is a
404 (the service's loader), a visible step this actor may not take a 403. The issue page
confirms first: register, the date that will be printed, the signer and the Decree-30 check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen import policy
from docgen.api.renditions import renditions_after_issue, submit_after_commit
from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import DocgenError, FieldError, Forbidden, Unauthenticated
from docgen.identity import current_actor
from docgen.models import Draft, SignerRow, User
from docgen.policy import Action, Actor, Role
from docgen.rendering.schema import TemplateSpec
from docgen.rules.drafts import TRANSITIONS, DraftState, DraftStep
from docgen.runtime import get_renderer
from docgen.services import drafts
from docgen.services.issue_confirmation import confirmation
from docgen.web.drafting import bp
from docgen.web.drafting.formdata import input_id, input_name
from docgen.web.forms import whole_number

T = TypeVar("T")

# The draft's own settings the service may name in a FieldError (the template's fields have
# their labels in the schema).
SETTING_LABELS = {
    "signer": "Người ký",
    "recipients": "Nơi nhận",
    "register": "Sổ đăng ký văn bản đi",
    "unit": "Đơn vị soạn thảo",
    "data": "Nội dung",
    "comment": "Ý kiến",
    "version": "Phiên bản dự thảo",
    "signed_on": "Ngày ký trên giấy",
}
PAPER_DATE_FORMAT = "%d/%m/%Y"


@dataclass
class Problem:
    """Why a step was refused: a message and the fields it names (label, link)."""

    status: int
    message: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, message, link)


# --- what the panel shows ------------------------------------------------------------------


def draft_url(draft_id: int) -> str:
    """Return the draft's own page: the form if the app has it, else the workflow page."""
    if "drafting.edit" in current_app.view_functions:
        return url_for("drafting.edit", draft_id=draft_id)
    return url_for("drafting.workflow", draft_id=draft_id)


def spec_of(draft: Draft) -> TemplateSpec | None:
    """Return the draft's template spec, or None if the template has gone."""
    try:
        return get_renderer().templates.get(draft.template)
    except DocgenError:
        return None


def allowed_steps(actor: Actor, draft: Draft) -> set[str]:
    """Return the steps ``actor`` may take on ``draft`` now (the panel shows only these)."""
    state = DraftState(draft.state)
    facts = drafts.facts(draft)
    asks = {
        DraftStep.SUBMIT: (Action.EDIT_DRAFT, facts),
        DraftStep.RETURN: (Action.SIGN_DRAFT, facts),
        DraftStep.APPROVE: (Action.SIGN_DRAFT, facts),
        DraftStep.PAPER: (Action.RECORD_PAPER_SIGNATURE, facts),
        DraftStep.ISSUE: (Action.ISSUE, draft.organisation_id),
    }
    return {
        str(step)
        for step, (action, obj) in asks.items()
        if (state, step) in TRANSITIONS and policy.can(actor, action, obj)
    }


def panel_context(session: Session, draft: Draft, actor: Actor) -> dict[str, Any]:
    """Return what ``_workflow.html`` needs besides ``draft``, ``spec`` and ``actor``."""
    events = drafts.draft_events(session, draft.id, actor)
    usernames = {e.actor for e in events}
    query = select(User.username, User.name).where(User.username.in_(usernames))
    names = {username: name for username, name in session.execute(query)}
    signer = session.get(SignerRow, draft.signer) if draft.signer else None
    return {
        "events": events,
        "names": names,
        "signer": signer,
        "steps": allowed_steps(actor, draft),
        "state": DraftState(draft.state),
        "step_label": lambda kind: DraftStep(kind).label,
        "state_label": state_label,
    }


@bp.app_template_global("drafting_workflow")
def workflow_globals(draft: Draft) -> dict[str, Any]:
    """Return the panel's context for a template that includes ``_workflow.html`` on its own."""
    return panel_context(get_session(), draft, current_actor())


@bp.app_template_filter("draft_state_label")
def state_label(state: str | None) -> str:
    """Return a draft state as users read it ("Trình ký"); "—" for none."""
    return DraftState(state).label if state else "—"


@bp.app_template_global("drafting_waiting_count")
def waiting_count() -> int:
    """Return how many drafts wait for the acting user (the badge of ``_waiting_count.html``)."""
    return sum(len(rows) for _, _, rows in waiting_sections(get_session(), current_actor()))


def waiting_sections(session: Session, actor: Actor) -> list[tuple[str, str, list[Draft]]]:
    """Return (key, heading, drafts) of what waits for ``actor``, per role held."""
    out = []
    if actor.has(Role.SIGNER) and actor.signer:
        rows = drafts.list_drafts(session, actor, state=DraftState.TRINH_KY, signer=actor.signer)
        out.append(("sign", "Dự thảo trình tôi ký", rows))
    if actor.has(Role.REGISTRAR):
        rows = drafts.list_drafts(session, actor, state=DraftState.DA_DUYET)
        out.append(("issue", "Dự thảo đã duyệt, chờ cấp số và ban hành", rows))
    if actor.has(Role.DRAFTER, Role.REGISTRAR):
        rows = drafts.list_drafts(session, actor, mine=True, state=DraftState.TRA_LAI)
        out.append(("returned", "Dự thảo của tôi bị trả lại", rows))
    return out


def draft_title(draft: Draft, spec: TemplateSpec | None) -> str:
    """Return how a list names a draft: its trích yếu, else its template and id."""
    key = spec.summary_field if spec is not None else "summary"
    summary = (draft.data or {}).get(key) if key else None
    if isinstance(summary, str) and summary.strip():
        return summary.strip()
    return f"{spec.name if spec else draft.template} (dự thảo số {draft.id})"


# --- pages ---------------------------------------------------------------------------------


@bp.get("/waiting")
def waiting() -> str:
    session = get_session()
    sections = waiting_sections(session, current_actor())
    specs = {d.template: spec_of(d) for _, _, rows in sections for d in rows}
    return render_template(
        "drafting/waiting.html",
        sections=sections,
        specs=specs,
        draft_title=draft_title,
        draft_url=draft_url,
    )


@bp.get("/<int:draft_id>/workflow")
def workflow(draft_id: int) -> ResponseReturnValue:
    draft = drafts.get_draft(get_session(), draft_id, current_actor())
    if request.headers.get("HX-Request") == "true":  # the panel refreshes after an autosave
        return _panel(draft)
    return _page(draft)


def _panel(draft: Draft, problem: Problem | None = None) -> str:
    return render_template(
        "drafting/_workflow.html",
        draft=draft,
        spec=spec_of(draft),
        wf_problem=problem,
        wf_form=request.form if problem else {},
    )


def _page(draft: Draft, problem: Problem | None = None) -> ResponseReturnValue:
    spec = spec_of(draft)
    html = render_template(
        "drafting/workflow.html",
        draft=draft,
        spec=spec,
        title=draft_title(draft, spec),
        wf_problem=problem,
        wf_form=request.form if problem else {},
        edit_url=draft_url(draft.id) if "drafting.edit" in current_app.view_functions else None,
    )
    return html, problem.status if problem else 200


# --- the steps -----------------------------------------------------------------------------


def _version() -> int | None:
    """Return the draft version the form names (None when it is missing or no number)."""
    raw = request.form.get("version", "").strip()
    return whole_number(raw)


def _problem(exc: DocgenError, draft: Draft) -> Problem:
    """Return the refusal as the page shows it: field errors named and linked to the form."""
    if not isinstance(exc, FieldError):
        return Problem(exc.http_status, exc.message)
    spec = spec_of(draft)
    base = draft_url(draft.id)
    listed = []
    for key, message in exc.fields.items():
        name = key.split("[", 1)[0].split(".", 1)[0]
        spec_field = spec.field(name) if spec is not None else None
        label = spec_field.label if spec_field else SETTING_LABELS.get(name, key)
        text = message[:1].upper() + message[1:]
        anchor = input_id(input_name(name)) if spec_field else f"in-{name}"
        listed.append((label, text, f"{base}#{anchor}"))
    return Problem(422, "Dự thảo chưa thực hiện được bước này: cần sửa các mục sau.", listed)


def _run(draft_id: int, change: Callable[[Session, Actor, int | None], T]) -> T | Problem:
    """Return what ``change`` made, committed; or the refusal to show (nothing written).

    The draft is loaded first, so another organisation's draft is a 404 and a step this
    actor may not take a 403, both as error pages; every other refusal is shown beside it.
    """
    session = get_session()
    actor = current_actor()
    drafts.get_draft(session, draft_id, actor)  # 404 before anything else
    version = _version()
    if version is None:
        return Problem(400, "Biểu mẫu thiếu phiên bản của dự thảo; hãy tải lại trang rồi làm lại.")
    session.rollback()  # the loader's read ends; the step begins as a writer
    begin_write(session)
    try:
        result = change(session, actor, version)
    except (Forbidden, Unauthenticated):
        raise
    except DocgenError as exc:
        session.rollback()
        return _problem(exc, drafts.get_draft(session, draft_id, actor))
    session.commit()
    return result


def _step(draft_id: int, change: Callable[[Session, Actor, int | None], Any], done: str):
    """Run a step that keeps the draft: 303 to its page with ``done``, or the refusal page."""
    result = _run(draft_id, change)
    if isinstance(result, Problem):
        return _page(drafts.get_draft(get_session(), draft_id, current_actor()), result)
    flash(done, "ok")
    return redirect(draft_url(draft_id), code=303)


@bp.post("/<int:draft_id>/submit")
def submit(draft_id: int) -> ResponseReturnValue:
    def change(session: Session, actor: Actor, version: int | None) -> Draft:
        return drafts.submit(session, draft_id, actor=actor, version=version or 0,
                             renderer=get_renderer(), now=get_clock().now())  # fmt: skip

    return _step(draft_id, change, "Đã trình ký dự thảo.")


@bp.post("/<int:draft_id>/approve")
def approve(draft_id: int) -> ResponseReturnValue:
    def change(session: Session, actor: Actor, version: int | None) -> Draft:
        return drafts.approve(session, draft_id, actor=actor, version=version or 0,
                              now=get_clock().now())  # fmt: skip

    return _step(draft_id, change, "Đã duyệt dự thảo; văn thư sẽ cấp số và ban hành.")


@bp.post("/<int:draft_id>/return")
def return_draft(draft_id: int) -> ResponseReturnValue:
    def change(session: Session, actor: Actor, version: int | None) -> Draft:
        return drafts.return_draft(session, draft_id, actor=actor, version=version or 0,
                                   comment=request.form.get("comment", ""),
                                   now=get_clock().now())  # fmt: skip

    return _step(draft_id, change, "Đã trả lại dự thảo cho người soạn, kèm ý kiến.")


@bp.post("/<int:draft_id>/paper")
def paper(draft_id: int) -> ResponseReturnValue:
    def change(session: Session, actor: Actor, version: int | None) -> Draft:
        return drafts.record_paper_signature(
            session, draft_id, actor=actor, version=version or 0, renderer=get_renderer(),
            now=get_clock().now(), comment=_paper_comment(),
        )  # fmt: skip

    return _step(draft_id, change, "Đã ghi nhận dự thảo được ký trên giấy.")


def _paper_comment() -> str | None:
    """Return "Ký ngày dd/mm/yyyy" and the note typed; a bad date is a ``FieldError``."""
    raw = request.form.get("signed_on", "").strip()
    note = request.form.get("comment", "").strip()
    parts = []
    if raw:
        try:
            signed = datetime.strptime(raw, PAPER_DATE_FORMAT).date()
        except ValueError:
            message = "ngày ký phải có dạng ngày/tháng/năm, ví dụ 20/03/2017"
            raise FieldError({"signed_on": message}) from None
        if signed > get_clock().today():
            raise FieldError({"signed_on": "ngày ký không được sau hôm nay"})
        parts.append(f"Ký ngày {signed.strftime(PAPER_DATE_FORMAT)}")
    if note:
        parts.append(note)
    return ". ".join(parts) or None


# --- ban hành ------------------------------------------------------------------------------


@bp.route("/<int:draft_id>/issue", methods=["GET", "POST"])
def issue(draft_id: int) -> ResponseReturnValue:
    session = get_session()
    actor = current_actor()
    draft = drafts.get_draft(session, draft_id, actor)
    if not policy.can(actor, Action.ISSUE, draft.organisation_id):
        raise Forbidden("Chỉ văn thư của cơ quan ban hành được cấp số và ban hành văn bản.")
    problem = None
    if request.method == "POST":
        result = _run(draft_id, _issue)
        if not isinstance(result, Problem):
            notation, job = result
            submit_after_commit(job)  # on the queue only once the document is committed
            flash(f"Đã ban hành văn bản số {notation}.", "ok")
            return redirect(url_for("archive.document", document_id=draft.document_id), code=303)
        problem = result
        draft = drafts.get_draft(session, draft_id, actor)
    return _confirmation_page(session, draft, problem)


def _issue(session: Session, actor: Actor, version: int | None) -> tuple[str, Any]:
    """Issue the draft: the number is taken in this one transaction, with the renditions job."""
    draft_id = int((request.view_args or {})["draft_id"])
    document = drafts.issue_approved(session, draft_id, actor=actor, clock=get_clock(),
                                     renderer=get_renderer(), version=version)  # fmt: skip
    job = renditions_after_issue(session, document, actor)  # commits with the document
    return document.notation, job


def _confirmation_page(session: Session, draft: Draft, problem: Problem | None):
    spec = spec_of(draft)
    confirm, blocked = None, None
    if DraftState(draft.state) is DraftState.DA_DUYET:
        try:
            confirm = confirmation(session, draft, get_renderer(), get_clock().today())
        except DocgenError as exc:
            blocked = _problem(exc, draft)
    status = problem.status if problem else (blocked.status if blocked else 200)
    html = render_template(
        "drafting/issue.html",
        draft=draft,
        spec=spec,
        title=draft_title(draft, spec),
        confirm=confirm,
        problem=problem or blocked,
        draft_link=draft_url(draft.id),
    )
    return html, status
