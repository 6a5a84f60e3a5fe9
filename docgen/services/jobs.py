"""The job table's life cycle: create, claim (start), progress (heartbeat), finish, fail, retry.

Pure database code: no Flask, no queue. The queue carries only a job's id; a worker claims
the row, and every later write of that worker is guarded by the attempt it claimed, so a
worker that was presumed dead and taken over can never complete the job a second time.
A running job whose heartbeat is older than ``stall_after`` seconds is shown as stalled
(``effective_state``) and may be claimed again. Like every service, these never commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, NotFound
from docgen.models import Document, Job, JobKind, JobState
from docgen.policy import Action, Actor, JobFacts, can, visible

DEFAULT_STALL_AFTER = 120  # seconds without a heartbeat before a running job counts as stalled
MESSAGE_LIMIT = 500


class JobTakenOver(Conflict):
    """The job was claimed again by another worker: this worker must stop and write nothing."""

    code = "job_taken_over"


def create_job(
    session: Session,
    kind: JobKind,
    *,
    actor: Actor,
    organisation: str | None,
    now: datetime,
    params: Mapping[str, Any] | None = None,
    guard_key: str | None = None,
    total: int = 0,
    message: str = "Đang chờ xử lý.",
) -> Job:
    """Return a new queued job, or the existing one that carries ``guard_key``.

    The guard key names what the job makes (``renditions:42``): asking twice for the same
    work gives the same job. The caller commits, then puts the job's id on the queue.
    """
    begin_write(session)  # SQLite: the writer's lock before the read, or the insert may fail
    if guard_key is not None:
        existing = find_job(session, guard_key)
        if existing is not None:
            return existing
    job = Job(
        kind=JobKind(kind),
        organisation_id=organisation,
        user_id=actor.user_id,
        actor=actor.username,
        guard_key=guard_key,
        params=dict(params or {}),
        state=JobState.QUEUED,
        done=0,
        total=total,
        message=_short(message),
        result={},
        attempts=0,
        created_at=now,
    )
    session.add(job)
    session.flush()
    return job


def find_job(session: Session, guard_key: str) -> Job | None:
    """Return the job carrying ``guard_key``, if any."""
    return session.scalar(select(Job).where(Job.guard_key == guard_key))


def get_job(session: Session, job_id: int) -> Job:
    """Return the job ``job_id`` or raise ``NotFound``."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"Không có công việc số {job_id}.", job=job_id)
    return job


def get_visible_job(session: Session, job_id: int, actor: Actor) -> Job:
    """Return the job if ``actor`` may see it; ``NotFound`` otherwise, as if it did not exist.

    Its user and its organisation's admins and archivists see a job (``READ_JOB``); the
    renditions job of a document is also seen by whoever may read that document, since
    the document's PDF link sends them to it.
    """
    job = session.get(Job, job_id)
    if job is None or not (
        can(actor, Action.READ_JOB, job_facts(job)) or _reads_its_document(session, job, actor)
    ):
        raise NotFound(f"Không có công việc số {job_id}.", job=job_id)
    return job


def _reads_its_document(session: Session, job: Job, actor: Actor) -> bool:
    from docgen.services.archive import document_facts

    document_id = (job.params or {}).get("document_id")
    if job.kind != JobKind.RENDITIONS or not isinstance(document_id, int):
        return False
    document = session.get(Document, document_id)
    return document is not None and visible(actor, document_facts(session, document))


def job_facts(job: Job) -> JobFacts:
    """Return what the policy needs to decide who may read ``job``."""
    return JobFacts(organisation=job.organisation_id, user_id=job.user_id)


def effective_state(job: Job, *, now: datetime, stall_after: float) -> JobState:
    """Return the job's state as users should read it: running but silent is stalled."""
    state = JobState(job.state)
    if state is JobState.RUNNING and _silent(job.heartbeat_at, now, stall_after):
        return JobState.STALLED
    return state


def _silent(heartbeat: datetime | None, now: datetime, stall_after: float) -> bool:
    return heartbeat is None or heartbeat < now - timedelta(seconds=stall_after)


def claim(session: Session, job_id: int, *, now: datetime, stall_after: float) -> int | None:
    """Return the attempt number this worker now holds, or None if the job is not to run.

    A queued job is claimed; a running one only when stalled (its worker died). A job that
    is done, failed, or running with a live heartbeat is left alone (a duplicate message).
    """
    begin_write(session)
    stale = now - timedelta(seconds=stall_after)
    statement = (
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.state == JobState.QUEUED,
                and_(
                    Job.state == JobState.RUNNING,
                    or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < stale),
                ),
            ),
        )
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            error=None,
        )
        .returning(Job.attempts)
        .execution_options(synchronize_session=False)
    )
    attempt = session.execute(statement).scalar_one_or_none()
    session.expire_all()  # the ORM's copy of the row (if loaded) is now out of date
    return attempt


def progress(
    session: Session,
    job_id: int,
    attempt: int,
    *,
    now: datetime,
    done: int | None = None,
    total: int | None = None,
    message: str | None = None,
) -> None:
    """Record a heartbeat (and progress, when given) of the job's ``attempt``.

    Raises ``JobTakenOver`` when another worker holds the job now: the caller stops and
    rolls back, so what it was about to write is never written twice.
    """
    values: dict[str, Any] = {"heartbeat_at": now}
    if done is not None:
        values["done"] = done
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = _short(message)
    _guarded(session, job_id, attempt, values)


def finish(
    session: Session,
    job_id: int,
    attempt: int,
    *,
    now: datetime,
    result: Mapping[str, Any],
    message: str,
) -> None:
    """Mark the job done with ``result`` (links to what it made); raises ``JobTakenOver``."""
    values = {
        "state": JobState.DONE,
        "result": dict(result),
        "message": _short(message),
        "finished_at": now,
        "heartbeat_at": now,
        "error": None,
    }
    _guarded(session, job_id, attempt, values, keep_total=True)


def fail(session: Session, job_id: int, attempt: int, *, now: datetime, error: str) -> None:
    """Mark the job failed with a Vietnamese ``error``; raises ``JobTakenOver``."""
    values = {
        "state": JobState.FAILED,
        "error": error,
        "message": _short(f"Lỗi: {error}"),
        "finished_at": now,
        "heartbeat_at": now,
    }
    _guarded(session, job_id, attempt, values)


def requeue(session: Session, job_id: int, attempt: int, *, now: datetime, message: str) -> None:
    """Put the job back in the queue's state after a passing failure; raises ``JobTakenOver``."""
    values = {"state": JobState.QUEUED, "message": _short(message), "heartbeat_at": now}
    _guarded(session, job_id, attempt, values)


def retry(session: Session, job_id: int, *, now: datetime, stall_after: float) -> Job:
    """Return the job set back to queued: a failed or stalled job can be retried.

    The caller commits, then enqueues the job's id. A job that is done, waiting or
    running with a live heartbeat is refused (409): retrying it would run it twice.
    """
    begin_write(session)
    # Locked and read afresh: a worker taking over the stalled job at this moment must not
    # have it set back to queued under its feet (SQLite: begin_write holds the lock).
    job = session.get(Job, job_id, with_for_update=True, populate_existing=True)
    if job is None:
        raise NotFound(f"Không có công việc số {job_id}.", job=job_id)
    state = effective_state(job, now=now, stall_after=stall_after)
    if state not in (JobState.FAILED, JobState.STALLED):
        raise Conflict(
            f"Công việc số {job_id} đang ở trạng thái “{state.label}”, không thể chạy lại.",
            code="job_not_retryable",
            state=str(state),
        )
    job.state = JobState.QUEUED
    job.message = "Đang chờ chạy lại."
    job.error = None
    job.finished_at = None
    session.flush()
    return job


def dispatchable(session: Session, *, now: datetime, stall_after: float) -> list[int]:
    """Return the ids of jobs a worker should have in its queue: queued, or stalled."""
    stale = now - timedelta(seconds=stall_after)
    return list(
        session.scalars(
            select(Job.id)
            .where(
                or_(
                    Job.state == JobState.QUEUED,
                    and_(
                        Job.state == JobState.RUNNING,
                        or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < stale),
                    ),
                )
            )
            .order_by(Job.id)
        )
    )


def _guarded(
    session: Session,
    job_id: int,
    attempt: int,
    values: dict[str, Any],
    *,
    keep_total: bool = False,
) -> None:
    if keep_total:  # a finished job shows a full bar
        values = {**values, "done": Job.total}
    begin_write(session)
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.attempts == attempt, Job.state == JobState.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise JobTakenOver(
            f"Công việc số {job_id} đã được một tiến trình khác tiếp nhận.", job=job_id
        )


def _short(message: str) -> str:
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 1] + "…"
