"""WordprocessingML building helpers over python-docx: paragraphs, runs, rules, tables, pages.

The lower layer of the template builder: it knows Word's XML, not Decree 30. The
Decree-30 elements assembled from these helpers live in ``docgen.rendering.blocks``.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from docgen.rendering.layout import MARGINS_MM, PAGE_A4_MM, mm

FONT = "Times New Roman"
BODY_PT = 14

Container = Document | _Cell

LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


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
