"""Scheduled jobs: the daily backup (keeping the last N files) and the nightly archive verify.

Each task wakes every minute and does nothing until its time of day (``DOCGEN_BACKUP_AT``,
``DOCGEN_VERIFY_AT``, Vietnam time) has passed; then it adds the day's job — one per day,
whatever the number of workers, by its guard key — and runs it at once. A worker that was
down at the set time makes the day's job when it comes back. The job rows are what
``/readyz``, the jobs page and the archive's verification page show.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from huey import crontab
from sqlalchemy.exc import IntegrityError

from docgen.config import backup_dir
from docgen.db import get_clock, get_db
from docgen.jobs.queue import periodic_task
from docgen.jobs.runner import JobRun, Outcome, handles, run_job
from docgen.models import JobKind, JobState
from docgen.policy import system_actor
from docgen.services import jobs
from docgen.services.backup import backup_name, take_backup
from docgen.services.clock import VIETNAM

SCHEDULED_BACKUP_TASK = "scheduled_backup"
SCHEDULED_VERIFY_TASK = "scheduled_verify"
_BACKUP_FILE = re.compile(r"docgen-auto-\d{8}-\d{6}\.tar")  # scheduled ones only


def guard_key(day: datetime, kind: JobKind = JobKind.BACKUP) -> str:
    """Return the guard key of the ``kind`` job of ``day`` (Vietnam date): one job per day."""
    return f"{kind.value}:{day.astimezone(VIETNAM):%Y-%m-%d}"


@periodic_task(crontab(), name=SCHEDULED_BACKUP_TASK)
def scheduled_backup_task() -> None:
    """Make today's backup if it is due (the task runs every minute, in the worker)."""
    run_scheduled_backup(current_app._get_current_object())  # type: ignore[attr-defined]


@periodic_task(crontab(), name=SCHEDULED_VERIFY_TASK)
def scheduled_verify_task() -> None:
    """Verify the whole archive if tonight's check is due (the task runs every minute)."""
    run_scheduled_verify(current_app._get_current_object())  # type: ignore[attr-defined]


def run_scheduled_backup(app: Flask) -> int | None:
    """Return the id of the backup job this call ran, or None when none was due to run."""
    return _run_daily(
        app, JobKind.BACKUP, "DOCGEN_BACKUP_AT", "sao lưu theo lịch", "Chờ sao lưu theo lịch."
    )


def run_scheduled_verify(app: Flask) -> int | None:
    """Return the id of the verify job this call ran, or None when none was due to run."""
    return _run_daily(
        app,
        JobKind.VERIFY,
        "DOCGEN_VERIFY_AT",
        "kiểm tra theo lịch",
        "Chờ kiểm tra toàn vẹn theo lịch.",
    )


def _run_daily(app: Flask, kind: JobKind, setting: str, who: str, message: str) -> int | None:
    """Add and run today's ``kind`` job once the time in ``setting`` has passed.

    One job per day whatever the number of workers (its guard key); a worker that was down
    at the set time makes the day's job when it comes back.
    """
    with app.app_context():
        at = app.config.get(setting)
        now = get_clock().now()
        if at is None or now.astimezone(VIETNAM).time() < at:
            return None
        with get_db(app).session() as session:
            try:
                job = jobs.create_job(
                    session,
                    kind,
                    actor=system_actor(who),
                    organisation=None,
                    now=now,
                    guard_key=guard_key(now, kind),
                    total=1,
                    message=message,
                )
                session.commit()
            except IntegrityError:  # another worker added today's job at the same moment
                return None
            if job.state != JobState.QUEUED:
                return None
            job_id = job.id
        run_job(app, job_id)
        return job_id


@handles(JobKind.BACKUP)
def make_backup(run: JobRun) -> Outcome:
    """Return the outcome of a backup into the backup folder, older files pruned after it."""
    run.session.rollback()  # the snapshot is taken on its own connection
    now = run.clock.now()
    folder = backup_dir(run.app)
    out = folder / backup_name(now.astimezone(VIETNAM), scheduled=True)
    manifest = take_backup(get_db(run.app).engine, out, now=now)
    removed = prune_backups(folder, keep=int(run.app.config.get("DOCGEN_BACKUP_KEEP") or 7))
    documents = manifest.counts["document"]
    return Outcome(
        message=f"Đã sao lưu {documents} văn bản vào {out.name}.",
        result={
            "file": out.name,
            "size": out.stat().st_size,
            "documents": documents,
            "blobs": manifest.counts["blob"],
            "removed": [path.name for path in removed],
        },
    )


def prune_backups(folder: Path, *, keep: int) -> list[Path]:
    """Return the backup files deleted from ``folder`` so that the newest ``keep`` remain.

    Only files named as scheduled backups are considered (``docgen-auto-YYYYmmdd-HHMMSS.tar``);
    their names sort by time.
    """
    backups = sorted(
        path for path in folder.iterdir() if path.is_file() and _BACKUP_FILE.fullmatch(path.name)
    )
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
