"""One warm LibreOffice: a private ``soffice`` process driven over a UNO pipe, bytes in, bytes out.

Importing this module needs ``python3-uno`` (``import uno``); ``docgen.rendering.pdf`` imports it
only when the first worker starts, so docgen imports fine on a machine without LibreOffice.
The DOCX never touches the disk: it travels over the bridge into a ``SequenceInputStream``
created inside the office, and the PDF is written into an office-side ``MemoryStream`` read back
in one call.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.io import IOException
from com.sun.star.lang import IllegalArgumentException
from com.sun.star.uno import Exception as UnoException

from docgen.rendering.convert_soffice import SofficeProcess, office_binary

_DOCX_FILTER = "MS Word 2007 XML"  # named, so type detection never guesses on odd bytes
_PDF_FILTER = "writer_pdf_Export"
_NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
_NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE: no fetching of linked content


class OfficeStartFailed(Exception):
    """The office did not start or did not accept a UNO connection in time."""


class OfficeLost(Exception):
    """The UNO bridge broke during a call: the office crashed or was killed."""


class DocumentRejected(Exception):
    """The office is fine but could not load the document."""


def _property(name: str, value: Any) -> PropertyValue:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


_local_lock = threading.Lock()


def _resolver() -> Any:
    # pyuno's first getComponentContext() bootstraps the local UNO runtime, and two
    # threads doing that at once break it: workers start in parallel, so serialise it.
    with _local_lock:
        local = uno.getComponentContext()
        services = local.ServiceManager
        return services.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)


class Office:
    """A started office with its bridge; one job at a time, ``kill()`` from any thread."""

    def __init__(self, process: SofficeProcess, context: Any) -> None:
        self.process = process
        self.office_pid = process.office_pid()
        self._context = context
        self._services = context.ServiceManager
        self._desktop = self._services.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )

    @classmethod
    def launch(cls, soffice: str, *, start_timeout: float) -> Office:
        """Return a started office on a fresh private profile, or raise ``OfficeStartFailed``."""
        pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        accept = f"pipe,name={pipe};urp;StarOffice.ComponentContext"
        process = SofficeProcess(office_binary(soffice), [f"--accept={accept}"], pipe=pipe)
        try:
            context = cls._connect(process, f"uno:{accept}", start_timeout)
            return cls(process, context)
        except Exception as exc:  # whatever went wrong, no office may outlive a failed launch
            tail = process.log_tail()
            process.discard()
            detail = f"{exc}" + (f" — soffice: {tail}" if tail else "")
            raise OfficeStartFailed(detail) from exc

    @staticmethod
    def _connect(process: SofficeProcess, url: str, start_timeout: float) -> Any:
        resolver = _resolver()
        deadline = time.monotonic() + start_timeout
        restarted = False
        while True:
            try:
                return resolver.resolve(url)
            except NoConnectException:
                pass
            status = process.returncode
            if status == SofficeProcess.RESTART_REQUESTED and not restarted:
                process.respawn()  # first start on a fresh profile ends this way, once
                restarted = True
            elif status is not None:
                raise OfficeStartFailed(f"soffice thoát với mã {status}")
            if time.monotonic() > deadline:
                raise OfficeStartFailed(f"không nhận kết nối sau {start_timeout:g} giây")
            time.sleep(0.05)  # polling an external process that has no readiness signal

    def convert(self, docx: bytes, *, pdf_version: int, properties: Mapping[str, Any]) -> bytes:
        """Return the PDF of ``docx``; ``pdf_version`` 2 = PDF/A-2b, 0 = plain PDF."""
        try:
            document = self._load(docx)
            try:
                self._set_properties(document, properties)
                return self._export(document, pdf_version)
            finally:
                document.close(True)
        except UnoException as exc:
            raise OfficeLost(f"{type(exc).__name__}: {exc}") from exc

    def _load(self, docx: bytes) -> Any:
        stream = self._services.createInstanceWithArgumentsAndContext(
            "com.sun.star.io.SequenceInputStream", (uno.ByteSequence(docx),), self._context
        )
        args = (
            _property("InputStream", stream),
            _property("FilterName", _DOCX_FILTER),
            _property("Hidden", True),
            _property("MacroExecutionMode", _NEVER_EXECUTE),
            _property("UpdateDocMode", _NO_UPDATE),
        )
        try:
            document = self._desktop.loadComponentFromURL("private:stream", "_blank", 0, args)
        except (IOException, IllegalArgumentException) as exc:
            raise DocumentRejected(str(exc)) from exc
        if document is None:  # what Writer answers to bytes it cannot read with the DOCX filter
            raise DocumentRejected("LibreOffice không mở được tệp")
        return document

    @staticmethod
    def _set_properties(document: Any, properties: Mapping[str, Any]) -> None:
        # The PDF export copies these into the Info dictionary and, for PDF/A, the XMP packet.
        if not properties:
            return  # keep the DOCX's own properties, and save a round trip
        info = document.getDocumentProperties()
        for name, value in properties.items():
            setattr(info, name, value)

    def _export(self, document: Any, pdf_version: int) -> bytes:
        filter_data = (
            _property("SelectPdfVersion", pdf_version),
            _property("EmbedStandardFonts", True),  # every font embedded, not only non-base-14
            _property("ExportNotes", False),
        )
        memory = self._services.createInstanceWithContext(
            "com.sun.star.comp.MemoryStream", self._context
        )
        args = (
            _property("FilterName", _PDF_FILTER),
            _property("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", filter_data)),
            _property("OutputStream", memory.getOutputStream()),
        )
        uno.invoke(document, "storeToURL", ("private:stream", args))
        memory.seek(0)
        _, data = memory.getInputStream().readBytes(None, memory.getLength())
        return bytes(data.value)

    def ping(self) -> None:
        """Return once the office has answered a round trip; raise ``OfficeLost`` otherwise."""
        try:
            self._desktop.getFrames().getCount()
        except UnoException as exc:
            raise OfficeLost(f"{type(exc).__name__}: {exc}") from exc

    def kill(self) -> None:
        """Kill the office's process group at once (a hung or runaway job); any thread."""
        self.process.kill()

    def shutdown(self) -> None:
        """Stop the office and delete its profile; nothing in a private profile is worth a
        graceful exit, and asking a hung office to quit would hang the caller too."""
        self.process.discard()
