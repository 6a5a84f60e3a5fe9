"""Running a job row: claim it, call its kind's handler, record the outcome; submit and sweep.

The job owns its transactions (design D9). A handler does its work in ``run.session`` and
commits each step together with ``run.guard()``, so a step is written only while this
worker still holds the job; the runner then marks the job done in the same way. Progress
for the page goes through ``run.report()``, a separate short transaction at most once a
second, so a long read (verify) keeps its snapshot.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from docgen.db import get_db
from docgen.errors import DocgenError
from docgen.jobs.queue import QueueUnavailable, get_queue
from docgen.models import Job, JobKind
from docgen.services import jobs
from docgen.services.clock import Clock

log = logging.getLogger(__name__)

RUN_TASK = "run_job"
MAX_ATTEMPTS = 3  # a passing failure (LibreOffice restarted) is retried this many times in all
RETRY_DELAY = 2.0  # seconds before a passing failure is tried again
REPORT_EVERY = 1.0  # seconds between two progress writes


class PassingFailure(DocgenError):
    """Base for errors worth an automatic retry (the handler says so by raising one)."""


@dataclass(frozen=True)
class Outcome:
    """What a finished job made: ``result`` holds links, ``message`` the last line users see."""

    message: str
    result: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[["JobRun"], Outcome]
_HANDLERS: dict[JobKind, Handler] = {}


def handles(kind: JobKind) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the code that runs jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return register


@dataclass
class JobRun:
    """One attempt at a job, as its handler sees it."""

    app: Flask
    session: Session
    job: Job
    attempt: int
    clock: Clock
    passing: tuple[type[Exception], ...] = ()
    _reported: float = 0.0

    def guard(self) -> None:
        """Heartbeat in ``session``'s transaction; raises ``JobTakenOver`` if the job moved on."""
        jobs.progress(self.session, self.job.id, self.attempt, now=self.clock.now())

    def report(
        self,
        done: int,
        total: int | None = None,
        message: str | None = None,
        *,
        force: bool = False,
    ) -> None:
        """Write progress (and a heartbeat) in its own transaction, at most once a second."""
        moment = time.monotonic()
        if not force and moment - self._reported < REPORT_EVERY:
            return
        self._reported = moment
        with get_db(self.app).session() as session:
            jobs.progress(
                session,
                self.job.id,
                self.attempt,
                now=self.clock.now(),
                done=done,
                total=total,
                message=message,
            )
            session.commit()


class Heartbeat(threading.Thread):
    """Writes the job's heartbeat every third of the stall time while its handler runs.

    A long step (LibreOffice starting, a large verify) then never looks stalled while its
    worker lives; only a dead worker's job does. It stops by itself once taken over.
    """

    def __init__(self, app: Flask, job_id: int, attempt: int, clock: Clock) -> None:
        super().__init__(name=f"docgen-heartbeat-{job_id}", daemon=True)
        self.app, self.job_id, self.attempt, self.clock = app, job_id, attempt, clock
        self.interval = max(stall_after(app) / 3, 0.5)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                with get_db(self.app).session() as session:
                    jobs.progress(session, self.job_id, self.attempt, now=self.clock.now())
                    session.commit()
            except jobs.JobTakenOver:
                return
            except Exception:  # the next beat may succeed (database busy or restarting)
                log.warning("Heartbeat of job %s failed", self.job_id, exc_info=True)

    def stop(self) -> None:
        """Stop beating and wait for a beat in flight, so none lands after the outcome."""
        self.stopped.set()
        self.join()


def stall_after(app: Flask) -> float:
    """Return the seconds of silence after which a running job of ``app`` counts as stalled."""
    return float(app.config.get("DOCGEN_JOB_STALL_SECONDS") or jobs.DEFAULT_STALL_AFTER)


def app_clock(app: Flask) -> Clock:
    """Return ``app``'s clock (no app context needed: jobs also run from plain threads)."""
    return app.extensions["docgen.clock"]


def run_job(app: Flask, job_id: int) -> None:
    """Run job ``job_id`` if it is there to run (queued, or stalled); record how it ended."""
    clock = app_clock(app)
    with get_db(app).session() as session:
        attempt = jobs.claim(session, job_id, now=clock.now(), stall_after=stall_after(app))
        session.commit()
        if attempt is None:
            log.info("Job %s is not waiting to run (done, failed or running elsewhere)", job_id)
            return
        job = jobs.get_job(session, job_id)
        run = JobRun(app, session, job, attempt, clock)
        heartbeat = Heartbeat(app, job_id, attempt, clock)
        heartbeat.start()
        try:
            outcome = _HANDLERS[JobKind(job.kind)](run)
            jobs.finish(
                session,
                job_id,
                attempt,
                now=clock.now(),
                result=outcome.result,
                message=outcome.message,
            )
            session.commit()
        except jobs.JobTakenOver:
            session.rollback()
            log.warning("Job %s attempt %s was taken over; its work is dropped", job_id, attempt)
        except PassingFailure as exc:
            session.rollback()
            _after_passing_failure(app, session, job_id, attempt, exc, clock)
        except OperationalError:  # the database was busy or briefly away: worth another try
            session.rollback()
            log.warning("Job %s: database error, will retry", job_id, exc_info=True)
            busy = PassingFailure("Cơ sở dữ liệu đang bận, công việc sẽ được thử lại.")
            _after_passing_failure(app, session, job_id, attempt, busy, clock)
        except DocgenError as exc:
            session.rollback()
            _record_failure(session, job_id, attempt, exc.message, clock)
        except Exception as exc:
            session.rollback()
            log.exception("Job %s failed", job_id)
            _record_failure(
                session, job_id, attempt, f"Lỗi hệ thống ({type(exc).__name__}).", clock
            )
        finally:
            heartbeat.stop()


def _after_passing_failure(
    app: Flask, session: Session, job_id: int, attempt: int, exc: DocgenError, clock: Clock
) -> None:
    if attempt >= MAX_ATTEMPTS:
        _record_failure(session, job_id, attempt, exc.message, clock)
        return
    try:
        jobs.requeue(session, job_id, attempt, now=clock.now(), message=f"Thử lại: {exc.message}")
        session.commit()
    except jobs.JobTakenOver:
        session.rollback()
        return
    submit(app, [job_id], delay=RETRY_DELAY)


def _record_failure(session: Session, job_id: int, attempt: int, error: str, clock: Clock) -> None:
    try:
        jobs.fail(session, job_id, attempt, now=clock.now(), error=error)
        session.commit()
    except jobs.JobTakenOver:
        session.rollback()


def submit(app: Flask, job_ids: Iterable[int], *, delay: float | None = None) -> bool:
    """Return whether the committed jobs ``job_ids`` were put on ``app``'s queue.

    Call it after the commit that made the jobs. When the queue is unavailable the rows
    stay queued and a worker's sweep sends them later: nothing is lost, and the caller's
    own work (an issuance) has committed anyway.
    """
    queue = get_queue(app)
    try:
        for job_id in job_ids:
            queue.enqueue(RUN_TASK, job_id, delay=delay)
    except QueueUnavailable as exc:
        app.logger.warning("%s — công việc sẽ được gửi lại khi hàng đợi sẵn sàng.", exc.message)
        return False
    return True


def sweep(app: Flask) -> list[int]:
    """Return the jobs this sweep put on the queue: queued or stalled rows it does not hold.

    A job row can miss the queue (the queue was down at commit, a worker was killed while
    running it, the queue file was lost); a worker sweeps at start and then periodically.
    """
    queue = get_queue(app)
    with get_db(app).session() as session:
        wanted = jobs.dispatchable(session, now=app_clock(app).now(), stall_after=stall_after(app))
    if not wanted:
        return []
    try:
        held = {args[0] for args in queue.pending_args(RUN_TASK) if args}
    except QueueUnavailable as exc:
        app.logger.warning("%s — quét lại sau.", exc.message)
        return []
    missing = [job_id for job_id in wanted if job_id not in held]
    if missing and submit(app, missing):
        log.info("Sweep queued jobs %s", missing)
        return missing
    return []
