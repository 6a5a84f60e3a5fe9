"""The job pages: one job's progress bar, refreshed by htmx until it ends, and its retry.

``GET /jobs/<id>`` answers htmx with the panel alone (``hx-get`` every 1.5 s while the job
runs; the last answer comes without the trigger, so polling stops) and a browser without
JavaScript with a full page and a plain link to refresh. Jobs are scoped like documents:
another user's job is a 404.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from docgen import policy
from docgen.db import get_clock, get_session
from docgen.errors import Forbidden
from docgen.identity import current_actor
from docgen.jobs.queue import get_queue
from docgen.jobs.runner import stall_after, submit
from docgen.models import Job, JobKind, JobState
from docgen.services import jobs

bp = Blueprint("jobs", __name__, template_folder="templates", url_prefix="/jobs")
POLL = "every 1500ms"


def init_app(app: Flask) -> None:
    """Register the job pages."""
    app.register_blueprint(bp)


def load_job(job_id: int) -> Job:
    """Return the job if the acting user may see it; else 404, as if it did not exist."""
    return jobs.get_visible_job(get_session(), job_id, current_actor())


def panel_context(job: Job) -> dict:
    """Return what the job panel shows: state, progress, message and links to the results."""
    state = jobs.effective_state(job, now=get_clock().now(), stall_after=stall_after(current_app))
    links = []
    document_id = (job.result or {}).get("document_id") or (job.params or {}).get("document_id")
    if job.kind == JobKind.RENDITIONS and document_id is not None:
        links.append(("Xem văn bản", url_for("archive.document", document_id=document_id)))
    if job.kind == JobKind.EXPORT and state is JobState.DONE:
        links.append(("Tải tệp giao nộp (ZIP)", url_for("archive.transfer_file", job_id=job.id)))
    if job.kind == JobKind.DOSSIER and state is JobState.DONE and job.result.get("dossier_id"):
        href = url_for("board.dossier_detail", dossier_id=job.result["dossier_id"])
        links.append(("Xem hồ sơ trình Trung ương", href))
    if job.kind == JobKind.VERIFY and state is JobState.DONE:
        links.append(
            ("Xem kết quả kiểm tra", url_for("archive.verification_report", job_id=job.id))
        )
    waiting = state is JobState.QUEUED and not get_queue(current_app).available()
    return {
        "queue_down": waiting,
        "job": job,
        "kind": JobKind(job.kind),
        "state": state,
        "finished": state.finished,
        "retryable": state in (JobState.FAILED, JobState.STALLED) and may_retry(job),
        "poll": POLL,
        "links": links,
    }


@bp.get("/<int:job_id>")
def show(job_id: int) -> str:
    context = panel_context(load_job(job_id))
    if request.headers.get("HX-Request") == "true":
        return render_template("jobs/_panel.html", **context)
    return render_template("jobs/job.html", **context)


def may_retry(job: Job) -> bool:
    """Return whether the actor may run ``job`` again: seeing it (a reader of the document
    it renders) is not enough; its user, or an admin or archivist of its organisation."""
    return policy.can(current_actor(), policy.Action.READ_JOB, jobs.job_facts(job))


@bp.post("/<int:job_id>/retry")
def retry(job_id: int) -> Response:
    job = load_job(job_id)
    if not may_retry(job):
        raise Forbidden("Chỉ người tạo công việc, quản trị hoặc lưu trữ của cơ quan được chạy lại.")
    session = get_session()
    session.rollback()  # the loader's read ends: retry begins as a writer
    jobs.retry(session, job_id, now=get_clock().now(), stall_after=stall_after(current_app))
    session.commit()
    submit(current_app, [job_id])
    return redirect(url_for("jobs.show", job_id=job_id), code=303)
