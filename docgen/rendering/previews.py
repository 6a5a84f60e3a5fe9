"""Page previews of a PDF: PNG images from poppler's ``pdftoppm`` and page counts from pikepdf."""

from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf

from docgen.errors import ConversionError, NotFound
from docgen.rendering.pdf import InvalidPdf

_PDFTOPPM_TIMEOUT = 30.0
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class PageNotFound(NotFound):
    code = "page_not_found"


def page_count(pdf: bytes) -> int:
    """Return the number of pages in ``pdf``; raise ``InvalidPdf`` when it is not a PDF."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            return len(document.pages)
    except pikepdf.PdfError as exc:
        raise InvalidPdf("Tệp không phải là PDF đọc được.", reason=str(exc)) from exc


def page_png(pdf: bytes, page: int, *, dpi: int = 80) -> bytes:
    """Return page ``page`` (1-based) of ``pdf`` as PNG bytes rendered at ``dpi``."""
    if not 10 <= dpi <= 600:
        raise ValueError("dpi must be between 10 and 600")
    total = page_count(pdf)
    if not 1 <= page <= total:
        raise PageNotFound(
            f"Không có trang {page}: văn bản có {total} trang.", page=page, pages=total
        )
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ConversionError(
            "Không tìm thấy pdftoppm để tạo ảnh xem trước. Cài đặt: apt-get install poppler-utils",
            code="pdftoppm_missing",
        )
    # PDF on stdin, PNG on stdout: no file is shared with anyone.
    command = [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    try:
        result = subprocess.run(
            command, input=pdf, capture_output=True, timeout=_PDFTOPPM_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ConversionError(
            f"Tạo ảnh xem trước quá {_PDFTOPPM_TIMEOUT:g} giây.", code="preview_timeout"
        ) from exc
    if result.returncode != 0 or not result.stdout.startswith(_PNG_SIGNATURE):
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise ConversionError(
            f"Không tạo được ảnh xem trang {page}: {detail or 'pdftoppm lỗi'}",
            code="preview_failed",
        )
    return result.stdout
