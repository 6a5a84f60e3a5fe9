"""A real consumer: ``docgen worker`` as a subprocess on a temporary instance folder.

Issue → the renditions job runs in the worker → the PDF's text shows the number; SIGKILL
the worker mid-job → after a restart the job is taken over and completes once; the queue
lost (file removed, Redis unreachable) at issue time → issuing commits and the job runs
once a worker finds the queue again. SQLite for the archive; the queue on SQLite or Redis.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from docgen.db import get_db
from docgen.jobs import get_queue, submit
from docgen.jobs.renditions import renditions_on_issue
from docgen.models import Document, Job, Rendition
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.archive import blob_bytes
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.lookup import load_records_into
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
DOCGEN = str(Path(sys.executable).with_name("docgen"))
STALL_SECONDS = 3
REDIS = "redis://127.0.0.1:6379/0"
UNREACHABLE = "redis://127.0.0.1:9/0"  # nothing listens on the discard port


class Worker:
    """A ``docgen worker`` process with its own session, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [DOCGEN, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def descendants(self) -> set[int]:
        """Return the pids of every process below the worker (its LibreOffice, mostly)."""
        children: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        found, todo = set(), [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.add(child)
                todo.append(child)
        return found

    def kill(self) -> None:
        """SIGKILL the worker and everything below it, as a crash (or the OOM killer) would."""
        below = self.descendants()
        os.killpg(self.process.pid, signal.SIGKILL)
        for pid in below:
            _kill_quietly(pid)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        """Return the exit status after Ctrl-C; assert nothing it started is left running."""
        below = self.descendants()
        self.process.send_signal(signal.SIGINT)
        status = self.process.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _alive(below) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(below), (below, self.log.read_text())
        return status


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def archive(app_factory, make_database, records) -> Flask:
    """Return an app on a fresh SQLite archive with the records loaded."""
    app = app_factory(make_database("sqlite"))
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    with get_db(app).session() as session:
        load_records_into(session, records, actor=system_actor("kiểm thử"))
        session.commit()
    return app


@pytest.fixture
def start_worker(archive: Flask, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Return ``start(**env) -> Worker`` on the archive's database and instance folder."""
    started: list[Worker] = []
    base = {
        **os.environ,
        "DOCGEN_INSTANCE_DIR": archive.instance_path,
        "DOCGEN_DATABASE_URL": archive.config["DOCGEN_DATABASE_URL"],
        "DOCGEN_AUTO_MIGRATE": "0",
        "DOCGEN_RECORDS_DIR": str(ROOT / "records"),
        "DOCGEN_TEMPLATES_DIR": str(ROOT / "templates"),
        "DOCGEN_CONVERTER_WORKERS": "1",
        "DOCGEN_JOB_STALL_SECONDS": str(STALL_SECONDS),
        "DOCGEN_BACKUP_AT": "off",
    }
    base.pop("DOCGEN_QUEUE_URL", None)

    def start(**env: str) -> Worker:
        started.append(Worker({**base, **env}, tmp_path / "worker.log"))
        return started[-1]

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill()


def _issue(app: Flask, records, code: str = "ke-hoach-2017") -> tuple[int, int]:
    """Return (document id, job id) after issuing ``code`` and queueing its renditions."""
    request = IssueRequest(**records.document(code).request())
    clock = app.extensions["docgen.clock"]
    actor = system_actor("văn thư")
    with get_db(app).session() as session:
        document = issue_document(
            session, request, actor=actor, clock=clock, renderer=get_renderer(app)
        )
        job = renditions_on_issue(app, session, document, actor=actor, now=clock.now())
        session.commit()
        ids = (document.id, job.id)
    with app.app_context():
        submit(app, [ids[1]])
    return ids


def _job(app: Flask, job_id: int) -> Job:
    with get_db(app).session() as session:
        return session.get_one(Job, job_id)


def _wait(app: Flask, job_id: int, done: Callable[[Job], bool], log: Path, limit=120) -> Job:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = _job(app, job_id)
        if done(job):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id}: {_job(app, job_id).state}\n{log.read_text()}")


def _renditions(app: Flask, document_id: int) -> list[tuple[str, int]]:
    with get_db(app).session() as session:
        rows = session.execute(
            select(Rendition.kind, Rendition.id)
            .where(Rendition.document_id == document_id)
            .order_by(Rendition.kind)
        )
        return [tuple(row) for row in rows]


def _pdf_text(app: Flask, document_id: int) -> str:
    with get_db(app).session() as session:
        rendition = session.scalars(
            select(Rendition).where(Rendition.document_id == document_id, Rendition.kind == "pdf")
        ).one()
        pdf = blob_bytes(session, rendition.blob_sha256)
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_the_worker_makes_renditions_and_a_killed_job_completes_once(
    archive, records, start_worker
):
    document_id, job_id = _issue(archive, records)
    worker = start_worker()
    job = _wait(archive, job_id, lambda j: j.state == "done", worker.log)
    assert (job.done, job.total) == (2, 2)
    assert [kind for kind, _ in _renditions(archive, document_id)] == ["pdf", "pdfa"]
    assert "Số: 01/KH-UBND" in _pdf_text(archive, document_id)
    assert worker.stop() == 0  # Ctrl-C: the worker and its LibreOffice are gone

    second, job_id = _issue(archive, records, "cong-van-de-nghi-2017")
    worker = start_worker()
    _wait(archive, job_id, lambda j: j.state == "running", worker.log)
    worker.kill()  # mid-job: LibreOffice is starting or converting
    job = _job(archive, job_id)
    assert job.state == "running"  # nobody is left to say otherwise
    restarted = start_worker()  # the sweep takes the job over once its heartbeat is stale
    job = _wait(archive, job_id, lambda j: j.state == "done", restarted.log)
    assert job.attempts >= 2 and job.error is None  # taken over (a busy database may add one)
    assert [kind for kind, _ in _renditions(archive, second)] == ["pdf", "pdfa"]
    assert "Số: 02/UBND-VHXH" in _pdf_text(archive, second)  # one register, one count
    assert restarted.stop() == 0


def test_a_removed_queue_file_loses_no_job(archive, records, start_worker):
    queue_file = Path(archive.instance_path) / "queue.sqlite3"
    first, first_job = _issue(archive, records)
    assert queue_file.exists()
    for path in Path(archive.instance_path).glob("queue.sqlite3*"):
        path.unlink()  # the queue and the message in it are gone
    second, second_job = _issue(archive, records, "cong-van-de-nghi-2017")  # into the void
    with get_db(archive).session() as session:  # both issuances committed
        assert session.scalars(select(Document.id).order_by(Document.id)).all() == [1, 2]
    worker = start_worker()  # a new queue file; the start-up sweep finds both rows
    for job_id in (first_job, second_job):
        assert _wait(archive, job_id, lambda j: j.state == "done", worker.log).error is None
    assert len(_renditions(archive, first)) == len(_renditions(archive, second)) == 2
    assert worker.stop() == 0


def test_redis_unreachable_at_issue_then_a_redis_worker_runs_the_job(
    archive, records, start_worker
):
    name = f"docgen-test-{uuid.uuid4().hex[:8]}"
    archive.config.update(DOCGEN_QUEUE_URL=UNREACHABLE, DOCGEN_QUEUE_NAME=name)
    document_id, job_id = _issue(archive, records)  # the enqueue fails, the commit stands
    assert _job(archive, job_id).state == "queued"
    worker = start_worker(DOCGEN_QUEUE_URL=REDIS, DOCGEN_QUEUE_NAME=name)
    try:
        assert _wait(archive, job_id, lambda j: j.state == "done", worker.log).error is None
        assert "Số: 01/KH-UBND" in _pdf_text(archive, document_id)
        archive.config["DOCGEN_QUEUE_URL"] = REDIS  # the queue is back: a plain enqueue now
        archive.extensions.pop("docgen.queue")
        _, second_job = _issue(archive, records, "cong-van-de-nghi-2017")
        assert _wait(archive, second_job, lambda j: j.state == "done", worker.log).error is None
        assert worker.stop() == 0
        assert "docgen.jobs.tasks.run_job" in worker.log.read_text()
    finally:
        with archive.app_context():
            get_queue(archive).huey.flush()  # leave nothing of this queue in Redis
