"""The worker pool behind ``Converter``: warm offices, one job each, replaced when they fail.

A slot is one place in the pool; it runs at most one office at a time and serves one caller at
a time. Callers block in ``checkout()`` until a slot is free. A slot whose office failed, hung
or reached its job limit is restarted in a background thread and rejoins the pool warm, so
the failed request returns at once and the next caller gets a working office.

An office can also die or stop while idle (killed, OOM, SIGSTOP): before a job is handed to
it, the office is checked — still running (which reaps it if it is not), not stopped, and
answering a UNO round trip within ``check_timeout`` — and replaced on the spot if not. Every
pool still open at exit is closed; each office's guardian (``convert_soffice``) covers the
deaths that run no ``atexit``.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from docgen.errors import ConversionError

if TYPE_CHECKING:
    from docgen.rendering.uno_worker import Office

log = logging.getLogger(__name__)

NO_ANSWER = "không trả lời kiểm tra sức khỏe"
DEFAULT_CHECK_TIMEOUT = 2.0  # a round trip takes well under a millisecond on a live office


class Slot:
    """One place in the pool: the office it currently runs (or None) and its counters."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.office: Office | None = None
        self.state = "stopped"  # stopped · idle · checking (before a job) · busy · restarting
        self.conversions = 0  # since the current office started
        self.restarts = 0
        self.restart_due = False
        self.last_error: str | None = None

    def status(self) -> dict[str, Any]:
        """Return the slot's state as the health report shows it (nothing asked yet)."""
        office = self.office
        return {
            "worker": self.index,
            "state": self.state,
            "pid": office.process.pid if office else None,
            "office_pid": office.office_pid if office else None,
            "conversions": self.conversions,
            "restarts": self.restarts,
            "answered": None,  # None: not asked (busy, restarting or not started)
            "latency_ms": None,
            "last_error": self.last_error,
        }


class Watchdog:
    """Kills an office when a call outlives its limit; ``stop()`` returns whether it fired."""

    def __init__(self, office: Office, limit: float) -> None:
        self._office = office
        self._lock = threading.Lock()
        self._fired = False
        self._done = False
        self._timer = threading.Timer(limit, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:  # never kill an office whose call already finished
            if self._done:
                return
            self._fired = True
        self._office.kill()

    def stop(self) -> bool:
        with self._lock:
            self._done = True
        self._timer.cancel()
        return self._fired


class OfficePool:
    """``size`` slots whose offices ``launch()`` starts lazily; see the module docstring."""

    def __init__(
        self,
        size: int,
        launch: Callable[[], Office],
        *,
        max_jobs: int,
        check_timeout: float = DEFAULT_CHECK_TIMEOUT,
    ) -> None:
        self.slots = [Slot(i) for i in range(size)]
        self.max_jobs = max_jobs
        self.check_timeout = check_timeout
        self._launch = launch
        self._idle = list(reversed(self.slots))  # worker 0 is handed out first
        self._cond = threading.Condition()
        self._restarting: set[threading.Thread] = set()
        self.closed = False
        self.owner_pid = os.getpid()
        _register(self)

    @contextmanager
    def worker(self) -> Iterator[tuple[Slot, Office]]:
        """Yield a free slot with a live office (checked, or started now), then return it."""
        slot = self.checkout("checking")
        try:
            office = self._ready(slot)
            slot.state = "busy"
            yield slot, office
        finally:
            self.checkin(slot)

    def _ready(self, slot: Slot) -> Office:
        office = slot.office
        if office is not None and (reason := self.liveness(office, self.check_timeout)):
            self._replace(slot, reason)
        return self._ensure_office(slot)

    def liveness(self, office: Office, timeout: float) -> str | None:
        """Return why ``office`` cannot take a job (in Vietnamese), or None when it is fit:
        its process runs, is not stopped, and answers a UNO round trip within ``timeout``."""
        from docgen.rendering.uno_worker import OfficeLost

        status = office.process.returncode  # polling reaps an office that died while idle
        if status is not None:
            return f"LibreOffice đã thoát (mã {status})"
        state = office.process.state(office.office_pid)
        if state is None or state in "ZX":
            return "LibreOffice đã thoát"
        if state in "Tt":  # stopped: it would hold the job until the job's own timeout
            return NO_ANSWER
        watchdog = Watchdog(office, timeout)
        try:
            office.ping()
            lost = None
        except OfficeLost as exc:
            lost = str(exc)
        fired = watchdog.stop()
        if fired or lost is not None:
            return NO_ANSWER if fired else f"mất kết nối với LibreOffice: {lost}"
        return None

    def _replace(self, slot: Slot, reason: str) -> None:
        """Kill the slot's office and forget it; the caller starts a new one at once."""
        log.warning("LibreOffice worker %d replaced before a job: %s", slot.index, reason)
        if slot.office is not None:
            slot.office.shutdown()
            slot.office = None
        slot.last_error = reason
        slot.restarts += 1
        slot.conversions = 0
        slot.restart_due = False

    def start(self) -> None:
        """Start every slot's office, in parallel; waits for slots that are busy or restarting."""
        slots = [self.checkout() for _ in self.slots]
        errors: list[Exception] = []

        def launch(slot: Slot) -> None:
            try:
                self._ensure_office(slot)
            except Exception as exc:  # re-raised below, in the caller's thread
                errors.append(exc)

        threads = [threading.Thread(target=launch, args=(slot,)) for slot in slots]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for slot in slots:
            self.checkin(slot)
        if errors:
            raise errors[0]

    def job_done(self, slot: Slot) -> None:
        """Count a finished job; the office is replaced after ``max_jobs``."""
        slot.conversions += 1
        if slot.conversions >= self.max_jobs:
            slot.restart_due = True

    def discard(self, slot: Slot, reason: str) -> None:
        """Kill and forget the slot's office; the slot restarts when it is checked in."""
        log.warning("LibreOffice worker %d discarded: %s", slot.index, reason)
        if slot.office is not None:
            slot.office.shutdown()
            slot.office = None
        slot.last_error = reason
        slot.restart_due = True

    def health(self, timeout: float) -> list[dict[str, Any]]:
        """Return each slot's status; idle offices are pinged, and replaced if they hang."""
        report = []
        for slot in self.slots:
            with self._cond:
                probe = slot in self._idle and slot.office is not None
                if probe:
                    self._idle.remove(slot)
                    slot.state = "busy"
                status = slot.status()
            if probe:
                try:
                    status.update(self._ping(slot, timeout))
                finally:
                    self.checkin(slot)
            report.append(status)
        return report

    def _ping(self, slot: Slot, timeout: float) -> dict[str, Any]:
        assert slot.office is not None
        began = time.perf_counter()
        reason = self.liveness(slot.office, timeout)
        latency = round((time.perf_counter() - began) * 1000, 2)
        if reason is not None:
            self.discard(slot, reason)
            return {"answered": False, "state": "restarting", "last_error": reason}
        return {"answered": True, "latency_ms": latency, "state": "idle"}

    def checkout(self, state: str = "busy") -> Slot:
        """Return a free slot in ``state``, waiting for one; ``ConversionError`` once closed."""
        with self._cond:
            while not self._idle and not self.closed:
                self._cond.wait()
            if self.closed:
                raise ConversionError("Bộ chuyển đổi PDF đã đóng.", code="converter_closed")
            # Prefer a running office: a stopped slot is started only when no warm one is free.
            warm = [slot for slot in self._idle if slot.office is not None]
            slot = warm[-1] if warm else self._idle[-1]
            self._idle.remove(slot)
            slot.state = state
            return slot

    def checkin(self, slot: Slot) -> None:
        """Give a slot back: to the idle list, or to a restart thread when it is due."""
        with self._cond:
            if self.closed:
                self._stop(slot)
                return
            if slot.restart_due:
                slot.state = "restarting"
                thread = threading.Thread(target=self._restart, args=(slot,), daemon=True)
                self._restarting.add(thread)
                thread.start()
                return
            slot.state = "idle" if slot.office is not None else "stopped"
            self._idle.append(slot)
            self._cond.notify()

    def _restart(self, slot: Slot) -> None:
        try:
            old, slot.office = slot.office, None
            if old is not None:
                old.shutdown()
            slot.restart_due = False
            slot.conversions = 0
            slot.restarts += 1
            if not self.closed:
                self._ensure_office(slot)
                log.info("LibreOffice worker %d restarted (restart %d)", slot.index, slot.restarts)
        except ConversionError as exc:
            log.error("LibreOffice worker %d did not restart: %s", slot.index, exc.message)
            slot.last_error = exc.message  # the next job tries again and reports it
        finally:
            with self._cond:
                self._restarting.discard(threading.current_thread())
            self.checkin(slot)

    def _ensure_office(self, slot: Slot) -> Office:
        if slot.office is None:
            slot.office = self._launch()
            slot.last_error = None
        return slot.office

    def _stop(self, slot: Slot) -> None:
        # A forked child inherits the pool but not the offices: it must not kill them.
        if slot.office is not None and os.getpid() == self.owner_pid:
            slot.office.shutdown()
        slot.office = None
        slot.state = "stopped"

    def close(self) -> None:
        """Stop every office and delete the profiles; jobs still running fail."""
        _forget(self)
        with self._cond:
            if self.closed:
                return
            self.closed = True
            restarting = list(self._restarting)
            idle, self._idle = self._idle, []
            busy = [slot for slot in self.slots if slot not in idle]
            self._cond.notify_all()
        for thread in restarting:
            thread.join()
        for slot in idle:
            self._stop(slot)
        if os.getpid() == self.owner_pid:
            for slot in busy:
                if slot.office is not None:
                    slot.office.kill()  # the job's own thread discards it on the way out


# Strong references: a pool nobody closed still owns running offices until exit closes it.
_open_pools: set[OfficePool] = set()
_open_lock = threading.Lock()


def _register(pool: OfficePool) -> None:
    with _open_lock:
        _open_pools.add(pool)


def _forget(pool: OfficePool) -> None:
    with _open_lock:
        _open_pools.discard(pool)


def close_all() -> None:
    """Close every pool still open in this process (at exit; the guardians do the rest)."""
    with _open_lock:
        pools = list(_open_pools)
    for pool in pools:
        pool.close()


atexit.register(close_all)
