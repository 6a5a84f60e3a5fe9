"""The worker pool behind ``Converter``: warm offices, one job each, replaced when they fail.

A slot is one place in the pool; it runs at most one office at a time and serves one caller at
a time. Callers block in ``checkout()`` until a slot is free. A slot whose office failed, hung
or reached its job limit is restarted in a background thread and rejoins the pool warm, so
the failed request returns at once and the next caller gets a working office.
"""

from __future__ import annotations

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


class Slot:
    """One place in the pool: the office it currently runs (or None) and its counters."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.office: Office | None = None
        self.state = "stopped"  # stopped · idle · busy · restarting
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

    def __init__(self, size: int, launch: Callable[[], Office], *, max_jobs: int) -> None:
        self.slots = [Slot(i) for i in range(size)]
        self.max_jobs = max_jobs
        self._launch = launch
        self._idle = list(reversed(self.slots))  # worker 0 is handed out first
        self._cond = threading.Condition()
        self._restarting: set[threading.Thread] = set()
        self.closed = False
        self.owner_pid = os.getpid()

    @contextmanager
    def worker(self) -> Iterator[tuple[Slot, Office]]:
        """Yield a free slot with a running office (started now if need be), then return it."""
        slot = self.checkout()
        try:
            yield slot, self._ensure_office(slot)
        finally:
            self.checkin(slot)

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
        from docgen.rendering.uno_worker import OfficeLost

        assert slot.office is not None
        watchdog = Watchdog(slot.office, timeout)
        began = time.perf_counter()
        try:
            slot.office.ping()
            answered = True
        except OfficeLost:
            answered = False
        answered = not watchdog.stop() and answered
        latency = round((time.perf_counter() - began) * 1000, 2)
        if not answered:
            reason = "không trả lời kiểm tra sức khỏe"
            self.discard(slot, reason)
            return {"answered": False, "state": "restarting", "last_error": reason}
        return {"answered": True, "latency_ms": latency, "state": "idle"}

    def checkout(self) -> Slot:
        """Return a free slot, waiting for one; raise ``ConversionError`` once closed."""
        with self._cond:
            while not self._idle and not self.closed:
                self._cond.wait()
            if self.closed:
                raise ConversionError("Bộ chuyển đổi PDF đã đóng.", code="converter_closed")
            # Prefer a running office: a stopped slot is started only when no warm one is free.
            warm = [slot for slot in self._idle if slot.office is not None]
            slot = warm[-1] if warm else self._idle[-1]
            self._idle.remove(slot)
            slot.state = "busy"
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
