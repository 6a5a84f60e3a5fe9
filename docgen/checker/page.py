"""Page checks: paper, orientation, margins, fonts and colour everywhere, page numbers."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby

from docx.oxml.ns import qn
from docx.table import Table
from lxml import etree

from docgen.checker.docx_read import DocxView, Para, Where, one_para, part_paras, visible
from docgen.checker.formatting import Align, attr, on_off, w
from docgen.checker.metrics import text_width_pt
from docgen.checker.model import Report, mm, sizes_text
from docgen.checker.structure import Structure

FONT = "Times New Roman"
A4_MM = (210.0, 297.0)
PAPER_TOLERANCE_MM = 1.0
MARGINS_MM = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
_MARGIN_NAMES = {"top": "Lề trên", "bottom": "Lề dưới", "left": "Lề trái", "right": "Lề phải"}
_EMU_PER_MM = 36000
_PAGE_FIELD = re.compile(r"^\s*PAGE(\s|\\|$)", re.IGNORECASE)
_SINGLE_LINE = 1.15  # a single line of Times New Roman is about 1.15 × the font size
_ONE_PAGE_SLACK = 0.15  # estimated length within ±15 % of one page is "maybe one page"


def check_page(view: DocxView, s: Structure, report: Report) -> None:
    """Report paper size, orientation and margins of every section."""
    sections = view.document.sections
    for i, section in enumerate(sections):
        where = "toàn văn bản" if len(sections) == 1 else f"phần (section) {i + 1}"
        if section.page_width is None or section.page_height is None:
            report.error(
                "PL1.I.paper",
                where,
                "Văn bản không khai báo khổ giấy; quy định khổ A4 (210 mm × 297 mm)",
            )
            continue
        width, height = section.page_width / _EMU_PER_MM, section.page_height / _EMU_PER_MM
        short, long = sorted((width, height))
        if abs(short - A4_MM[0]) > PAPER_TOLERANCE_MM or abs(long - A4_MM[1]) > PAPER_TOLERANCE_MM:
            report.error(
                "PL1.I.paper",
                where,
                f"Khổ giấy {mm(width)} × {mm(height)}; quy định khổ A4 (210 mm × 297 mm)",
            )
        has_table = any(
            isinstance(item, Table) and is_data_table(view, item._tbl)
            for item in section.iter_inner_content()
        )
        if width > height and not has_table and not s.appendix:
            report.error(
                "PL1.I.orientation",
                where,
                "Trang nằm ngang nhưng không chứa bảng, biểu; "
                "quy định trình bày theo chiều dài khổ A4",
            )
        gutter = (section.gutter or 0) / _EMU_PER_MM
        for side, (low, high) in MARGINS_MM.items():
            value = getattr(section, f"{side}_margin")
            if value is None:
                continue
            margin = value / _EMU_PER_MM + (gutter if side == "left" else 0)
            if not low - 0.05 <= margin <= high + 0.05:
                report.error(
                    f"PL1.I.margins.{side}",
                    where,
                    f"{_MARGIN_NAMES[side]} {mm(margin)}; quy định {low}–{high} mm",
                )


def is_data_table(view: DocxView, tbl: etree._Element) -> bool:
    """Return True for a table of data (borders, a repeated header row or 3+ columns).

    The borderless 2-column tables that lay out the header and the signer block do not
    make a section a "table" section that may be landscape.
    """
    if tbl.find(f"{w('tr')}/{w('trPr')}/{w('tblHeader')}") is not None:
        return True
    if len(tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")) > 2:
        return True
    style_id = attr(tbl.find(f"{w('tblPr')}/{w('tblStyle')}"))
    holders = [tbl.find(f"{w('tblPr')}/{w('tblBorders')}"), *view.styles.table_borders(style_id)]
    for borders in holders:
        if borders is not None:
            return any((attr(edge) or "none") not in ("none", "nil") for edge in borders)
    return False


def header_footer_paras(view: DocxView) -> list[Para]:
    """Return the paragraphs of every header and footer part the sections use."""
    out: list[Para] = []
    seen: set[str] = set()
    for i, sect in enumerate(view.sectprs):
        for tag, kind in (("headerReference", "header"), ("footerReference", "footer")):
            for ref in sect.findall(w(tag)):
                part = _part(view, ref)
                if part is None or part.partname in seen:
                    continue
                seen.add(part.partname)
                out += part_paras(view.styles, part.element, Where(kind, section=i))
    return out


def check_fonts(view: DocxView, extra: list[Para], report: Report) -> None:
    """Report every font other than Times New Roman and every colour other than black."""
    # Paragraphs keyed by identity, in reading order: a membership test stays O(1).
    fonts: dict[str, dict[int, Para]] = defaultdict(dict)
    colors: dict[str, dict[int, Para]] = defaultdict(dict)
    for para in [*view.paras, *extra]:
        for span in visible(para.spans):
            for font in span.fonts:
                if font.casefold() != FONT.casefold():
                    fonts[font].setdefault(id(para), para)
            if span.color is not None:
                colors[span.color].setdefault(id(para), para)
    for font, found in fonts.items():
        report.error(
            "PL1.I.font",
            _places(list(found.values())),
            f"Phông chữ “{font}” ở {len(found)} đoạn; quy định phông Times New Roman",
        )
    for color, found in colors.items():
        report.error(
            "PL1.I.color",
            _places(list(found.values())),
            f"Chữ màu {color} ở {len(found)} đoạn; quy định chữ màu đen",
        )


def _places(paras: list[Para], shown: int = 3) -> str:
    labels = [p.label() for p in paras[:shown]]
    rest = len(paras) - shown
    return "; ".join(labels) + (f" và {rest} chỗ khác" if rest > 0 else "")


def _part(view: DocxView, ref: etree._Element):
    rid = ref.get(qn("r:id"))
    try:
        return view.document.part.related_parts[rid]
    except KeyError:
        return None


def _header_of(view: DocxView, section: int, tag: str, kind: str) -> etree._Element | None:
    """Return the header/footer part element of ``kind`` in force for ``section``."""
    for sect in reversed(view.sectprs[: section + 1]):
        for ref in sect.findall(w(tag)):
            if ref.get(w("type")) == kind:
                part = _part(view, ref)
                return part.element if part is not None else None
    return None


def _page_fields(root: etree._Element | None) -> list[etree._Element]:
    """Return the paragraphs of ``root`` that hold a PAGE field."""
    if root is None:
        return []
    found = []
    for el in root.iter(w("fldSimple"), w("instrText")):
        instr = el.get(w("instr")) if el.tag == w("fldSimple") else el.text or ""
        if _PAGE_FIELD.match(instr or ""):
            p = next(el.iterancestors(w("p")), None)
            if p is not None and p not in found:
                found.append(p)
    return found


def check_page_numbers(view: DocxView, report: Report) -> None:
    """Report a missing, misplaced, wrongly sized page number, or one shown on page 1."""
    first_sect = view.sectprs[0] if view.sectprs else None
    title_pg = first_sect is not None and bool(on_off(first_sect.find(w("titlePg"))))
    headers = [_header_of(view, i, "headerReference", "default") for i in range(len(view.sectprs))]
    footers = [
        _header_of(view, i, "footerReference", k)
        for i in range(len(view.sectprs))
        for k in ("default", "first", "even")
    ]
    in_headers = [
        p for h in dict.fromkeys(x for x in headers if x is not None) for p in _page_fields(h)
    ]
    in_footers = [
        p for f in dict.fromkeys(x for x in footers if x is not None) for p in _page_fields(f)
    ]
    where = "đầu trang"
    if not in_headers:
        if in_footers:
            report.error(
                "PL1.I.page-number.position",
                "chân trang",
                "Số trang đặt ở chân trang; quy định canh giữa trong phần lề trên",
            )
            return
        pages = estimate_pages(view)
        if pages > 1 + _ONE_PAGE_SLACK:
            report.error(
                "PL1.I.page-number.missing",
                where,
                f"Văn bản khoảng {math.ceil(pages)} trang nhưng không đánh số trang "
                "(trường PAGE ở đầu trang); quy định đánh số từ trang 2, canh giữa "
                "lề trên",
            )
        elif pages > 1 - _ONE_PAGE_SLACK:
            report.warning(
                "PL1.I.page-number.missing",
                where,
                "Văn bản dài xấp xỉ một trang và không đánh số trang; nếu sang trang 2 "
                "thì phải đánh số ở lề trên",
            )
        return
    first_page = _header_of(view, 0, "headerReference", "first") if title_pg else headers[0]
    first_footer = _header_of(view, 0, "footerReference", "first" if title_pg else "default")
    if _page_fields(first_page) or _page_fields(first_footer):
        report.error(
            "PL1.I.page-number.first-page",
            "trang 1",
            "Số trang hiển thị ở trang 1; quy định không hiển thị số trang thứ nhất "
            "(chọn “Different First Page”)",
        )
    for p in in_headers:
        para = one_para(view.styles, p, Where("header"))
        before_field = _text_before_field(p)
        if para.fmt.align != Align.CENTER and "\t" not in before_field:
            report.error(
                "PL1.I.page-number.position",
                where,
                "Số trang không canh giữa; quy định canh giữa theo chiều ngang lề trên",
            )
        spans = visible(para.spans) or para.spans
        sizes = [sp.size for sp in spans] or [view.styles.span(p, p, "1").size]
        bad = [x for x in sizes if not 12.95 <= x <= 14.05]
        if bad:
            report.error(
                "PL1.I.page-number.size",
                where,
                f"Số trang cỡ chữ {sizes_text(bad)}; quy định 13–14 pt",
            )
        if any(sp.italic or sp.bold for sp in spans):
            report.error(
                "PL1.I.page-number.style",
                where,
                "Số trang in nghiêng hoặc đậm; quy định kiểu chữ đứng",
            )
    for sect in view.sectprs:
        fmt = attr(sect.find(w("pgNumType")), "fmt")
        if fmt not in (None, "decimal"):
            report.error(
                "PL1.I.page-number.format",
                where,
                f"Số trang dạng “{fmt}”; quy định chữ số Ả Rập (1, 2, 3…)",
            )
            break


def _text_before_field(p: etree._Element) -> str:
    """Return the text of ``p`` that comes before its first field (to spot a centring tab)."""
    text = []
    for el in p.iter(w("t"), w("tab"), w("fldSimple"), w("fldChar")):
        if el.tag in (w("fldSimple"), w("fldChar")):
            break
        text.append("\t" if el.tag == w("tab") else el.text or "")
    return "".join(text)


def estimate_pages(view: DocxView) -> float:
    """Return a rough page count from the text's length, the fonts and the page's text area."""
    pages, used, section = 0.0, 0.0, 0
    height = _text_height_pt(view, 0)
    for block_height, block_section, page_break in _blocks(view):
        if block_section != section:  # a section break starts a new page
            pages += math.ceil(used / height) if used else 0
            used, section = 0.0, block_section
            height = _text_height_pt(view, section)
        if page_break and used:
            used = math.ceil(used / height) * height
        used += block_height
    return pages + used / height


def _blocks(view: DocxView) -> Iterator[tuple[float, int, bool]]:
    """Yield (height in pt, section, page break before) per paragraph or table row."""

    def row_key(p: Para) -> tuple | None:
        return (p.where.table, p.where.row) if p.where.kind == "cell" else None

    flowing = (p for p in view.paras if p.where.kind != "textbox")
    for key, group in groupby(flowing, key=row_key):
        if key is None:
            for p in group:
                breaks = p.el.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None or any(
                    br.get(w("type")) == "page" for br in p.el.iter(w("br"))
                )
                yield _para_height(view, p), p.where.section, breaks
        else:
            cells: dict[int | None, float] = defaultdict(float)
            paras = list(group)
            for p in paras:
                cells[p.where.col] += _para_height(view, p)
            yield max(cells.values()), paras[0].where.section, False


def _para_height(view: DocxView, para: Para) -> float:
    width_pt = (view.container_width(para) or 9000) / 20
    spans = visible(para.spans)
    size = max((s.size for s in spans), default=13.0)
    text_pt = sum(text_width_pt(s.text, s.size, bold=s.bold) for s in para.spans)
    lines = max(1, math.ceil(text_pt / max(width_pt, 36)), para.text.count("\n") + 1)
    fmt = para.fmt
    line = size * _SINGLE_LINE * fmt.line if fmt.line_rule == "auto" else fmt.line
    if fmt.line_rule == "atLeast":
        line = max(line, size * _SINGLE_LINE)
    return lines * line + fmt.before_pt + fmt.after_pt


def _text_height_pt(view: DocxView, section: int) -> float:
    s = view.document.sections[min(section, len(view.document.sections) - 1)]
    if s.page_height is None:
        return 700.0
    return max(72.0, (s.page_height - (s.top_margin or 0) - (s.bottom_margin or 0)) / 12700)
