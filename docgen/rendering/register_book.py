"""The outgoing register (Sổ đăng ký văn bản đi, Decree 30 Appendix IV) as DOCX and XLSX.

The book is printed from plain rows, whatever store they come from: the DOCX goes through the
same template pipeline as every document (template ``so-dang-ky-di``), the XLSX through
openpyxl with the same ten columns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from docgen.domain import Organisation
from docgen.rendering.blocks import book_header_context
from docgen.rendering.documents import DocumentRenderer

COLUMNS = (
    ("number_symbol", "Số, ký hiệu văn bản", 16),
    ("date", "Ngày tháng văn bản", 12),
    ("summary", "Tên loại và trích yếu nội dung văn bản", 50),
    ("signer", "Người ký", 20),
    ("recipients", "Nơi nhận văn bản", 30),
    ("archive_unit", "Đơn vị, người nhận bản lưu", 16),
    ("copies", "Số lượng bản", 9),
    ("sent_date", "Ngày chuyển", 12),
    ("receipt", "Ký nhận", 10),
    ("note", "Ghi chú", 20),
)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register: the ten columns of Appendix IV, as printed."""

    number_symbol: str
    date: str
    summary: str
    signer: str = ""
    recipients: str = ""
    archive_unit: str = ""
    copies: str = ""
    sent_date: str = ""
    receipt: str = ""
    note: str = ""


@dataclass(frozen=True)
class RegisterBook:
    issuer: Organisation
    year: int
    rows: Sequence[RegisterRow]
    first_date: date | None = None
    last_date: date | None = None
    first_number: int | None = None
    last_number: int | None = None
    volume: str = "01"
    # "<register> <position> <hash>" of the register's last link when printed: the anchor
    # ``docgen verify --anchor`` checks later (docgen/services/anchors.py)
    chain_head: str | None = None

    def cover_fields(self) -> dict[str, object]:
        def dmy(d: date | None) -> str:
            return d.strftime("%d/%m/%Y") if d else "…"

        def num(n: int | None) -> str:
            return f"{n:02d}" if n is not None else "…"

        return {
            "year": self.year,
            "date_from": dmy(self.first_date),
            "date_to": dmy(self.last_date),
            "number_from": num(self.first_number),
            "number_to": num(self.last_number),
            "volume": self.volume,
        }


def book_docx(renderer: DocumentRenderer, book: RegisterBook) -> bytes:
    """Return the register book as DOCX: cover page, then the 10-column table."""
    context = {
        "header": book_header_context(book.issuer, 252),
        "fields": {**book.cover_fields(), "rows": []},
        "rows": [asdict(row) for row in book.rows],
        "chain_head": book.chain_head,
    }
    return renderer.render_raw("so-dang-ky-di", context)


def book_xlsx(book: RegisterBook) -> bytes:
    """Return the register book as an XLSX workbook with the same columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = f"Sổ văn bản đi {book.year}"
    issuer = " ".join(book.issuer.header_lines)
    ws.append([f"SỔ ĐĂNG KÝ VĂN BẢN ĐI — {issuer} — Năm {book.year}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=14)
    ws.append([label for _, label, _ in COLUMNS])
    ws.append([f"({i})" for i in range(1, len(COLUMNS) + 1)])
    thin = Side(style="thin")
    for cell in (*ws[2], *ws[3]):
        cell.font = Font(name="Times New Roman", bold=cell.row == 2, size=11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for row in book.rows:
        values = asdict(row)
        ws.append([values[key] for key, _, _ in COLUMNS])
        for cell in ws[ws.max_row]:
            cell.font = Font(name="Times New Roman", size=11)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    if book.chain_head:
        ws.append([])
        ws.append([f"Đầu chuỗi băm khi in sổ (mã sổ, vị trí, mã băm SHA-256): {book.chain_head}"])
        ws.cell(ws.max_row, 1).font = Font(name="Times New Roman", italic=True, size=10)
    for i, (_, _, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "2:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
