"""The Mục lục văn bản (list of the documents in a file, Decree 30 Appendix V §IV) as DOCX and XLSX.

The same list document prints a search's result list ("DANH SÁCH VĂN BẢN"): one template.

It goes with a transfer export: one line per document in register order, the seven columns of
Appendix V. The DOCX comes from the template ``muc-luc-van-ban`` through the one template
pipeline (``build_item_list`` is its builder in ``docgen build-templates``); the XLSX through
openpyxl with the same columns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from docx.document import Document as DocxDocument

from docgen.domain import Organisation
from docgen.rendering import blocks as b
from docgen.rendering import wordml as w
from docgen.rendering.documents import DocumentRenderer
from docgen.rendering.layout import LANDSCAPE_TEXT_WIDTH_MM

COLUMNS = (
    ("index", "STT", 6),
    ("number_symbol", "Số, ký hiệu văn bản", 18),
    ("date", "Ngày tháng năm văn bản", 14),
    ("summary", "Tên loại và trích yếu nội dung văn bản", 60),
    ("author", "Tác giả văn bản", 30),
    ("pages", "Tờ số/Trang số", 12),
    ("note", "Ghi chú", 20),
)


@dataclass(frozen=True)
class ItemRow:
    index: str
    number_symbol: str
    date: str
    summary: str
    author: str
    pages: str = ""
    note: str = ""


@dataclass(frozen=True)
class ItemList:
    issuer: Organisation
    year: int
    title: str  # the file's title: "Văn bản đi năm 2017 của …"
    rows: Sequence[ItemRow]
    heading: str = "MỤC LỤC VĂN BẢN"  # a search's result list: "DANH SÁCH VĂN BẢN"


def build_item_list(doc: DocxDocument) -> None:
    """Build the ``muc-luc-van-ban`` template: issuer header, title, the seven columns."""
    w.setup_document(doc, landscape=True, page_numbers=True)
    b.book_header(doc)
    w.para(doc, "{{ fields.heading }}", size=14, bold=True, before=24, after=6)
    w.para(doc, "{{ fields.title }}", size=14, bold=True, after=12)
    widths = [width for _, _, width in COLUMNS]
    scale = LANDSCAPE_TEXT_WIDTH_MM / sum(widths)
    b.data_table(
        doc,
        [(label, width * scale) for _, label, width in COLUMNS],
        [f"{{{{ r.{key} }}}}" for key, _, _ in COLUMNS],
        "rows",
        size=11,
        numbered_row=True,
    )
    w.para(doc, "Mục lục này có {{ rows|length }} văn bản.", size=13, italic=True, before=12)


def item_list_docx(renderer: DocumentRenderer, items: ItemList) -> bytes:
    """Return the Mục lục văn bản as DOCX."""
    context = {
        "header": b.book_header_context(items.issuer, 252),
        "fields": {"heading": items.heading, "title": items.title, "year": items.year, "rows": []},
        "rows": [asdict(row) for row in items.rows],
    }
    return renderer.render_raw("muc-luc-van-ban", context)


def item_list_xlsx(items: ItemList) -> bytes:
    """Return the Mục lục văn bản as an XLSX workbook with the same columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"Mục lục {items.year}"
    ws.append([f"{items.heading} — {items.title}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws.append([label for _, label, _ in COLUMNS])
    thin = Side(style="thin")
    for row in items.rows:
        values = asdict(row)
        ws.append([values[key] for key, _, _ in COLUMNS])
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.font = Font(name="Times New Roman", bold=cell.row == 2, size=11)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
