"""The shared blocks of every DOCX template: page setup, header, title, body, signer, recipients.

Each function appends one Decree-30 element (Appendix I) to a python-docx document, with
docxtpl tags where the data goes. Every template is assembled from these functions by
``docgen.rendering.builder``, so the header, the signer block and the recipient blocks
exist in exactly one place.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from docgen.rendering.layout import (
    HEADER_LEFT_MM,
    HEADER_RIGHT_MM,
    MARGINS_MM,
    PAGE_A4_MM,
    SIGNER_LEFT_MM,
    SIGNER_RIGHT_MM,
    TEXT_WIDTH_MM,
    mm,
    rule_indent,
)

FONT = "Times New Roman"
BODY_PT = 14
FIRST_LINE_MM = 12.7  # 1.27 cm
LINE_SPACING = 1.15  # Decree: single to 1.5 lines
AFTER_PT = 6  # Decree: at least 6 pt between paragraphs
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

Container = Document | _Cell

LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- low-level helpers ------------------------------------------------------------------------


def _fonts(rpr_parent) -> None:
    """Name Times New Roman for every script slot, overriding theme fonts."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def para(
    container: Container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=CENTER,
    first_line: float | None = None,
    left: float | None = None,
    after: float = 0,
    before: float = 0,
    line: float = 1.0,
    keep_next: bool = False,
) -> Paragraph:
    """Return a new paragraph holding ``text`` in one run, formatted as asked (sizes in pt, mm)."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = line
    if first_line is not None:
        fmt.first_line_indent = Mm(first_line)
    if left is not None:
        fmt.left_indent = Mm(left)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        add_run(p, text, size=size, bold=bold, italic=italic)
    else:
        _mark_size(p, size)
    return p


def add_run(p: Paragraph, text: str, *, size: float = BODY_PT, bold=False, italic=False):
    """Return a run of ``text`` appended to ``p``; spaces in the text are preserved."""
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.name = FONT
    _fonts(run._r)
    for t in run._r.findall(qn("w:t")):
        t.set(qn("xml:space"), "preserve")
    return run


def _mark_size(p: Paragraph, size: float) -> None:
    """Give an empty paragraph's mark a size, so empty lines are as tall as the text around."""
    ppr = p._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    ppr.append(rpr)


def tag(container: Container, text: str) -> Paragraph:
    """Return a paragraph holding only a docxtpl paragraph tag such as ``{%p for … %}``."""
    return container.add_paragraph(text)


def rule(container: Container, indent: str | int, *, size: float = 2, before: float = 0) -> None:
    """Append a horizontal rule: an empty paragraph with a top border, shortened by indents.

    ``indent`` is twips on each side, or a docxtpl expression computed at render time.
    """
    p = para(container, size=size, before=before)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        top.set(qn(k), v)
    bdr.append(top)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(indent))
    ind.set(qn("w:right"), str(indent))
    # schema order: pBdr and ind come before jc/rPr
    jc = ppr.find(qn("w:jc"))
    (jc.addprevious if jc is not None else ppr.append)(bdr)
    ind_anchor = ppr.find(qn("w:jc"))
    (ind_anchor.addprevious if ind_anchor is not None else ppr.append)(ind)
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")


def grid_table(container: Container, widths_mm: list[float], rows: int = 1) -> Table:
    """Return a borderless fixed-layout table with the given column widths."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(mm(w) for w in widths_mm)))
    width.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(width)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    for col, w in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(w)
    return table


def bordered(table: Table) -> Table:
    """Return ``table`` with single black borders on every cell (data tables)."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}.items():
            el.set(qn(k), v)
        borders.append(el)
    table._tbl.tblPr.append(borders)
    return table


def repeat_header(row) -> None:
    """Mark a table row as a header row repeated at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)
    cant = OxmlElement("w:cantSplit")
    tr_pr.append(cant)


def first_paragraph(cell: _Cell) -> Paragraph:
    """Return the paragraph a new cell starts with (removed where it would add a blank line)."""
    return cell.paragraphs[0]


def drop_first_paragraph(cell: _Cell) -> None:
    """Remove the empty paragraph every new cell starts with, once the cell has content."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) > 1 and not first.text:
        first._p.getparent().remove(first._p)


# --- document setup ---------------------------------------------------------------------------


def setup_document(doc: Document, *, landscape: bool = False, page_numbers: bool = True) -> None:
    """Set A4, Decree margins, Times New Roman defaults and the page-number header."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(lang)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
    for style in doc.styles:
        if getattr(style, "font", None) is not None and style.type == 1:  # paragraph styles
            style.font.name = FONT
            _fonts(style.element)
    section = doc.sections[0]
    page_setup(section, landscape=landscape, page_numbers=page_numbers)
    props = doc.core_properties
    props.author = "docgen"
    props.title = ""
    props.comments = ""
    props.language = "vi-VN"


def page_setup(section, *, landscape: bool, page_numbers: bool) -> None:
    """Set the section's paper, margins and page-number header (none on page 1)."""
    width, height = PAGE_A4_MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    if page_numbers:
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        _page_number(section.header.paragraphs[0])


def new_section(doc: Document, *, landscape: bool) -> None:
    """Start a new page section (e.g. a landscape table after a portrait cover)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=landscape, page_numbers=False)


def page_break(doc: Document) -> None:
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)


def _page_number(p: Paragraph) -> None:
    """Put a centred PAGE field (13 pt) into a header paragraph."""
    p.paragraph_format.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "26")
    rpr.extend([fonts, sz])
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend([rpr, text])
    field.append(run)
    p._p.append(field)


# --- Decree-30 elements -----------------------------------------------------------------------


def header_block(doc: Document, *, numbered: bool = True, vv: bool = False) -> None:
    """Append ô 1–4 (and 5b): organisation | Quốc hiệu, then number | date line, then V/v."""
    table = grid_table(doc, [HEADER_LEFT_MM, HEADER_RIGHT_MM], rows=2)
    org, nation = table.rows[0].cells
    tag(org, "{%p for line in header.parent_lines %}")
    para(org, "{{ line }}", size=13)
    tag(org, "{%p endfor %}")
    tag(org, "{%p for line in header.issuer_lines %}")
    para(org, "{{ line }}", size=13, bold=True)
    tag(org, "{%p endfor %}")
    rule(org, "{{ header.issuer_rule }}")
    drop_first_paragraph(org)

    para(nation, NATIONAL, size=12, bold=True)
    para(nation, MOTTO, size=13, bold=True)
    rule(nation, rule_indent(MOTTO, 13, HEADER_RIGHT_MM, fraction=1.0))
    drop_first_paragraph(nation)

    number, dateline = table.rows[1].cells
    if numbered:
        para(number, "{{ header.number_line }}", size=13, before=6)
    if vv:
        para(number, "V/v {{ summary }}", size=12, before=6)
    drop_first_paragraph(number)
    para(dateline, "{{ header.date_line }}", size=14, italic=True, before=6)
    drop_first_paragraph(dateline)


def title_block(
    doc: Document,
    *,
    title: str = "{{ title }}",
    summary: str = "{{ summary }}",
    sub: str | None = None,
) -> None:
    """Append ô 5a: the document type in capitals, the trích yếu, a short rule."""
    para(doc, title, size=14, bold=True, before=18, keep_next=True)
    if summary:
        para(doc, summary, size=14, bold=True, keep_next=True)
    if sub:
        para(doc, sub, size=14, italic=True, keep_next=True)
    rule(doc, "{{ summary_rule }}", before=2)


def kinh_gui_block(doc: Document) -> None:
    """Append ô 9a: ``Kính gửi:`` with one recipient inline, or several as a dash list."""
    tag(doc, "{%p if kinh_gui.inline %}")
    para(doc, "Kính gửi: {{ kinh_gui.inline }}", size=14, before=6, after=6)
    tag(doc, "{%p else %}")
    para(doc, "Kính gửi:", size=14, align=LEFT, left=30, before=6)
    tag(doc, "{%p for item in kinh_gui.lines %}")
    para(doc, "{{ item }}", size=14, align=LEFT, left=53)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")


def basis_block(doc: Document, var: str = "basis") -> None:
    """Append the căn cứ lines: italic, indented like the body, one per paragraph."""
    tag(doc, f"{{%p for line in {var} %}}")
    _body_para(doc, "{{ line }}", italic=True)
    tag(doc, "{%p endfor %}")


def _body_para(container: Container, text: str = "", *, bold=False, italic=False) -> Paragraph:
    return para(
        container,
        text,
        size=BODY_PT,
        bold=bold,
        italic=italic,
        align=JUSTIFY,
        first_line=FIRST_LINE_MM,
        after=AFTER_PT,
        line=LINE_SPACING,
    )


def _runs_para(container: Container, *, italic: bool = False) -> None:
    """Append a body paragraph whose runs come from ``b.runs`` (bold where marked ``**``)."""
    p = _body_para(container)
    for text, bold in (
        ("{%r for r in b.runs %}", False),
        ("{%r if r.bold %}", False),
        ("{{ r.text }}", True),
        ("{%r else %}", False),
        ("{{ r.text }}", False),
        ("{%r endif %}", False),
        ("{%r endfor %}", False),
    ):
        add_run(p, text, bold=bold, italic=italic)


def body_block(doc: Document, var: str = "body") -> None:
    """Append the content loop: sections and headings bold, điểm titles italic, the rest plain."""
    tag(doc, f"{{%p for b in {var} %}}")
    tag(doc, "{%p if b.kind in ('section', 'heading') %}")
    _body_para(doc, "{{ b.plain }}", bold=True)
    tag(doc, "{%p elif b.kind in ('subheading', 'basis') %}")
    _runs_para(doc, italic=True)
    tag(doc, "{%p else %}")
    _runs_para(doc)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def dash_list(doc: Document, var: str) -> None:
    """Append one justified body paragraph per string of ``var`` (already prefixed)."""
    tag(doc, f"{{%p for line in {var} %}}")
    _body_para(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")


def heading(doc: Document, text: str) -> None:
    """Append a fixed bold section heading (``I. …``) in body style."""
    _body_para(doc, text, bold=True)


def signer_block(doc: Document, *, noi_nhan: bool = True) -> None:
    """Append ô 7 and 9b: Nơi nhận on the left, the signer's authority lines and name right."""
    para(doc, size=8)  # the space above the block, so Nơi nhận and the signer start level
    table = grid_table(doc, [SIGNER_LEFT_MM, SIGNER_RIGHT_MM], rows=1)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page, whole
    left, right = table.rows[0].cells
    if noi_nhan:
        para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
        tag(left, "{%p for line in noi_nhan %}")
        para(left, "{{ line }}", size=11, align=LEFT)
        tag(left, "{%p endfor %}")
    drop_first_paragraph(left)
    tag(right, "{%p for line in signer.lines %}")
    para(right, "{{ line }}", size=14, bold=True)
    tag(right, "{%p endfor %}")
    for _ in range(4):
        para(right, size=14)
    para(right, "{{ signer.name }}", size=14, bold=True)
    drop_first_paragraph(right)


def data_table(
    doc: Document,
    columns: list[tuple[str, float]],
    cells: list[str],
    var: str,
    *,
    size: float = 12,
    numbered_row: bool = False,
) -> Table:
    """Append a bordered table: a repeated header row, then one row per item of ``var``.

    ``cells`` are the docxtpl expressions of one data row, in column order.
    """
    extra = 1 if numbered_row else 0
    table = bordered(grid_table(doc, [w for _, w in columns], rows=4 + extra))
    header = table.rows[0]
    repeat_header(header)
    for cell, (label, _) in zip(header.cells, columns, strict=True):
        first_paragraph(cell).text = ""
        _cell_text(cell, label, size=size, bold=True)
    if numbered_row:
        repeat_header(table.rows[1])
        for i, cell in enumerate(table.rows[1].cells, start=1):
            _cell_text(cell, f"({i})", size=size - 1, italic=True)
    start, row, end = table.rows[1 + extra : 4 + extra]
    _cell_text(start.cells[0], f"{{%tr for r in {var} %}}", size=size)
    for cell, expr, (_, width) in zip(row.cells, cells, columns, strict=True):
        # wide columns hold running text (left); narrow ones numbers and codes (centred)
        _cell_text(cell, expr, size=size, align=LEFT if width >= 30 else CENTER)
    _cell_text(end.cells[0], "{%tr endfor %}", size=size)
    para(doc, size=6)  # a little air between the table and what follows
    return table


def _cell_text(cell: _Cell, text: str, *, size: float, bold=False, italic=False, align=CENTER):
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = Pt(3)
    p.paragraph_format.space_after = Pt(3)
    add_run(p, text, size=size, bold=bold, italic=italic)


def full_width() -> float:
    return TEXT_WIDTH_MM
