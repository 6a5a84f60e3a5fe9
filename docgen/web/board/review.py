"""The board's review pages: one organisation's package (accept, return with a reason, select
nominees), the selection, and the review pieces the dashboard includes.

Selecting answers an htmx request with the nominee's card and the counter (swapped out of
band); without JavaScript the same form posts and the page comes back (303). Services decide
who may act: another organiser's campaign or package is a 404 page.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response, flash, g, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import Conflict, FieldError, NotFound
from docgen.identity import current_actor
from docgen.models import Document, Nomination
from docgen.models.campaigns import CampaignDocumentPurpose, NominationState, PackageState
from docgen.policy import Action, can
from docgen.rules.campaigns import count_phrase
from docgen.rules.drafts import DraftState
from docgen.services import campaign_documents, reminders, reviews
from docgen.services.archive import blob_bytes, document_facts
from docgen.services.drafts import facts as draft_facts
from docgen.web.board import bp
from docgen.web.forms import run_write

KIND_LABELS = {"collective": "Tập thể", "individual": "Cá nhân"}
GENDER_LABELS = {"nam": "Nam", "nu": "Nữ"}
NOMINEE_STATES = {
    NominationState.DRAFT: "Đang soạn",
    NominationState.SUBMITTED: "Đã gửi",
    NominationState.ACCEPTED: "Đã tiếp nhận",
    NominationState.RETURNED: "Bị trả lại",
    NominationState.SELECTED: "Đã chọn",
}


def _package_url(campaign_id: int, organisation: str) -> str:
    return url_for("board.package", campaign_id=campaign_id, organisation=organisation)


def _back(campaign_id: int, nominee: Nomination) -> str:
    """Return where a select / unselect form returns without JavaScript (never a free URL)."""
    if request.form.get("back") == "selection":
        return url_for("board.selection", campaign_id=campaign_id)
    return _package_url(campaign_id, nominee.organisation_id) + f"#nominee-{nominee.id}"


@bp.app_template_global("board_labels")
def labels() -> dict[str, Any]:
    return {"kind": KIND_LABELS, "gender": GENDER_LABELS, "nominee": NOMINEE_STATES,
            "package": lambda s: PackageState(s).label if s else "Chưa lập hồ sơ",
            "draft": lambda s: DraftState(s).label}  # fmt: skip


@bp.app_template_global("board_review")
def review_context(campaign: Any) -> dict[str, Any]:
    """Return what the dashboard's review includes show: the selection counter, how many
    organisations a reminder would address, and the campaign's prepared documents."""
    cached = g.setdefault("board_review", {})
    if campaign.id in cached:  # two includes ask for it on one page
        return cached[campaign.id]
    session, actor = get_session(), current_actor()
    documents = []
    for link, draft in campaign_documents.links_of_campaign(session, campaign.id):
        document = session.get(Document, draft.document_id) if draft.document_id else None
        draft_url = (
            url_for("drafting.edit", draft_id=draft.id)
            if can(actor, Action.READ_DRAFT, draft_facts(draft))
            else None
        )
        doc_url = (
            url_for("archive.document", document_id=document.id)
            if document is not None
            and can(actor, Action.READ_DOCUMENT, document_facts(session, document))
            else None
        )
        documents.append({
            "purpose": CampaignDocumentPurpose(link.purpose).label,
            "organisation": link.organisation_id,
            "state": DraftState(draft.state).label, "draft_url": draft_url, "doc_url": doc_url,
            "number": f"{document.code_number}/{document.code_notation}" if document else None,
            "issued": document.issued_date if document else None,
        })  # fmt: skip
    names = reviews.organisation_names(session, {d["organisation"] for d in documents})
    for d in documents:
        d["organisation"] = names.get(d["organisation"], d["organisation"])
    cached[campaign.id] = {
        "selection": reviews.selection_summary(session, campaign),
        "owed": len(reminders.owed(session, campaign)),
        "may_draft": can(actor, Action.RENDER_DRAFT, campaign.organisation_id),
        "documents": documents,
    }
    return cached[campaign.id]


# --- one organisation's package -----------------------------------------------------------------


@bp.get("/campaigns/<int:campaign_id>/packages/<organisation>")
def package(campaign_id: int, organisation: str) -> ResponseReturnValue:
    session = get_session()
    found = reviews.package_review(session, campaign_id, organisation, current_actor())
    return render_template(
        "board/package.html", review=found, campaign=found.campaign,
        selection=reviews.selection_summary(session, found.campaign),
    )  # fmt: skip


@bp.get("/campaigns/<int:campaign_id>/attachments/<int:attachment_id>")
def attachment(campaign_id: int, attachment_id: int) -> Response:
    session = get_session()
    row = reviews.review_attachment(session, campaign_id, attachment_id, current_actor())
    response = send_file(io.BytesIO(blob_bytes(session, row.sha256)), mimetype=row.media_type,
                         as_attachment=True, download_name=row.filename)  # fmt: skip
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/campaigns/<int:campaign_id>/packages/<organisation>/accept")
def accept(campaign_id: int, organisation: str) -> ResponseReturnValue:
    actor, now = current_actor(), get_clock().now()
    try:
        run_write(
            lambda s: reviews.accept_package(s, campaign_id, organisation, actor=actor, now=now)
        )
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash("Đã tiếp nhận hồ sơ; có thể chọn tập thể, cá nhân giới thiệu Trung ương.", "ok")
    return redirect(_package_url(campaign_id, organisation), code=303)


@bp.route("/campaigns/<int:campaign_id>/packages/<organisation>/return", methods=["GET", "POST"])
def return_package(campaign_id: int, organisation: str) -> ResponseReturnValue:
    session, actor = get_session(), current_actor()
    found = reviews.package_review(session, campaign_id, organisation, actor)
    error, status = None, 200
    reason = request.form.get("reason", "")
    if request.method == "POST":
        now = get_clock().now()
        try:
            run_write(lambda s: reviews.return_package(s, campaign_id, organisation, reason,
                                                    actor=actor, now=now))  # fmt: skip
        except FieldError as exc:
            error, status = exc.fields.get("reason") or exc.message, 422
        except Conflict as exc:
            error, status = exc.message, 409
        else:
            flash(f"Đã trả lại hồ sơ của {found.organisation.name}, kèm lý do.", "ok")
            return redirect(_package_url(campaign_id, organisation), code=303)
        found = reviews.package_review(session, campaign_id, organisation, actor)
    return render_template("board/return.html", review=found, campaign=found.campaign,
                           reason=reason, error=error), status  # fmt: skip


# --- selecting ----------------------------------------------------------------------------------


def _selection_step(campaign_id: int, nomination_id: int, select: bool) -> ResponseReturnValue:
    actor, now = current_actor(), get_clock().now()
    step = reviews.select_nomination if select else reviews.unselect_nomination
    session = get_session()
    nominee = session.get(Nomination, nomination_id)
    if nominee is None or nominee.campaign_id != campaign_id:  # a nominee of another campaign
        raise NotFound(f"Không có người được giới thiệu mã số {nomination_id}.")
    problem = None
    try:
        run_write(lambda s: step(s, nomination_id, actor=actor, now=now))
    except Conflict as exc:
        problem = exc.message
    nominee = session.get(Nomination, nomination_id)
    campaign = reviews.review_campaign(session, campaign_id, actor)
    summary = reviews.selection_summary(session, campaign)
    if request.headers.get("HX-Request") == "true":
        return render_template(
            "board/_selected.html", campaign=campaign, n=nominee, selection=summary,
            problem=problem, files=reviews.nominee_attachments(session, [nominee.id]).get(
                nominee.id, []),
        )  # fmt: skip
    if problem:
        flash(problem, "error")
    else:
        done = "Đã chọn" if select else "Đã bỏ chọn"
        flash(f"{done} “{nominee.name}”. {summary.label}.", "ok")
    return redirect(_back(campaign_id, nominee), code=303)


@bp.post("/campaigns/<int:campaign_id>/nominations/<int:nomination_id>/select")
def select(campaign_id: int, nomination_id: int) -> ResponseReturnValue:
    return _selection_step(campaign_id, nomination_id, True)


@bp.post("/campaigns/<int:campaign_id>/nominations/<int:nomination_id>/unselect")
def unselect(campaign_id: int, nomination_id: int) -> ResponseReturnValue:
    return _selection_step(campaign_id, nomination_id, False)


@bp.get("/campaigns/<int:campaign_id>/selection")
def selection(campaign_id: int) -> ResponseReturnValue:
    session = get_session()
    campaign = reviews.review_campaign(session, campaign_id, current_actor())
    chosen = reviews.selected_nominations(session, campaign)
    names = reviews.organisation_names(session, {n.organisation_id for n in chosen})
    return render_template(
        "board/selection.html", campaign=campaign, chosen=chosen, names=names,
        selection=reviews.selection_summary(session, campaign), count_phrase=count_phrase,
    )  # fmt: skip
