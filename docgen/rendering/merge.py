"""One PDF from several: parts concatenated in order, one top-level bookmark per part (pikepdf)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence

import pikepdf

from docgen.rendering.pdf import InvalidPdf


def merge_pdfs(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """Return one PDF holding every ``(label, pdf)`` part in order, each under a bookmark.

    The bookmark of a part is its label and points at the part's first page; the parts' own
    bookmarks are not carried over. The result is a plain PDF: merging PDF/A files does not
    make a PDF/A file (each part keeps its own archival rendition).
    """
    if not parts:
        raise ValueError("merge_pdfs needs at least one part")
    merged = pikepdf.new()
    with contextlib.ExitStack() as sources:  # pages are copied lazily: keep sources open
        with merged.open_outline() as outline:
            for label, data in parts:
                source = sources.enter_context(_open_part(label, data))
                first_page = len(merged.pages)
                merged.pages.extend(source.pages)
                outline.root.append(pikepdf.OutlineItem(label, first_page))
        merged.Root.PageMode = pikepdf.Name.UseOutlines  # open with the bookmarks shown
        output = io.BytesIO()
        merged.save(output, deterministic_id=True)
    return output.getvalue()


def _open_part(label: str, data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise InvalidPdf(
            f"Phần “{label}” không phải là tệp PDF đọc được.", part=label, reason=str(exc)
        ) from exc
