"""Archive-wide verification reports: the verify jobs, kept and listed, and the alert a failed
one raises on archivists' pages until someone acknowledges it (with who, when and a note).

A report is the verify job's row (``docgen/jobs/archive.py`` writes its findings into the
result); acknowledging adds to that result and to the audit log, and never hides the report.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import FieldError, NotFound
from docgen.models import Job, JobKind, JobState
from docgen.policy import Action, Actor, can
from docgen.services.archive import audit, check_actor, require

ACK_NOTE_MAX = 500


def may_verify(actor: Actor) -> bool:
    """Return whether ``actor`` sees verification reports (archivists and admins)."""
    return can(actor, Action.VERIFY, None)


def reports(session: Session, *, actor: Actor, limit: int = 50) -> list[Job]:
    """Return the newest verification jobs (scheduled and on demand), newest first."""
    require(actor, Action.VERIFY, None, "Chỉ lưu trữ viên hoặc quản trị xem được kết quả kiểm tra.")
    return list(
        session.scalars(
            select(Job)
            .where(Job.kind == JobKind.VERIFY)
            .order_by(Job.created_at.desc(), Job.id.desc())
            .limit(limit)
        )
    )


def get_report(session: Session, job_id: int, *, actor: Actor) -> Job:
    """Return one verification job, or ``NotFound``."""
    require(actor, Action.VERIFY, None, "Chỉ lưu trữ viên hoặc quản trị xem được kết quả kiểm tra.")
    job = session.get(Job, job_id)
    if job is None or job.kind != JobKind.VERIFY:
        raise NotFound(f"Không có lần kiểm tra #{job_id}.", job_id=job_id)
    return job


def failed(job: Job) -> bool:
    """Return whether a finished verification found problems."""
    return job.state == JobState.DONE and job.result.get("clean") is False


def acknowledged(job: Job) -> dict | None:
    """Return who acknowledged a failed verification, when and why, if anyone did."""
    return job.result.get("acknowledged")


def open_alert(session: Session, *, actor: Actor) -> Job | None:
    """Return the newest failed, unacknowledged verification, for an archivist's pages."""
    if not may_verify(actor):
        return None
    latest = session.scalars(
        select(Job)
        .where(Job.kind == JobKind.VERIFY, Job.state == JobState.DONE)
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(20)
    ).all()
    return next((job for job in latest if failed(job) and not acknowledged(job)), None)


def acknowledge(session: Session, job_id: int, *, actor: Actor, note: str, now: datetime) -> Job:
    """Return the failed verification marked as seen by ``actor``, with a required note."""
    job = get_report(session, job_id, actor=actor)
    text = " ".join(note.split())
    if not text:
        raise FieldError({"note": "Hãy ghi việc đã làm hoặc sẽ làm với các sai lệch."})
    if len(text) > ACK_NOTE_MAX:
        raise FieldError({"note": f"Ghi chú dài {len(text)} ký tự, tối đa {ACK_NOTE_MAX}."})
    if not failed(job):
        raise FieldError({"note": "Lần kiểm tra này không phát hiện sai lệch nào cần xác nhận."})
    if acknowledged(job):
        return job
    name = check_actor(actor)
    job.result = {**job.result, "acknowledged": {"by": name, "at": now.isoformat(), "note": text}}
    audit(session, at=now, actor=name, action="acknowledge_verification", target=job, note=text)
    session.flush()
    return job
