"""PDF renditions of DOCX bytes: a pool of warm LibreOffice workers (design D1, D2, D11).

A ``Converter`` belongs to its owner: each app holds one in ``app.extensions``
(``docgen.runtime.get_converter``), so the web process, the worker and the CLI each have
their own and two apps never share one. Each worker is a long-lived ``soffice`` with its
own profile directory, driven over UNO, one job at a time; callers queue for a free worker.
A job that outlives its time limit, or an office that crashes, costs that one request: the
worker's process group is killed, the caller gets a ``ConversionError`` and the worker
restarts before it takes the next job. Workers also restart after ``max_conversions`` jobs,
so a slow leak never grows old. Every pool still open at exit is closed (``convert_pool``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from docgen.errors import ConversionError, DocgenError
from docgen.rendering.convert_pool import OfficePool, Slot, Watchdog
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
        self._soffice = soffice
        self._start_timeout = start_timeout
        self._pool = OfficePool(count, self._launch, max_jobs=max_conversions)

    @property
    def workers(self) -> int:
        """Return the pool size."""
        return len(self._pool.slots)

    @property
    def closed(self) -> bool:
        """Return True once ``close()`` was called (or in a forked child)."""
        return self._pool.closed or self._pool.owner_pid != os.getpid()

    def start(self) -> None:
        """Start every worker now instead of on first use; on return all are warm."""
        self._pool.start()

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
        with self._pool.worker() as (slot, office):
            return self._convert(slot, office, docx, pdfa, properties, limit)

    def _convert(
        self,
        slot: Slot,
        office: Office,
        docx: bytes,
        pdfa: bool,
        properties: dict[str, Any],
        limit: float,
    ) -> bytes:
        from docgen.rendering.uno_worker import DocumentRejected, OfficeLost

        watchdog = Watchdog(office, limit)
        failure: Exception | None = None
        try:
            pdf = office.convert(docx, pdf_version=2 if pdfa else 0, properties=properties)
        except (OfficeLost, DocumentRejected) as exc:
            failure = exc
        finally:
            timed_out = watchdog.stop()
        if timed_out:
            self._pool.discard(slot, f"quá thời gian {limit:g} giây")
            raise ConversionTimeout(
                f"Chuyển sang PDF quá thời gian cho phép ({limit:g} giây); "
                "LibreOffice đang được khởi động lại, vui lòng thử lại.",
                timeout=limit,
            ) from failure
        if isinstance(failure, OfficeLost):
            self._pool.discard(slot, str(failure))
            raise ConversionCrashed(
                "LibreOffice dừng đột ngột khi chuyển sang PDF; "
                "LibreOffice đang được khởi động lại, vui lòng thử lại.",
            ) from failure
        if isinstance(failure, DocumentRejected):
            raise DocumentUnreadable(
                f"LibreOffice không đọc được tệp DOCX: {failure}", reason=str(failure)
            ) from failure
        self._pool.job_done(slot)
        return pdf

    def health(self, *, timeout: float = _PING_TIMEOUT) -> list[dict[str, Any]]:
        """Return one status per worker; an idle worker is pinged to prove that it answers.

        A worker that does not answer within ``timeout`` seconds is killed and restarted;
        busy and not-yet-started workers are reported with ``answered`` None.
        """
        return self._pool.health(timeout)

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

    def close(self) -> None:
        """Stop every worker and delete their profiles; jobs still running fail."""
        self._pool.close()

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
