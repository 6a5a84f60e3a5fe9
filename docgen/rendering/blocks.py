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

from docgen.domain import Organisation
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
    RIGHT,
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
from docgen.rules.recipients import END_MARK

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


def _body_para(
    container: Container, text: str = "", *, bold=False, italic=False, keep_next=False
) -> Paragraph:
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
        keep_next=keep_next,
    )


def _runs_para(container: Container, *, italic: bool = False, keep_next: bool = False) -> None:
    """Append a body paragraph whose runs come from ``b.runs`` (bold where marked ``**``)."""
    p = _body_para(container, keep_next=keep_next)
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


def body_block(doc: Document, var: str = "body", *, keep_last: bool = True) -> None:
    """Append the content loop: sections and headings bold, điểm titles italic, the rest plain.

    With ``keep_last`` the last block is kept with what follows (Word's keep-with-next), so
    the signer block never stands alone on a page: the loop is written twice, over
    ``var[:-1]`` and over ``var[-1:]``, because a paragraph's properties cannot depend on
    the data in a template that Word must still open.
    """
    if not keep_last:
        _body_loop(doc, var, keep_next=False)
        return
    _body_loop(doc, f"{var}[:-1]", keep_next=False)
    _body_loop(doc, f"{var}[-1:]", keep_next=True)


def _body_loop(doc: Document, items: str, *, keep_next: bool) -> None:
    tag(doc, f"{{%p for b in {items} %}}")
    tag(doc, "{%p if b.kind in ('section', 'heading') %}")
    _body_para(doc, "{{ b.plain }}", bold=True, keep_next=True)  # never last on a page
    tag(doc, "{%p elif b.kind in ('subheading', 'basis') %}")
    _runs_para(doc, italic=True, keep_next=keep_next)
    tag(doc, "{%p else %}")
    _runs_para(doc, keep_next=keep_next)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")


def dash_list(doc: Document, var: str, *, keep_last: bool = False) -> None:
    """Append one justified body paragraph per string of ``var`` (already prefixed).

    With ``keep_last`` the last line is kept with what follows, as in ``body_block``.
    """
    loops = [(f"{var}[:-1]", False), (f"{var}[-1:]", True)] if keep_last else [(var, False)]
    for items, keep_next in loops:
        tag(doc, f"{{%p for line in {items} %}}")
        _body_para(doc, "{{ line }}", keep_next=keep_next)
        tag(doc, "{%p endfor %}")


def end_mark_line(doc: Document) -> None:
    """Append the end mark ``./.`` on its own line, for content that ends with a table.

    Appendix III (Mẫu 2.1) ends an appendix's content with ``./.``; after a table there is
    no sentence to append it to. The line keeps with what follows (a signer block, if any).
    """
    para(doc, END_MARK, size=BODY_PT, align=RIGHT, after=AFTER_PT, keep_next=True)


def heading(doc: Document, text: str) -> None:
    """Append a fixed bold section heading (``I. …``) in body style, kept with what follows."""
    _body_para(doc, text, bold=True, keep_next=True)


def signer_block(doc: Document, *, noi_nhan: bool = True) -> None:
    """Append ô 7 and 9b: Nơi nhận on the left, the signer's authority lines and name right."""
    # The space above the block, so Nơi nhận and the signer start level; it keeps with the
    # table, as the last body paragraph keeps with it (``body_block``): no page holds only
    # the signer block and Nơi nhận.
    para(doc, size=8, keep_next=True)
    table = grid_table(doc, [SIGNER_LEFT_MM, SIGNER_RIGHT_MM], rows=1)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page, whole
    left, right = table.rows[0].cells
    if noi_nhan:
        para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, keep_next=True)
        tag(left, "{%p for line in noi_nhan %}")
        para(left, "{{ line }}", size=11, align=LEFT, keep_next=True)
        tag(left, "{%p endfor %}")
    drop_first_paragraph(left)
    tag(right, "{%p for line in signer.lines %}")
    para(right, "{{ line }}", size=14, bold=True, keep_next=True)
    tag(right, "{%p endfor %}")
    for _ in range(4):
        para(right, size=14, keep_next=True)
    para(right, "{{ signer.name }}", size=14, bold=True, keep_next=True)
    drop_first_paragraph(right)


def data_table(
    doc: Document,
    columns: list[tuple[str, float]],
    cells: list[str],
    var: str,
    *,
    size: float = 12,
    numbered_row: bool = False,
    keep_last: bool = False,
) -> Table:
    """Append a bordered table: a repeated header row, then one row per item of ``var``.

    ``cells`` are the docxtpl expressions of one data row, in column order. With
    ``keep_last`` the last row is kept with what follows (the end mark, the signer block),
    written as a second row loop over ``var[-1:]`` as in ``body_block``.
    """
    extra = 1 if numbered_row else 0
    loops = [(f"{var}[:-1]", False), (f"{var}[-1:]", True)] if keep_last else [(var, False)]
    table = bordered(grid_table(doc, [w for _, w in columns], rows=1 + extra + 3 * len(loops)))
    header = table.rows[0]
    repeat_header(header)
    for cell, (label, _) in zip(header.cells, columns, strict=True):
        _cell_text(cell, label, size=size, bold=True)
    if numbered_row:
        repeat_header(table.rows[1])
        for i, cell in enumerate(table.rows[1].cells, start=1):
            _cell_text(cell, f"({i})", size=size - 1, italic=True)
    for n, (items, keep_next) in enumerate(loops):
        first = 1 + extra + 3 * n
        start, row, end = table.rows[first : first + 3]
        _cell_text(start.cells[0], f"{{%tr for r in {items} %}}", size=size)
        for cell, expr, (_, width) in zip(row.cells, cells, columns, strict=True):
            # wide columns hold running text (left); narrow ones numbers and codes (centred)
            align = LEFT if width >= 30 else CENTER
            _cell_text(cell, expr, size=size, align=align, keep_next=keep_next)
        _cell_text(end.cells[0], "{%tr endfor %}", size=size)
    para(doc, size=6, keep_next=keep_last)  # a little air between the table and what follows
    return table


def _cell_text(
    cell: _Cell, text: str, *, size: float, bold=False, italic=False, align=CENTER, keep_next=False
):
    p = cell.paragraphs[0]
    p.paragraph_format.alignment = align
    p.paragraph_format.space_before = Pt(3)
    p.paragraph_format.space_after = Pt(3)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    add_run(p, text, size=size, bold=bold, italic=italic)


def book_header(doc: Document) -> None:
    """Append the heading of a book or list (sổ, mục lục): the body that keeps it — parent
    lines, then its own lines in bold, then the short rule — filled by ``book_header_context``."""
    tag(doc, "{%p for line in header.parent_lines %}")
    para(doc, "{{ line }}", size=13)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for line in header.issuer_lines %}")
    para(doc, "{{ line }}", size=13, bold=True)
    tag(doc, "{%p endfor %}")
    rule(doc, "{{ header.issuer_rule }}")


def book_header_context(issuer: Organisation, text_width_mm: float) -> dict[str, object]:
    """Return ``header`` for ``book_header``: the issuer's lines and its rule's indent."""
    lines = list(issuer.header_lines)
    return {
        "parent_lines": list(issuer.header_parent_lines),
        "issuer_lines": lines,
        "issuer_rule": rule_indent(
            max(lines, key=len, default=""), 13, text_width_mm, inside_cell=False
        ),
    }
