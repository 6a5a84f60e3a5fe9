"""The shared blocks of every DOCX template: header, title, body, signer, recipients, tables.

Each function appends one Decree-30 element (Appendix I) to a python-docx document, with
docxtpl tags where the data goes. Every template is assembled from these functions by
``docgen.rendering.builder``, so the header, the signer block and the recipient blocks
exist in exactly one place. Word-level helpers are in ``docgen.rendering.wordml``.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from docgen.rendering.layout import (
    HEADER_LEFT_MM,
    HEADER_RIGHT_MM,
    SIGNER_LEFT_MM,
    SIGNER_RIGHT_MM,
    rule_indent,
)
from docgen.rendering.wordml import (
    BODY_PT,
    CENTER,
    JUSTIFY,
    LEFT,
    Container,
    add_run,
    bordered,
    drop_first_paragraph,
    grid_table,
    para,
    repeat_header,
    rule,
    tag,
)

FIRST_LINE_MM = 12.7  # 1.27 cm
LINE_SPACING = 1.15  # Decree: single to 1.5 lines
AFTER_PT = 6  # Decree: at least 6 pt between paragraphs
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


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
