"""``docgen worker``, ``docgen jobs …`` and ``docgen reindex``: running and watching jobs.

``docgen worker`` runs the app's huey consumer: threads that claim job rows, one
LibreOffice pool for the whole process (as many threads as the pool has workers), and a
sweeper that re-queues rows the queue lost (queue down at commit, a worker killed).
"""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from docgen.cli.archive import _friendly, _session

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _app() -> Flask:
    return current_app._get_current_object()  # type: ignore[attr-defined]


class Sweeper(threading.Thread):
    """Re-queues job rows missing from the queue: at start, then every ``interval`` seconds."""

    def __init__(self, app: Flask, interval: float) -> None:
        super().__init__(name="docgen-sweeper", daemon=True)
        self.app = app
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sweep_once()

    def sweep_once(self) -> None:
        """Sweep now; a sweep that fails (database restarting) is only logged and tried again."""
        from docgen.jobs import sweep

        try:
            with self.app.app_context():
                sweep(self.app)
        except Exception:
            logging.getLogger("docgen.worker").exception("Sweep failed")


@click.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help="Số luồng chạy công việc (mặc định: bằng số tiến trình LibreOffice).",
)
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Chạy tiến trình xử lý công việc nền (bản PDF, kiểm tra, lập chỉ mục)."""
    from docgen.jobs import get_queue, stall_after
    from docgen.rendering.pdf import default_workers
    from docgen.runtime import close_converter

    logging.basicConfig(level=logging.INFO, format=_LOG_FORMAT)
    app = _app()
    queue = get_queue(app)
    count = threads or app.config.get("DOCGEN_CONVERTER_WORKERS") or default_workers()
    consumer = queue.huey.create_consumer(
        workers=count,
        worker_type="thread",
        periodic=True,
        max_delay=1.0,  # a new job starts within a second on the polled SQLite queue
        check_worker_health=True,
        # Ctrl-C lets running jobs finish for this long; one cut short is taken over later
        shutdown_timeout=app.config.get("DOCGEN_WORKER_STOP_TIMEOUT") or 60,
    )
    click.echo(f"docgen worker: {count} luồng, hàng đợi {queue.description}.")
    _warn_without_admin(app)
    sweeper = Sweeper(app, interval=max(1.0, min(stall_after(app) / 4, 15.0)))
    sweeper.sweep_once()  # before the consumer starts: rows that missed the queue go first
    sweeper.start()
    try:
        consumer.run()
    finally:
        sweeper.stopped.set()
        close_converter(app, final=True)  # no soffice outlives the worker


def _warn_without_admin(app: Flask) -> None:
    """Log how to create the first admin when the service starts without any."""
    from docgen.db import get_db
    from docgen.services.accounts import admin_missing_hint

    with get_db(app).session() as session:
        hint = admin_missing_hint(session)
    if hint:
        logging.getLogger("docgen.worker").warning(hint)


@click.group("jobs")
def jobs_group() -> None:
    """Xem và chạy lại các công việc nền."""


@jobs_group.command("list")
@click.option("--state", type=click.Choice(["queued", "running", "done", "failed", "stalled"]))
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@with_appcontext
def list_command(state: str | None, limit: int) -> None:
    """Liệt kê các công việc gần nhất."""
    from docgen.db import get_clock
    from docgen.jobs import stall_after
    from docgen.models import Job, JobKind
    from docgen.services.jobs import effective_state

    now, stall = get_clock().now(), stall_after(_app())
    with _session() as session:
        rows = session.scalars(select(Job).order_by(Job.id.desc()).limit(limit * 5))
        shown = 0
        for job in rows:
            current = effective_state(job, now=now, stall_after=stall)
            if state and current != state:
                continue
            click.echo(
                f"{job.id:>6}  {JobKind(job.kind).label:<32} {current.label:<14} "
                f"{job.done}/{job.total}  {job.message}"
            )
            shown += 1
            if shown >= limit:
                break


@jobs_group.command("retry")
@click.argument("job_id", type=int)
@with_appcontext
@_friendly
def retry_command(job_id: int) -> None:
    """Chạy lại một công việc bị lỗi hoặc bị gián đoạn."""
    from docgen.db import get_clock
    from docgen.jobs import stall_after, submit
    from docgen.services.jobs import retry

    with _session() as session:
        retry(session, job_id, now=get_clock().now(), stall_after=stall_after(_app()))
        session.commit()
    queued = submit(_app(), [job_id])
    click.echo(f"Công việc số {job_id} đã vào hàng đợi." if queued else
               f"Công việc số {job_id} sẽ được gửi khi hàng đợi sẵn sàng.")  # fmt: skip


@jobs_group.command("queue")
@click.argument("kind", type=click.Choice(["verify", "reindex"]))
@with_appcontext
@_friendly
def queue_command(kind: str) -> None:
    """Đưa việc kiểm tra toàn vẹn hoặc lập lại chỉ mục vào hàng đợi (docgen worker chạy)."""
    from docgen.db import get_clock
    from docgen.jobs import submit
    from docgen.jobs.archive import queue_archive_job
    from docgen.models import JobKind
    from docgen.policy import system_actor

    with _session() as session:
        job = queue_archive_job(session, JobKind(kind), actor=system_actor(), now=get_clock().now())
        session.commit()
    submit(_app(), [job.id])
    click.echo(f"Công việc số {job.id}: {JobKind(kind).label} — đang chờ.")


@click.command("reindex")
@with_appcontext
@_friendly
def reindex_command() -> None:
    """Lập lại chỉ mục tìm kiếm của toàn bộ kho lưu trữ (chạy ngay, có thanh tiến độ)."""
    from docgen.database import begin_write
    from docgen.services.search import reindex_all

    with _session() as session, click.progressbar(length=1, label="Lập chỉ mục") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        begin_write(session)
        count = reindex_all(session, progress=progress)
        session.commit()
    click.echo(f"Đã lập lại chỉ mục tìm kiếm cho {count} văn bản.")


COMMANDS = [worker_command, jobs_group, reindex_command]
