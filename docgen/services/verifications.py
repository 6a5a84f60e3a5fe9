"""Archive-wide verification reports: the verify jobs, kept and listed, and the alert a failed
one raises on archivists' pages until someone of the organisation acknowledges it (who, when,
a note).

A report is the verify job's row (``docgen/jobs/archive.py`` writes its findings into the
result, each with the organisation whose register it is and whether that register is
secret). A reader sees only the findings of registers they may see — their organisation's,
and a secret register's only if they may see its documents — plus the findings of no one
register (a stray file). Acknowledging is per organisation, recorded in the result and in the
audit log, and never hides the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import FieldError, NotFound
from docgen.models import Job, JobKind, JobState
from docgen.policy import Action, Actor, DocumentFacts, can, visible
from docgen.services.archive import audit, check_actor, require

ACK_NOTE_MAX = 500
ALERT_SCAN = 500  # newest finished verifications looked at for an open alert
_NOT_YOURS = "Chỉ lưu trữ viên hoặc quản trị xem được kết quả kiểm tra."


def may_verify(actor: Actor) -> bool:
    """Return whether ``actor`` sees verification reports (archivists and admins)."""
    return can(actor, Action.VERIFY, None)


def _findings(job: Job) -> list[dict[str, Any]]:
    """Return the job's findings as dicts (reports of older versions kept plain lines)."""
    out = []
    for item in (job.result or {}).get("findings", []):
        if isinstance(item, str):
            item = {"message": item, "organisation": None, "secret": False}
        out.append(item)
    return out


def _sees(actor: Actor, finding: dict[str, Any]) -> bool:
    organisation = finding.get("organisation")
    if organisation is None:
        return True
    if actor.system:
        return True
    return actor.of(organisation) and visible(
        actor, DocumentFacts(organisation=organisation, secret=bool(finding.get("secret")))
    )


def visible_findings(job: Job, actor: Actor) -> list[str]:
    """Return the messages of the job's findings ``actor`` may read."""
    return [f["message"] for f in _findings(job) if _sees(actor, f)]


def failed_for(job: Job, actor: Actor) -> bool:
    """Return whether a finished verification found problems ``actor`` may read."""
    return job.state == JobState.DONE and bool(visible_findings(job, actor))


def _ack_key(actor: Actor) -> str:
    return actor.organisation or "*"


def acknowledged(job: Job, actor: Actor) -> dict[str, Any] | None:
    """Return who of ``actor``'s organisation acknowledged the report, when and why."""
    acks = (job.result or {}).get("acknowledged") or {}
    if "by" in acks:  # a single acknowledgement of an older report
        return acks
    return acks.get(_ack_key(actor))


def reports(session: Session, *, actor: Actor, limit: int = 50) -> list[Job]:
    """Return the newest verification jobs (scheduled and on demand), newest first."""
    require(actor, Action.VERIFY, None, _NOT_YOURS)
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
    require(actor, Action.VERIFY, None, _NOT_YOURS)
    job = session.get(Job, job_id)
    if job is None or job.kind != JobKind.VERIFY:
        raise NotFound(f"Không có lần kiểm tra #{job_id}.", job_id=job_id)
    return job


def open_alert(session: Session, *, actor: Actor) -> Job | None:
    """Return the newest failed verification ``actor``'s organisation has not acknowledged."""
    if not may_verify(actor):
        return None
    # Asked on every page an archivist opens: only the failed reports are read (a JSON test
    # both engines evaluate), never every night's clean one.
    latest = session.scalars(
        select(Job)
        .where(
            Job.kind == JobKind.VERIFY,
            Job.state == JobState.DONE,
            Job.result["clean"].as_boolean().is_(False),
        )
        .order_by(Job.finished_at.desc(), Job.id.desc())
        .limit(ALERT_SCAN)
    )
    return next(
        (job for job in latest if failed_for(job, actor) and not acknowledged(job, actor)), None
    )


def acknowledge(session: Session, job_id: int, *, actor: Actor, note: str, now: datetime) -> Job:
    """Return the failed verification marked as seen for ``actor``'s organisation."""
    begin_write(session)  # SQLite: the writer's lock before the reads that decide
    job = get_report(session, job_id, actor=actor)
    text = " ".join(note.split())
    if not text:
        raise FieldError({"note": "Hãy ghi việc đã làm hoặc sẽ làm với các sai lệch."})
    if len(text) > ACK_NOTE_MAX:
        raise FieldError({"note": f"Ghi chú dài {len(text)} ký tự, tối đa {ACK_NOTE_MAX}."})
    if not failed_for(job, actor):
        raise FieldError({"note": "Lần kiểm tra này không phát hiện sai lệch nào cần xác nhận."})
    if acknowledged(job, actor):
        return job
    name = check_actor(actor)
    acks = dict((job.result or {}).get("acknowledged") or {})
    acks[_ack_key(actor)] = {"by": name, "at": now.isoformat(), "note": text}
    job.result = {**job.result, "acknowledged": acks}
    audit(session, at=now, actor=name, action="acknowledge_verification", target=job, note=text,
          organisation=actor.organisation)  # fmt: skip
    session.flush()
    return job
