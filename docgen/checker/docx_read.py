"""Reads a DOCX into the checker's view: every paragraph in reading order, formatting resolved.

Paragraphs come from the body, from table cells (nested tables included) and from text
boxes; each is split into *pieces* at line breaks and tabs, because Word users often lay
the header out as "UBND TỈNH KIÊN GIANG<tab>CỘNG HÒA XÃ HỘI…" instead of a table.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from docgen import uploads
from docgen.checker.formatting import ParaFormat, Span, Styles, twips, w
from docgen.errors import DocgenError
from docgen.rules.text import nfc

DEFAULT_CELL_MARGIN = 108  # twips, Word's "Normal Table" left/right cell margin
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
_VML = "urn:schemas-microsoft-com:vml"
_WRAPPERS = (w("sdt"), w("customXml"), w("smartTag"))


class NotDocxError(DocgenError):
    """The file given to the checker is not a Word (DOCX) document."""

    code = "not_docx"


def open_docx(source: bytes | str | Path | IO[bytes]) -> Document:
    """Return the python-docx Document of ``source``; NotDocxError if it is not a DOCX.

    The package is checked against docgen's upload limits before anything is parsed
    (``docgen.uploads``): a zip bomb raises ``PackageRejected`` in milliseconds.
    """
    name = str(source) if isinstance(source, str | Path) else "tệp đã gửi"
    if isinstance(source, str | Path) and not Path(source).is_file():
        raise NotDocxError(f"Không tìm thấy tệp “{source}”.", path=name)
    try:
        return uploads.open_docx(source)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        reason, detail = "không phải tệp DOCX (Word 2007 trở lên)", exc
    except ValueError as exc:  # a valid package of another kind (.xlsx, .pptx, a template)
        reason, detail = "là tệp Office nhưng không phải văn bản Word DOCX", exc
    except etree.XMLSyntaxError as exc:
        reason, detail = "là tệp DOCX bị hỏng (nội dung XML không đọc được)", exc
    raise NotDocxError(f"“{name}” {reason}.", path=name, detail=str(detail))


@dataclass(frozen=True)
class Where:
    """Where a paragraph sits, for locating it and for telling the user."""

    kind: str  # "body", "cell", "textbox", "header", "footer"
    number: int = 0  # body: 1-based count of non-empty body paragraphs
    table: int | None = None  # 1-based index of the top-level table
    row: int | None = None
    col: int | None = None
    section: int = 0

    def label(self) -> str:
        """Return the location in Vietnamese: "đoạn 14", "bảng 1 (hàng 2, cột 1)"."""
        if self.kind == "cell":
            return f"bảng {self.table} (hàng {self.row}, cột {self.col})"
        if self.kind == "header":
            return f"đầu trang (phần {self.section + 1})"
        if self.kind == "footer":
            return f"chân trang (phần {self.section + 1})"
        if self.kind == "textbox":
            return "hộp văn bản"
        return f"đoạn {self.number}"


@dataclass
class Para:
    """A paragraph with its displayed spans, resolved layout and place in the document."""

    el: etree._Element
    spans: tuple[Span, ...]
    text: str
    where: Where
    fmt: ParaFormat
    index: int  # position in reading order
    pieces: list[Piece] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    def label(self) -> str:
        """Return the location with the paragraph's first words: "đoạn 14 (“Thực hiện…”)"."""
        words = " ".join(self.text.split())
        if not words:
            return self.where.label()
        snippet = words if len(words) <= 40 else words[:38].rstrip() + "…"
        return f"{self.where.label()} (“{snippet}”)"


@dataclass(frozen=True)
class Piece:
    """A run of text between line breaks and tabs inside one paragraph."""

    text: str
    spans: tuple[Span, ...]
    para: Para
    line: int
    col: int


def visible(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Return the spans that show something other than spaces."""
    return tuple(s for s in spans if s.text.strip())


@dataclass
class DocxView:
    """A document prepared for checking."""

    document: Document
    styles: Styles
    paras: list[Para]
    sectprs: list[etree._Element]

    _widths: dict[int, int | None] = field(default_factory=dict, repr=False, compare=False)

    def body_width(self, section: int) -> int | None:
        """Return the text width of ``section`` in twips (page width minus side margins)."""
        if section not in self._widths:  # python-docx finds sections by an XPath over the body
            sections = self.document.sections
            s = sections[min(section, len(sections) - 1)]
            width = None
            if s.page_width is not None:
                width = round((s.page_width - (s.left_margin or 0) - (s.right_margin or 0)) / 635)
            self._widths[section] = width
        return self._widths[section]

    def container_width(self, para: Para) -> int | None:
        """Return the width (twips) a paragraph's borders span: its cell or the text width."""
        tc = next(para.el.iterancestors(w("tc")), None)
        width = _cell_width(tc) if tc is not None else self.body_width(para.where.section)
        if width is None:
            return None
        return width - para.fmt.left - para.fmt.right


def read(document: Document) -> DocxView:
    """Return the checker's view of ``document``."""
    styles = Styles(document)
    body = document.element.body
    reader = _Reader(styles)
    reader.walk_body(body)
    sectprs = [p.find(w("sectPr")) for p in body.iter(w("pPr"))]
    sectprs = [s for s in sectprs if s is not None]
    final = body.find(w("sectPr"))
    if final is not None:
        sectprs.append(final)
    return DocxView(document, styles, reader.paras, sectprs)


def part_paras(styles: Styles, root: etree._Element, where: Where) -> list[Para]:
    """Return the paragraphs of a header or footer part."""
    reader = _Reader(styles)
    reader.walk(root, where)
    return reader.paras


def one_para(styles: Styles, p: etree._Element, where: Where) -> Para:
    """Return the view of a single paragraph element."""
    return _Reader(styles).add(p, where)


class _Reader:
    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.paras: list[Para] = []
        self.number = 0
        self.tables = 0
        self.section = 0

    def walk_body(self, body: etree._Element) -> None:
        for child in _content(body):
            if child.tag == w("p"):
                text_para = self.add(child, Where("body", section=self.section))
                if not text_para.empty:
                    self.number += 1
                    text_para.where = replace(text_para.where, number=self.number)
                if child.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                    self.section += 1
            elif child.tag == w("tbl"):
                self.tables += 1
                self.table(child, self.tables)

    def walk(self, root: etree._Element, where: Where) -> None:
        for child in _content(root):
            if child.tag == w("p"):
                self.add(child, where)
            elif child.tag == w("tbl"):
                for tr in _content(child, "tr"):
                    for tc in _content(tr, "tc"):
                        self.walk(tc, where)

    def table(self, tbl: etree._Element, index: int) -> None:
        for r, tr in enumerate(_content(tbl, "tr"), start=1):
            for c, tc in enumerate(_content(tr, "tc"), start=1):
                where = Where("cell", table=index, row=r, col=c, section=self.section)
                for child in _content(tc):
                    if child.tag == w("p"):
                        self.add(child, where)
                    elif child.tag == w("tbl"):
                        self.table(child, index)

    def add(self, p: etree._Element, where: Where) -> Para:
        spans = []
        for r in p.iter(w("r")):
            if _owner(r) is not p:
                continue
            text = nfc(_run_text(r))
            if text:
                span = self.styles.span(r, p, text)
                if span is not None:
                    spans.append(span)
        sizes = [s.size for s in spans if s.text.strip()]
        fmt = self.styles.para_format(p, sizes[0] if sizes else 13.0)
        para = Para(p, tuple(spans), "".join(s.text for s in spans), where, fmt, len(self.paras))
        para.pieces = list(_pieces(para))
        self.paras.append(para)
        for box in p.iter(w("txbxContent")):
            fallback = any(a.tag == _MC_FALLBACK for a in box.iterancestors())
            if not fallback and _owner(box) is p:  # mc:Fallback repeats the same text box
                self.walk(box, Where("textbox", section=where.section))
        return para


def _content(el: etree._Element, tag: str | None = None) -> Iterator[etree._Element]:
    """Yield the children of ``el`` (of ``tag``), looking through content-control wrappers."""
    for child in el:
        if child.tag in _WRAPPERS:
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                yield from _content(inner, tag)
        elif tag is None or child.tag == w(tag):
            yield child


def _owner(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors(w("p")), None)


def _run_text(r: etree._Element) -> str:
    parts = []
    for child in r:
        tag = child.tag
        if tag == w("t"):
            parts.append(child.text or "")
        elif tag in (w("tab"), w("ptab")):
            parts.append("\t")
        elif tag in (w("br"), w("cr")):
            parts.append("\n")
        elif tag == w("noBreakHyphen"):
            parts.append("-")
    return "".join(parts)


def _pieces(para: Para) -> Iterator[Piece]:
    line = col = 0
    text: list[str] = []
    spans: list[Span] = []

    def close() -> Piece | None:
        joined = "".join(text).strip()
        piece = Piece(joined, visible(tuple(spans)), para, line, col) if joined else None
        text.clear()
        spans.clear()
        return piece

    for span in para.spans:
        chunk = ""
        for ch in span.text:
            if ch in "\n\t":
                if chunk:
                    text.append(chunk)
                    spans.append(replace(span, text=chunk))
                    chunk = ""
                if (piece := close()) is not None:
                    yield piece
                if ch == "\n":
                    line, col = line + 1, 0
                else:
                    col += 1
            else:
                chunk += ch
        if chunk:
            text.append(chunk)
            spans.append(replace(span, text=chunk))
    if (piece := close()) is not None:
        yield piece


def _cell_width(tc: etree._Element) -> int | None:
    """Return the width of a table cell's text area in twips (grid width minus margins)."""
    tr = next(tc.iterancestors(w("tr")), None)
    tbl = next(tc.iterancestors(w("tbl")), None)
    width = None
    if tr is not None and tbl is not None:
        grid = [twips(g.get(w("w"))) or 0 for g in tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")]
        start = _int_at(tr, "trPr", "gridBefore", default=0)
        for cell in _content(tr, "tc"):
            span = _int_at(cell, "tcPr", "gridSpan", default=1)
            if cell is tc:
                if start + span <= len(grid):
                    width = sum(grid[start : start + span])
                break
            start += span
    if not width:
        tcw = tc.find(f"{w('tcPr')}/{w('tcW')}")
        if tcw is not None and tcw.get(w("type")) in (None, "dxa"):
            width = twips(tcw.get(w("w")))
    if not width:
        return None
    return width - _cell_margin(tc, tbl, "left", "start") - _cell_margin(tc, tbl, "right", "end")


def _int_at(el: etree._Element, holder: str, tag: str, *, default: int) -> int:
    found = el.find(f"{w(holder)}/{w(tag)}")
    value = twips(found.get(w("val"))) if found is not None else None
    return default if value is None else value


def _cell_margin(tc: etree._Element, tbl: etree._Element | None, *sides: str) -> int:
    holders = [tc.find(f"{w('tcPr')}/{w('tcMar')}")]
    if tbl is not None:
        holders.append(tbl.find(f"{w('tblPr')}/{w('tblCellMar')}"))
    for holder in holders:
        if holder is None:
            continue
        for side in sides:
            el = holder.find(w(side))
            if el is not None and el.get(w("type")) in (None, "dxa"):
                value = twips(el.get(w("w")))
                if value is not None:
                    return value
    return DEFAULT_CELL_MARGIN


def has_line_shape(p: etree._Element) -> bool:
    """Return True if paragraph ``p`` anchors a drawn shape that is not a picture."""
    for drawing in p.iter(w("drawing")):
        if next(drawing.iter(_PIC), None) is None:
            return True
    for pict in p.iter(w("pict")):
        for tag in ("line", "shape", "rect"):
            if next(pict.iter(f"{{{_VML}}}{tag}"), None) is not None:
                return True
    return False
