"""The central submission dossier's pages (issue 10): the selection check and "Soạn tờ trình",
"Lập hồ sơ" (a job with the shared progress panel) once the tờ trình is issued, the dossier's
page (parts, page counts, bookmarks, hashes, downloads), and for the organisation the tờ
trình went to (the UBND tỉnh) the dossiers addressed to it and "Soạn công văn" to the centre.
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import DocgenError, NotFound
from docgen.identity import current_actor
from docgen.jobs.dossier import queue_dossier
from docgen.jobs.runner import submit
from docgen.models import AccessKind, Campaign, Dossier, Job, JobKind
from docgen.models.campaigns import CampaignDocumentPurpose
from docgen.policy import Action, can
from docgen.rendering.dossier_pdf import outline_of
from docgen.rules.drafts import DraftState
from docgen.runtime import get_renderer
from docgen.services import dossier as svc
from docgen.services import jobs
from docgen.services.access_log import record_access
from docgen.services.archive import blob_bytes
from docgen.services.campaign_documents import links_of_campaign
from docgen.services.campaigns import get_campaign
from docgen.services.dossier_drafts import (
    create_council_letter,
    create_submission,
    issued_submission,
    selection,
    submissions,
)
from docgen.web.board import bp
from docgen.web.jobs import panel_context


def _campaign(campaign_id: int) -> Campaign:
    """Return the campaign of the acting board; another organiser's is a 404."""
    try:
        found = get_campaign(get_session(), campaign_id)
    except NotFound:
        abort(404)
    if not can(current_actor(), Action.MANAGE_CAMPAIGN, found.organisation_id):
        abort(404)
    return found


def _dossier(dossier_id: int) -> Dossier:
    try:
        return svc.get_dossier(get_session(), dossier_id, current_actor())
    except NotFound:
        abort(404)


@bp.get("/campaigns/<int:campaign_id>/dossier")
def dossier(campaign_id: int) -> ResponseReturnValue:
    session, campaign = get_session(), _campaign(campaign_id)
    rows = selection(session, campaign)
    in_range = campaign.selection_min <= len(rows) <= campaign.selection_max
    job = None
    if request.args.get("job", "").isdigit():
        found = session.get(Job, int(request.args["job"]))
        if found is not None and found.kind == JobKind.DOSSIER:
            job = jobs.get_visible_job(session, found.id, current_actor())
    return render_template(
        "board/dossier.html", campaign=campaign, rows=rows, in_range=in_range,
        submissions=submissions(session, campaign.id),
        issued=issued_submission(session, campaign.id),
        dossiers=svc.dossiers_of(session, campaign.id),
        panel=panel_context(job) if job is not None else None,
        may_draft=can(current_actor(), Action.RENDER_DRAFT, campaign.organisation_id),
        DraftState=DraftState,
    )  # fmt: skip


@bp.post("/campaigns/<int:campaign_id>/dossier/submission")
def draft_submission(campaign_id: int) -> ResponseReturnValue:
    session, campaign, actor = get_session(), _campaign(campaign_id), current_actor()
    try:
        draft = create_submission(session, campaign.id, actor=actor, renderer=get_renderer(),
                                  now=get_clock().now())  # fmt: skip
        session.commit()
    except DocgenError as exc:
        session.rollback()
        if exc.http_status == 403:
            raise
        flash(exc.message, "error")
        return redirect(url_for("board.dossier", campaign_id=campaign_id), code=303)
    return redirect(url_for("drafting.edit", draft_id=draft.id), code=303)


@bp.post("/campaigns/<int:campaign_id>/dossier/build")
def build_dossier(campaign_id: int) -> ResponseReturnValue:
    session, campaign, actor = get_session(), _campaign(campaign_id), current_actor()
    try:
        job = queue_dossier(session, campaign.id, actor=actor, now=get_clock().now())
        session.commit()
    except DocgenError as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("board.dossier", campaign_id=campaign_id), code=303)
    submit(current_app._get_current_object(), [job.id])  # type: ignore[attr-defined]
    return redirect(url_for("board.dossier", campaign_id=campaign_id, job=job.id), code=303)


@bp.get("/dossiers/<int:dossier_id>")
def dossier_detail(dossier_id: int) -> ResponseReturnValue:
    session, found = get_session(), _dossier(dossier_id)
    files = svc.dossier_files(session, found.id)
    outline = outline_of(blob_bytes(session, found.merged_sha256))
    letters = links_of_campaign(session, found.campaign_id, purpose=CampaignDocumentPurpose.COUNCIL,
                                organisation=current_actor().organisation)  # fmt: skip
    may_council = found.addressed_to is not None and can(
        current_actor(), Action.RENDER_DRAFT, found.addressed_to
    )
    return render_template(
        "board/dossier_detail.html", dossier=found, files=files, outline=outline,
        campaign=get_campaign(session, found.campaign_id), may_council=may_council,
        letters=[d for link, d in letters if link.snapshot.get("dossier") == found.id],
        DraftState=DraftState,
    )  # fmt: skip


@bp.get("/dossiers/<int:dossier_id>/<any(pdf, zip):kind>")
def dossier_download(dossier_id: int, kind: str) -> ResponseReturnValue:
    session, found = get_session(), _dossier(dossier_id)
    sha = found.merged_sha256 if kind == "pdf" else found.zip_sha256
    content = blob_bytes(session, sha)
    name = f"ho-so-trinh-trung-uong-{found.id}.{kind}"
    # the use log of the tờ trình the dossier carries (a GET writes nothing else)
    record_access(session, found.submission_document_id, actor=current_actor(),
                  kind=AccessKind.DOWNLOAD, now=get_clock().now(),
                  detail=f"hồ sơ {kind.upper()}")  # fmt: skip
    media = "application/pdf" if kind == "pdf" else "application/zip"
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name, mimetype=media)


@bp.get("/dossiers")
def addressed_dossiers() -> ResponseReturnValue:
    actor = current_actor()
    rows = svc.addressed_dossiers(get_session(), actor.organisation or "")
    return render_template("board/dossiers.html", dossiers=rows)


@bp.post("/dossiers/<int:dossier_id>/council")
def draft_council(dossier_id: int) -> ResponseReturnValue:
    session, found, actor = get_session(), _dossier(dossier_id), current_actor()
    if found.addressed_to is None or not actor.of(found.addressed_to):
        abort(403)
    try:
        draft = create_council_letter(session, found.id, actor=actor, renderer=get_renderer(),
                                      now=get_clock().now())  # fmt: skip
        session.commit()
    except DocgenError as exc:
        session.rollback()
        if exc.http_status in (403, 404):
            raise
        flash(exc.message, "error")
        return redirect(url_for("board.dossier_detail", dossier_id=dossier_id), code=303)
    return redirect(url_for("drafting.edit", draft_id=draft.id), code=303)


@bp.app_template_global("addressed_dossier_count")
def addressed_dossier_count() -> int:
    """Return how many dossiers were addressed to the acting user's organisation (the
    drafting desk links to them: where the People's Committee drafts its công văn)."""
    actor = current_actor()
    if not actor.authenticated or actor.organisation is None:
        return 0
    return len(svc.addressed_dossiers(get_session(), actor.organisation))
