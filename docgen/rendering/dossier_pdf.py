"""PDF and DOCX plumbing of the submission dossier: one conversion for many trích ngang, split
back per nominee, and the merged PDF with nested bookmarks (pikepdf, poppler's pdftotext).

Why batch: a warm LibreOffice conversion costs ~240 ms per file however small (measured on
the trích ngang: render 24 ms, convert 238 ms), so 200 nominees converted one by one on two
workers take ~24 s. The per-nominee DOCX files come from the same template, so their bodies
are concatenated into one DOCX, each in its own section (page numbering restarting at 1, as
in the single file), converted once per worker, and the PDF is split where each trích ngang's
title starts a page. If the split does not find exactly one start per nominee, the caller
converts the files one by one instead (never a wrong page range).
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import pikepdf

from docgen.rendering.pdf import InvalidPdf

_BODY = re.compile(r"<w:body>(?P<inner>.*)(?P<sect><w:sectPr\b.*?</w:sectPr>)\s*</w:body>", re.S)
_DOCUMENT = "word/document.xml"


class SplitFailed(Exception):
    """The batch PDF could not be cut into one range per part."""


def concat_docx(parts: Sequence[bytes]) -> bytes:
    """Return one DOCX holding every part's body in order, each in its own section.

    The parts must come from one template (same styles, numbering and header parts): the
    first part's package is kept and the others' bodies are appended to it.
    """
    if not parts:
        raise ValueError("concat_docx needs at least one part")
    bodies = []
    for data in parts:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read(_DOCUMENT).decode("utf-8")
        match = _BODY.search(xml)
        if match is None:
            raise ValueError("a part has no body section")
        bodies.append((match.group("inner"), _restart_numbering(match.group("sect"))))
    with zipfile.ZipFile(io.BytesIO(parts[0])) as first:
        head = first.read(_DOCUMENT).decode("utf-8")
        match = _BODY.search(head)
        assert match is not None
        pieces = []
        for index, (inner, sect) in enumerate(bodies):
            pieces.append(inner)
            if index < len(bodies) - 1:  # a section break closes every part but the last
                pieces.append(f"<w:p><w:pPr>{sect}</w:pPr></w:p>")
        xml = head[: match.start()] + "<w:body>" + "".join(pieces) + bodies[-1][1] + "</w:body>"
        xml += head[match.end() :]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as merged:
            for info in first.infolist():
                content = xml.encode("utf-8") if info.filename == _DOCUMENT else first.read(info)
                merged.writestr(info, content)
    return out.getvalue()


def _restart_numbering(sect: str) -> str:
    """Return the section properties with page numbers restarting at 1."""
    sect = re.sub(r"<w:pgNumType\b[^>]*/>", "", sect)
    sect = re.sub(r'<w:type w:val="[^"]*"/>', "", sect)
    tag = '<w:pgNumType w:start="1"/>'
    if "<w:cols" in sect:
        return sect.replace("<w:cols", tag + "<w:cols", 1)
    return sect.replace("</w:sectPr>", tag + "</w:sectPr>")


def page_texts(pdf: bytes) -> list[str]:
    """Return the text of each page (pdftotext; pages are separated by form feeds)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True, timeout=120).stdout  # fmt: skip
    pages = out.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def split_by_markers(pdf: bytes, markers: Sequence[str], *, title: str) -> list[bytes]:
    """Return ``pdf`` cut into one PDF per marker: a part starts on a page that holds
    ``title`` and its own marker (the nominee's name), in order. ``SplitFailed`` otherwise."""
    texts = [_squash(t) for t in page_texts(pdf)]
    starts = [i for i, t in enumerate(texts) if _squash(title) in t]
    if len(starts) != len(markers) or (starts and starts[0] != 0):
        raise SplitFailed(f"{len(starts)} trang mở đầu cho {len(markers)} phần")
    for start, marker in zip(starts, markers, strict=True):
        if _squash(marker) not in texts[start]:
            raise SplitFailed(f"trang {start + 1} không mang “{marker}”")
    ends = [*starts[1:], len(texts)]
    out = []
    with pikepdf.open(io.BytesIO(pdf)) as source:
        if len(source.pages) != len(texts):
            raise SplitFailed("số trang đọc được khác số trang của tệp")
        for start, end in zip(starts, ends, strict=True):
            part = pikepdf.new()
            part.pages.extend(source.pages[start:end])
            buffer = io.BytesIO()
            part.save(buffer, deterministic_id=True)
            out.append(buffer.getvalue())
    return out


@dataclass
class Bookmark:
    """One entry of the merged PDF's outline: a part, with its own entries under it."""

    title: str
    pdf: bytes | None = None  # the part's pages (None: a heading over its children)
    children: list[Bookmark] = field(default_factory=list)


def merge_with_outline(entries: Sequence[Bookmark]) -> tuple[bytes, int]:
    """Return (the merged PDF, its page count): every entry's pages in order, a bookmark per
    entry at its first page and, under a heading, one per child."""
    merged = pikepdf.new()
    with contextlib.ExitStack() as sources:  # pages are copied lazily: keep sources open
        with merged.open_outline() as outline:
            for entry in entries:
                top = pikepdf.OutlineItem(entry.title, len(merged.pages))
                for child in entry.children if entry.pdf is None else [entry]:
                    first = len(merged.pages)
                    source = sources.enter_context(_open(child.title, child.pdf or b""))
                    merged.pages.extend(source.pages)
                    if entry.pdf is None:
                        top.children.append(pikepdf.OutlineItem(child.title, first))
                outline.root.append(top)
        merged.Root.PageMode = pikepdf.Name.UseOutlines
        output = io.BytesIO()
        merged.save(output, deterministic_id=True)
        return output.getvalue(), len(merged.pages)


def _open(label: str, data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        raise InvalidPdf(
            f"Phần “{label}” không phải là tệp PDF đọc được.", part=label, reason=str(exc)
        ) from exc


def outline_of(pdf: bytes) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Return the outline of ``pdf``: (title, 0-based page, [(child title, page)…]) per entry."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {page.objgen: i for i, page in enumerate(doc.pages)}

        def where(item: pikepdf.OutlineItem) -> int:
            dest = item.destination
            if dest is None and item.action is not None:
                dest = item.action.get("/D")
            return pages.get(dest[0].objgen, -1) if dest is not None else -1

        with doc.open_outline() as outline:
            return [
                (top.title, where(top), [(c.title, where(c)) for c in top.children])
                for top in outline.root
            ]
