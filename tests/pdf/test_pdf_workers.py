"""Worker health against real soffice processes: an office killed or stopped while idle is
found before it gets a job and replaced, and no office, profile or pipe outlives its owner —
whether the owner closes the pool, exits, or is killed by SIGTERM or SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen.rendering.pdf import Converter
from tests.helpers import terminal_signals
from tests.pdf.test_pdf_lifecycle import SYMBOL_LINE, make_docx, pdf_text, wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0  # the conversion timeout a stopped office used to hold a request for


@pytest.fixture
def solo() -> Iterator[Converter]:
    """One warm worker, so the test knows which office the next job goes to."""
    pool = Converter(workers=1, timeout=TIMEOUT)
    pool.start()
    yield pool
    pool.close()


def _office(pool: Converter) -> tuple[int, Path]:
    """Return the pid of the pool's one office and its work directory (profile, log, tmp)."""
    (slot,) = pool._pool.slots
    assert slot.office is not None
    return slot.office.office_pid, slot.office.process.workdir


def _state(pid: int) -> str | None:
    """Return the process state letter, or None when no such process exists."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2]


def test_an_office_killed_while_idle_is_reaped_and_the_next_job_succeeds(solo, tmp_path):
    plan = make_docx()
    pid, workdir = _office(solo)
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: _state(pid) in {"Z", None})  # dead, and (until now) unreaped
    assert SYMBOL_LINE in pdf_text(solo.to_pdf(plan))
    assert _state(pid) is None  # reaped: no zombie left behind
    assert not workdir.exists()
    new_pid, _ = _office(solo)
    assert new_pid != pid
    (status,) = solo.health()
    assert status["answered"] is True and status["restarts"] == 1
    assert status["last_error"] is None


def test_a_stopped_office_is_replaced_well_before_the_timeout(solo):
    plan = make_docx()
    pid, workdir = _office(solo)
    os.kill(pid, signal.SIGSTOP)
    wait_until(lambda: _state(pid) == "T")
    began = time.monotonic()
    pdf = solo.to_pdf(plan)  # no timeout given: the pool's 60 s
    elapsed = time.monotonic() - began
    assert SYMBOL_LINE in pdf_text(pdf)
    assert elapsed < TIMEOUT / 4, elapsed  # a fresh office's start, not the job's timeout
    assert _office(solo)[0] != pid
    wait_until(lambda: _state(pid) is None)  # SIGKILL reaches a stopped process; reaped
    assert not workdir.exists()


def test_a_pool_checks_its_office_with_a_round_trip_before_each_job(solo):
    plan = make_docx()
    pid, _ = _office(solo)
    office = solo._pool.slots[0].office
    calls: list[float] = []
    original = office.ping

    def counted() -> None:
        calls.append(time.monotonic())
        original()

    office.ping = counted  # type: ignore[method-assign]
    for _ in range(3):
        solo.to_pdf(plan)
    assert len(calls) == 3
    assert _office(solo)[0] == pid  # a live office is kept


def test_closing_the_pool_leaves_no_office_profile_or_pipe():
    pool = Converter(workers=2, timeout=TIMEOUT)
    pool.start()
    offices = [slot.office for slot in pool._pool.slots]
    pids = [office.office_pid for office in offices]
    dirs = [office.process.workdir for office in offices]
    sockets = [path for office in offices for path in office.process._socket_paths()]
    assert all(d.exists() for d in dirs) and any(p.exists() for p in sockets)
    pool.close()
    assert [_state(pid) for pid in pids] == [None, None]
    assert not any(d.exists() for d in dirs)
    assert not any(p.exists() for p in sockets)


_OWNER = """
import sys, time
from docgen.rendering.pdf import Converter
converter = Converter(workers=1)
converter.to_pdf(sys.stdin.buffer.read())
office = converter._pool.slots[0].office
print(office.office_pid, office.process.workdir, *office.process._socket_paths(), flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_an_owner_that_dies_takes_its_offices_profiles_and_pipes_along(how):
    """SIGTERM and SIGKILL run no atexit hook: each office's guardian cleans up instead."""
    owner = subprocess.Popen(
        [sys.executable, "-c", _OWNER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=terminal_signals,
    )
    try:
        assert owner.stdin is not None and owner.stdout is not None
        owner.stdin.write(make_docx())
        owner.stdin.close()
        pid, workdir, *sockets = owner.stdout.readline().decode().split()
        assert _state(int(pid)) in {"R", "S"} and Path(workdir).is_dir()
        owner.send_signal(how)
        owner.wait(30)
        # Killed; reaped by whoever adopted it (a zombie holds no memory, profile or pipe).
        wait_until(lambda: _state(int(pid)) in {None, "Z"}, timeout=30)
        paths = [Path(workdir), *map(Path, sockets)]
        wait_until(lambda: not any(path.exists() for path in paths), timeout=30)
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        owner.stdout.close()
