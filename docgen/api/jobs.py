"""API view of a background job: ``GET /api/v1/jobs/{id}``, scoped like the job page."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, url_for

from docgen.api import bp
from docgen.db import get_clock, get_session
from docgen.identity import current_actor
from docgen.jobs import get_queue, stall_after
from docgen.models import Job, JobKind
from docgen.services import jobs


def job_links(job: Job) -> dict[str, str]:
    """Return the links of a job: itself, its page, and what it made (or is making)."""
    links = {
        "self": url_for("api.get_job", job_id=job.id),
        "page": url_for("jobs.show", job_id=job.id),
    }
    document_id = (job.params or {}).get("document_id")
    if job.kind == JobKind.RENDITIONS and document_id is not None:
        links["document"] = url_for("api.get_document", document_id=document_id)
        for kind in (job.result or {}).get("renditions", []):
            links[kind] = url_for(f"api.get_{kind}", document_id=document_id)
    return links


def job_json(job: Job) -> dict[str, Any]:
    """Return the JSON form of a job, with its state as users should read it."""
    state = jobs.effective_state(job, now=get_clock().now(), stall_after=stall_after(current_app))
    kind = JobKind(job.kind)
    return {
        "id": job.id,
        "kind": str(kind),
        "kind_label": kind.label,
        "state": str(state),
        "state_label": state.label,
        "finished": state.finished,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "error": job.error,
        "result": job.result or {},
        "attempts": job.attempts,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "heartbeat_at": _iso(job.heartbeat_at),
        "links": job_links(job),
        "queue_available": None if state.finished else get_queue().available(),
    }


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


@bp.get("/jobs/<int:job_id>")
def get_job(job_id: int) -> Response:
    job = jobs.get_visible_job(get_session(), job_id, current_actor())
    response = jsonify(job_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response
