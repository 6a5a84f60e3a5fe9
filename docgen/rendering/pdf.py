"""PDF renditions of DOCX bytes: a pool of warm LibreOffice workers (design D1, D2, D11).

``get_converter()`` gives the one ``Converter`` a process shares (the Flask app, the CLI and
background jobs alike). Each worker is a long-lived ``soffice`` with its own profile directory,
driven over UNO, one job at a time; callers queue for a free worker. A job that outlives its
time limit, or an office that crashes, costs that one request: the worker's process group is
killed, the caller gets a ``ConversionError`` and the worker restarts before it takes the next
job. Workers also restart after ``max_conversions`` jobs, so a slow leak never grows old.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from docgen.errors import ConversionError, DocgenError
from docgen.rendering.convert_soffice import INSTALL_HINT, OneShotFailed, convert_once, find_soffice

if TYPE_CHECKING:
    from docgen.rendering.uno_worker import Office

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_CONVERSIONS = 200
_PING_TIMEOUT = 5.0
_ZIP_MAGIC = b"PK\x03\x04"


class LibreOfficeMissing(ConversionError):
    code = "libreoffice_missing"


class ConversionTimeout(ConversionError):
    code = "conversion_timeout"


class ConversionCrashed(ConversionError):
    code = "conversion_crashed"


class DocumentUnreadable(ConversionError):
    """LibreOffice is fine but cannot read the DOCX: the input's fault, not the service's."""

    code = "docx_unreadable"
    http_status = 422


class InvalidPdf(DocgenError):
    """Bytes handed to a PDF tool (previews, merge) are not a readable PDF."""

    code = "pdf_invalid"
    http_status = 422


@dataclass(frozen=True)
class PdfMetadata:
    """What the PDF says about itself: Title = trích yếu, Author = issuing body."""

    title: str
    author: str
    subject: str = ""
    keywords: tuple[str, ...] = ()
    symbol: str = ""
    issued: date | None = None
    signer: str = ""

    def keyword_list(self) -> tuple[str, ...]:
        """Return the keywords written to the PDF: the given ones, then number, date, signer."""
        extra = []
        if self.symbol:
            extra.append(f"Số: {self.symbol}")
        if self.issued is not None:
            extra.append(f"Ngày ban hành: {self.issued.isoformat()}")
        if self.signer:
            extra.append(f"Người ký: {self.signer}")
        return (*self.keywords, *extra)

    def document_properties(self) -> dict[str, Any]:
        """Return the LibreOffice document properties the PDF export turns into Info and XMP."""
        return {
            "Title": self.title,
            "Author": self.author,
            "Subject": self.subject,
            "Keywords": self.keyword_list(),
        }


def default_workers() -> int:
    """Return the default pool size: one worker per core, at most two (D2: a third adds nothing)."""
    return max(1, min(os.cpu_count() or 1, 2))


class _Slot:
    """One place in the pool: the office it currently runs (or None) and its counters."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.office: Office | None = None
        self.state = "stopped"  # stopped · idle · busy · restarting
        self.conversions = 0  # since the current office started
        self.restarts = 0
        self.restart_due = False
        self.last_error: str | None = None


class _Watchdog:
    """Kills an office when a job outlives its limit; ``stop()`` returns whether it fired."""

    def __init__(self, office: Office, limit: float) -> None:
        self._office = office
        self._lock = threading.Lock()
        self._fired = False
        self._done = False
        self._timer = threading.Timer(limit, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:  # never kill an office whose job already finished
            if self._done:
                return
            self._fired = True
        self._office.kill()

    def stop(self) -> bool:
        with self._lock:
            self._done = True
        self._timer.cancel()
        return self._fired


class Converter:
    """A pool of warm LibreOffice workers; ``to_pdf`` blocks until one is free."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_conversions: int = DEFAULT_MAX_CONVERSIONS,
        soffice: str | os.PathLike[str] | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        count = workers or default_workers()  # None or 0 (the config default) = automatic
        if count < 1 or timeout <= 0 or max_conversions < 1:
            raise ValueError("workers, timeout and max_conversions must be positive")
        self.timeout = float(timeout)
        self.max_conversions = max_conversions
        self._soffice = soffice
        self._start_timeout = start_timeout
        self._slots = [_Slot(i) for i in range(count)]
        self._idle = list(reversed(self._slots))  # pop() hands out worker 0 first
        self._cond = threading.Condition()
        self._restarting: set[threading.Thread] = set()
        self._closed = False
        self._owner_pid = os.getpid()
        _register_for_exit(self)

    @property
    def workers(self) -> int:
        """Return the pool size."""
        return len(self._slots)

    def start(self) -> None:
        """Start every stopped worker now, in parallel, instead of on first use.

        Waits for workers that are busy or restarting, so on return every worker is warm.
        """
        slots = [self._checkout() for _ in self._slots]
        errors: list[Exception] = []

        def launch(slot: _Slot) -> None:
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
            self._checkin(slot)
        if errors:
            raise errors[0]

    def to_pdf(
        self,
        docx: bytes,
        *,
        pdfa: bool = False,
        metadata: PdfMetadata | None = None,
        timeout: float | None = None,
    ) -> bytes:
        """Return the PDF (PDF/A-2b when ``pdfa``) of ``docx``, with ``metadata`` in Info/XMP."""
        if not docx.startswith(_ZIP_MAGIC):
            raise DocumentUnreadable("Tệp đầu vào không phải là tệp DOCX.")
        limit = self.timeout if timeout is None else timeout
        if limit <= 0:
            raise ValueError("timeout must be positive")
        properties = metadata.document_properties() if metadata is not None else {}
        slot = self._checkout()
        try:
            office = self._ensure_office(slot)
            return self._convert(slot, office, docx, pdfa, properties, limit)
        finally:
            self._checkin(slot)

    def _convert(
        self,
        slot: _Slot,
        office: Office,
        docx: bytes,
        pdfa: bool,
        properties: dict[str, Any],
        limit: float,
    ) -> bytes:
        from docgen.rendering.uno_worker import DocumentRejected, OfficeLost

        watchdog = _Watchdog(office, limit)
        failure: Exception | None = None
        try:
            pdf = office.convert(docx, pdf_version=2 if pdfa else 0, properties=properties)
        except (OfficeLost, DocumentRejected) as exc:
            failure = exc
        finally:
            timed_out = watchdog.stop()
        if timed_out:
            self._discard_office(slot, f"quá thời gian {limit:g} giây")
            raise ConversionTimeout(
                f"Chuyển sang PDF quá thời gian cho phép ({limit:g} giây); "
                "LibreOffice đang được khởi động lại, vui lòng thử lại.",
                timeout=limit,
            ) from failure
        if isinstance(failure, OfficeLost):
            self._discard_office(slot, str(failure))
            raise ConversionCrashed(
                "LibreOffice dừng đột ngột khi chuyển sang PDF; "
                "LibreOffice đang được khởi động lại, vui lòng thử lại.",
            ) from failure
        if isinstance(failure, DocumentRejected):
            raise DocumentUnreadable(
                f"LibreOffice không đọc được tệp DOCX: {failure}", reason=str(failure)
            ) from failure
        slot.conversions += 1
        if slot.conversions >= self.max_conversions:
            slot.restart_due = True
        return pdf

    def health(self) -> list[dict[str, Any]]:
        """Return one status per worker; an idle worker is pinged to prove that it answers."""
        report = []
        for slot in self._slots:
            with self._cond:
                probe = slot in self._idle and slot.office is not None
                if probe:
                    self._idle.remove(slot)
                    slot.state = "busy"
                status = self._status(slot)
            if probe:
                try:
                    status.update(self._ping(slot))
                finally:
                    self._checkin(slot)
            report.append(status)
        return report

    @staticmethod
    def _status(slot: _Slot) -> dict[str, Any]:
        office = slot.office
        return {
            "worker": slot.index,
            "state": slot.state,
            "pid": office.process.pid if office else None,
            "office_pid": office.office_pid if office else None,
            "conversions": slot.conversions,
            "restarts": slot.restarts,
            "answered": None,  # None: not asked (busy or not started)
            "latency_ms": None,
            "last_error": slot.last_error,
        }

    def _ping(self, slot: _Slot) -> dict[str, Any]:
        from docgen.rendering.uno_worker import OfficeLost

        assert slot.office is not None
        watchdog = _Watchdog(slot.office, _PING_TIMEOUT)
        began = time.perf_counter()
        try:
            slot.office.ping()
            answered = True
        except OfficeLost:
            answered = False
        answered = not watchdog.stop() and answered
        latency = round((time.perf_counter() - began) * 1000, 2)
        if not answered:
            self._discard_office(slot, "không trả lời kiểm tra sức khỏe")
            return {"answered": False, "latency_ms": None, "state": "restarting"}
        return {"answered": True, "latency_ms": latency, "state": "idle"}

    # --- the pool -------------------------------------------------------------------------

    def _checkout(self) -> _Slot:
        with self._cond:
            while not self._idle:
                if self._closed:
                    break
                self._cond.wait()
            if self._closed:
                raise ConversionError("Bộ chuyển đổi PDF đã đóng.", code="converter_closed")
            # Prefer a running office: a stopped slot is started only when no warm one is free.
            warm = [slot for slot in self._idle if slot.office is not None]
            slot = warm[-1] if warm else self._idle[-1]
            self._idle.remove(slot)
            slot.state = "busy"
            return slot

    def _checkin(self, slot: _Slot) -> None:
        with self._cond:
            if self._closed:
                self._stop_slot(slot)
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

    def _restart(self, slot: _Slot) -> None:
        # Runs in its own thread so the failed request returns now; the slot rejoins the
        # pool warm, and callers waiting in _checkout take it then.
        try:
            old, slot.office = slot.office, None
            if old is not None:
                old.shutdown()
            slot.restart_due = False
            slot.conversions = 0
            slot.restarts += 1
            if not self._closed:
                self._ensure_office(slot)
        except ConversionError as exc:
            slot.last_error = exc.message  # the next job tries again and reports it
        finally:
            with self._cond:
                self._restarting.discard(threading.current_thread())
            self._checkin(slot)

    def _ensure_office(self, slot: _Slot) -> Office:
        if slot.office is None:
            slot.office = self._launch()
            slot.last_error = None
        return slot.office

    def _launch(self) -> Office:
        soffice = find_soffice(self._soffice)
        if soffice is None:
            where = f" tại {self._soffice}" if self._soffice else " trong PATH"
            raise LibreOfficeMissing(
                f"Không tìm thấy LibreOffice (soffice){where}. Cài đặt: {INSTALL_HINT}",
                install=INSTALL_HINT,
            )
        try:
            from docgen.rendering.uno_worker import Office, OfficeStartFailed
        except ImportError as exc:
            raise LibreOfficeMissing(
                f"Python không nạp được mô-đun uno của LibreOffice ({exc}). "
                f"Cài đặt: {INSTALL_HINT}",
                install=INSTALL_HINT,
            ) from exc
        try:
            return Office.launch(soffice, start_timeout=self._start_timeout)
        except OfficeStartFailed as exc:
            raise ConversionError(f"Không khởi động được LibreOffice: {exc}") from exc

    def _discard_office(self, slot: _Slot, reason: str) -> None:
        """Kill and forget the slot's office; the slot restarts when it is checked in."""
        if slot.office is not None:
            slot.office.shutdown()
            slot.office = None
        slot.last_error = reason
        slot.restart_due = True

    def _stop_slot(self, slot: _Slot) -> None:
        if slot.office is not None and os.getpid() == self._owner_pid:
            slot.office.shutdown()
        slot.office = None
        slot.state = "stopped"

    def close(self) -> None:
        """Stop every worker and delete their profiles; jobs still running fail."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            _forget(self)
            restarting = list(self._restarting)
            idle, self._idle = self._idle, []
            busy = [slot for slot in self._slots if slot not in idle]
            self._cond.notify_all()
        for thread in restarting:
            thread.join()
        for slot in idle:
            self._stop_slot(slot)
        # A forked child inherits this object but not the offices: it must not kill them.
        if os.getpid() == self._owner_pid:
            for slot in busy:
                if slot.office is not None:
                    slot.office.kill()  # the job's own thread discards it on the way out

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# Strong references: a converter that was never closed still owns running offices, so it
# must stay reachable until exit closes it.
_open_converters: set[Converter] = set()
_open_lock = threading.Lock()
_shared: Converter | None = None
_shared_lock = threading.Lock()


def _register_for_exit(converter: Converter) -> None:
    with _open_lock:
        _open_converters.add(converter)


def _forget(converter: Converter) -> None:
    with _open_lock:
        _open_converters.discard(converter)


def _close_all() -> None:
    """Close every converter still open, so no soffice outlives the Python process."""
    with _open_lock:
        converters = list(_open_converters)
    for converter in converters:
        converter.close()


atexit.register(_close_all)


def get_converter(workers: int | None = None, timeout: float = DEFAULT_TIMEOUT) -> Converter:
    """Return this process's shared converter, creating it on the first call.

    The first call's ``workers`` and ``timeout`` configure it; later calls get the same pool.
    A closed converter, or one inherited through ``fork()``, is replaced by a new one.
    """
    global _shared
    with _shared_lock:
        current = _shared
        if current is None or current._closed or current._owner_pid != os.getpid():
            current = _shared = Converter(workers, timeout=timeout)
        return current


def soffice_convert(docx: bytes, *, pdfa: bool = False, timeout: float = 180.0) -> bytes:
    """Return the PDF of ``docx`` from a new ``soffice --convert-to pdf`` process (the baseline)."""
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing(
            f"Không tìm thấy LibreOffice (soffice) trong PATH. Cài đặt: {INSTALL_HINT}",
            install=INSTALL_HINT,
        )
    try:
        return convert_once(soffice, docx, pdfa=pdfa, timeout=timeout)
    except OneShotFailed as exc:
        raise ConversionError(f"LibreOffice không chuyển được tệp sang PDF: {exc}") from exc
