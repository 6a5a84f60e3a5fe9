"""Integrity pages of the archive: one document's check now, the archive-wide verification
reports (nightly and on demand), and the alert a failed one raises until acknowledged."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from docgen.db import get_clock, get_session
from docgen.errors import FieldError
from docgen.identity import current_actor
from docgen.jobs.archive import queue_archive_job
from docgen.jobs.runner import submit
from docgen.models import JobKind
from docgen.services import verifications
from docgen.services.integrity import check_document
from docgen.web.archive import bp


@bp.app_context_processor
def _integrity_alert() -> dict[str, Any]:
    """Give base.html the failed, unacknowledged verification an archivist must see."""
    actor = current_actor()
    if not actor.authenticated or actor.system or not verifications.may_verify(actor):
        return {"integrity_alert": None}
    alert = verifications.open_alert(get_session(), actor=actor)
    count = len(verifications.visible_findings(alert, actor)) if alert is not None else 0
    return {"integrity_alert": alert, "integrity_alert_count": count}


@bp.post("/documents/<int:document_id>/integrity")
def integrity(document_id: int) -> str:
    result = check_document(
        get_session(), document_id, actor=current_actor(), now=get_clock().now()
    )
    get_session().rollback()  # read-only: nothing to keep
    template = (
        "archive/_integrity.html" if request.headers.get("HX-Request") else "archive/integrity.html"
    )
    return render_template(template, result=result, document_id=document_id)


@bp.get("/verifications")
def verification_reports() -> str:
    actor = current_actor()
    jobs = verifications.reports(get_session(), actor=actor)
    return render_template(
        "archive/verifications.html", jobs=jobs,
        seen=lambda job: verifications.visible_findings(job, actor),
        acknowledged=lambda job: verifications.acknowledged(job, actor),
    )  # fmt: skip


@bp.post("/verifications")
def start_verification() -> ResponseReturnValue:
    session = get_session()
    actor = current_actor()
    verifications.reports(session, actor=actor, limit=1)  # Forbidden unless archivist or admin
    session.rollback()  # the check's read ends: the job row is written as a writer
    job = queue_archive_job(session, JobKind.VERIFY, actor=actor, now=get_clock().now())
    session.commit()
    submit(current_app._get_current_object(), [job.id])  # type: ignore[attr-defined]
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.route("/verifications/<int:job_id>", methods=["GET", "POST"])
def verification_report(job_id: int) -> ResponseReturnValue:
    session = get_session()
    actor = current_actor()
    errors: dict[str, str] = {}
    note = ""
    if request.method == "POST":
        note = request.form.get("note", "")
        try:
            verifications.acknowledge(
                session, job_id, actor=actor, note=note, now=get_clock().now()
            )
            session.commit()
            flash("Đã xác nhận kết quả kiểm tra.", "success")
            return redirect(url_for("archive.verification_report", job_id=job_id))
        except FieldError as exc:
            session.rollback()
            errors = dict(exc.fields)
    job = verifications.get_report(session, job_id, actor=actor)
    findings = verifications.visible_findings(job, actor)
    return render_template(
        "archive/verification.html", job=job, findings=findings,
        acknowledged=verifications.acknowledged(job, actor), errors=errors, note=note,
    )  # fmt: skip
