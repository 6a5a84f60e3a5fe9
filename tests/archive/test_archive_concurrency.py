"""Gap-free numbering under concurrency and under SIGKILL (real databases, real renderer).

PostgreSQL: 8 threads × 100 issuances into one register. SQLite: 2 processes × 4 threads.
Then 50 child processes killed at random points of an issuance. Afterwards the numbers are
exactly 1..N, dates never go back in number order, and ``verify`` finds nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
import traceback
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docgen import create_app
from docgen.db import get_db
from docgen.errors import Conflict
from docgen.models import Blob, Document, RegisterCounter
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services import issuance
from docgen.services.clock import VIETNAM
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.verify import verify_archive

START = date(2017, 3, 1)
SECONDS_PER_DAY = 0.4  # the shared clock moves one calendar day every 0.4 s of wall time
LAST_DAY = date(2017, 12, 31)
_FORK = multiprocessing.get_context("fork")


class WallClock:
    """A clock every thread and process agrees on: ``START`` + elapsed wall time, sped up."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0

    def today(self) -> date:
        day = START + timedelta(days=int((time.time() - self.t0) / SECONDS_PER_DAY))
        return min(day, LAST_DAY)  # a slow run stays in 2017: numbering restarts on 1 January

    def now(self) -> datetime:
        day = self.today()
        return datetime(day.year, day.month, day.day, 9, tzinfo=VIETNAM)


def _request(records) -> IssueRequest:
    rec = records.document("cong-van-de-nghi-2017")
    return IssueRequest(**rec.request())


def _issue_many(
    app, request: IssueRequest, clock: WallClock, count: int, refused: list[int]
) -> None:
    """Issue ``count`` documents; a refusal for backdating (another writer moved on) is retried."""
    done = 0
    while done < count:
        with get_db(app).session() as session:
            try:
                issue_document(
                    session,
                    request,
                    actor=system_actor(f"t{threading.get_ident()}"),
                    clock=clock,
                    renderer=get_renderer(app),
                )
                session.commit()
                done += 1
            except Conflict as exc:
                assert exc.code == "backdated_issue_date", exc.message
                refused.append(1)


def _run_threads(app, request, clock, threads: int, each: int) -> int:
    refused: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _issue_many(app, request, clock, each, refused)
        except BaseException as exc:  # report in the main thread
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    return len(refused)


def _process(url: str, records, t0: float, threads: int, each: int, failures) -> None:
    try:
        app = create_app({"DOCGEN_DATABASE_URL": url, "DOCGEN_AUTO_MIGRATE": False})
        _run_threads(app, _request(records), WallClock(t0), threads, each)
    except BaseException as exc:
        failures.put(repr(exc))
        os._exit(1)
    os._exit(0)


def _assert_gap_free(session: Session, expected: int) -> None:
    rows = session.execute(
        select(Document.year, Document.number, Document.issued_date).order_by(
            Document.year, Document.number
        )
    ).all()
    assert [r.number for r in rows] == list(range(1, expected + 1))
    dates = [r.issued_date for r in rows]
    assert dates == sorted(dates)
    assert session.scalar(select(func.sum(RegisterCounter.last_number))) == expected
    report = verify_archive(session)
    assert report.ok, [f.message for f in report.findings[:5]]


def test_concurrent_issuance_is_gap_free(app, loaded, backend):
    url = get_db(app).engine.url.render_as_string(hide_password=False)
    t0 = time.time()
    if backend == "postgresql":
        threads, each = 8, 100
        _run_threads(app, _request(loaded), WallClock(t0), threads, each)
        total = threads * each
    else:
        processes, threads, each = 2, 4, 25
        get_db(app).engine.dispose()  # no inherited connections in the children
        failures = _FORK.Queue()
        children = [
            _FORK.Process(target=_process, args=(url, loaded, t0, threads, each, failures))
            for _ in range(processes)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(timeout=300)
        assert [c.exitcode for c in children] == [0] * processes, failures.get(timeout=1)
        total = processes * threads * each
    with get_db(app).session() as session:
        _assert_gap_free(session, total)
        assert session.scalar(select(func.count(func.distinct(Document.issued_date)))) > 1


# --- SIGKILL ---------------------------------------------------------------------------------

KILL_RUNS = 50
STEPS = ("render", "store_blob", "index_document", "commit")
# the render step's name: SQLite renders with the number, PostgreSQL into a number slot
RENDER_STEP = {"sqlite": "render_prepared", "postgresql": "render_slotted"}


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(step: str, nth: int) -> None:
    """Make this process SIGKILL itself at the ``nth`` passage through ``step``."""
    calls = {"n": 0}

    def hit() -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            _kill_self()

    if step == "commit":
        original_commit = Session.commit

        def commit(self: Session) -> None:
            hit()
            original_commit(self)

        Session.commit = commit  # type: ignore[method-assign]
        return
    original = getattr(issuance, step)

    def wrapped(*args, **kwargs):
        result = original(*args, **kwargs)
        hit()
        return result

    setattr(issuance, step, wrapped)


def _victim(url: str, records, mode: str, step: str, nth: int, ready) -> None:
    try:
        app = create_app({"DOCGEN_DATABASE_URL": url, "DOCGEN_AUTO_MIGRATE": False})
        clock = WallClock(time.time() - 20 * SECONDS_PER_DAY)
        request = _request(records)
        if mode == "step":
            _arm(step, nth)
        ready.set()
        while True:
            with get_db(app).session() as session:
                try:
                    issue_document(
                        session,
                        request,
                        actor=system_actor("victim"),
                        clock=clock,
                        renderer=get_renderer(app),
                    )
                except Conflict as exc:
                    # A slow earlier victim (a loaded machine) got a later day of the sped-up
                    # clock: refused as backdated, nothing written; ours catches up shortly.
                    if exc.code != "backdated_issue_date":
                        raise
                    continue
                session.commit()
    except BaseException:
        traceback.print_exc()  # shown by pytest: the parent only sees the exit code
    finally:
        os._exit(3)  # only reached on an error: a killed child never gets here


def test_sigkill_during_issuance_leaves_no_gap_and_no_orphan(app, loaded):
    url = get_db(app).engine.url.render_as_string(hide_password=False)
    get_db(app).engine.dispose()
    rng = random.Random(20170320)
    for run in range(KILL_RUNS):
        mode = "step" if run % 2 else "delay"
        step = rng.choice(STEPS)
        if step == "render":
            step = RENDER_STEP[get_db(app).engine.dialect.name]
        ready = _FORK.Event()
        child = _FORK.Process(
            target=_victim, args=(url, loaded, mode, step, rng.randint(1, 3), ready)
        )
        child.start()
        assert ready.wait(timeout=60)
        if mode == "delay":
            time.sleep(rng.uniform(0.0, 0.12))  # the random point of the kill, not a wait
            os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=60)
        assert child.exitcode == -signal.SIGKILL, (run, mode, child.exitcode)
    with get_db(app).session() as session:
        issued = session.scalar(select(func.count()).select_from(Document))
        assert issued > 0
        assert session.scalar(select(func.count()).select_from(Blob)) == issued
        _assert_gap_free(session, issued)
