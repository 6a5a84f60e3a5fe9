"""The XLSX faces of the nominee list: the downloadable template and the error report.

The template has the list sheet ("Danh sách": the trích ngang columns with Vietnamese
headers and drop-down lists for kind, gender and classification), an instructions sheet
("Hướng dẫn") and the lists themselves ("Danh mục", referenced by the drop-downs because a
classification contains commas, which an inline list cannot hold).

The error report puts each row back at its own row number with a "Lỗi" column beside it and
the faulty cells highlighted, so the clerk corrects that file and imports it again (the
importer ignores the "Lỗi" column).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.rules.nominations import (
    CLASSES,
    COLLECTIVE,
    COLUMNS,
    GENDER_LABELS,
    INDIVIDUAL,
    KIND_LABELS,
)
from docgen.services.nomination_import import ERROR_HEADER, SHEET_NAME, ImportResult

LIST_SHEET = "Danh mục"
HELP_SHEET = "Hướng dẫn"
TEMPLATE_ROWS = 2000  # rows covered by the drop-down lists
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _header(sheet: Any, row: int = 1) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=row, column=index, value=column.header)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def _list_validation(sheet: Any, column_key: str, source: str, title: str) -> None:
    index = next(i for i, c in enumerate(COLUMNS, start=1) if c.key == column_key)
    letter = get_column_letter(index)
    rule = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
    rule.errorTitle, rule.error = title, f"Hãy chọn {title.lower()} trong danh sách."
    rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(rule)


def build_template() -> bytes:
    """Return the XLSX template users fill in (its headers are what the importer reads)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    _header(sheet)
    lists = book.create_sheet(LIST_SHEET)
    kinds = list(KIND_LABELS.values())
    genders = list(GENDER_LABELS.values())
    classes = [*CLASSES[INDIVIDUAL], *CLASSES[COLLECTIVE]]
    for column, (title, values) in enumerate(
        (("Tập thể/Cá nhân", kinds), ("Giới tính", genders), ("Phân loại đối tượng", classes)),
        start=1,
    ):
        lists.cell(row=1, column=column, value=title).font = BOLD
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=column, value=value)
        lists.column_dimensions[get_column_letter(column)].width = 60 if column == 3 else 18

    def source(column: str, count: int) -> str:
        return f"'{LIST_SHEET}'!${column}$2:${column}${count + 1}"

    _list_validation(sheet, "kind", source("A", len(kinds)), "Loại")
    _list_validation(sheet, "gender", source("B", len(genders)), "Giới tính")
    _list_validation(sheet, "classification", source("C", len(classes)), "Phân loại đối tượng")
    _help(book.create_sheet(HELP_SHEET))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help(sheet: Any) -> None:
    lines = [
        ("HƯỚNG DẪN NHẬP DANH SÁCH GIỚI THIỆU ĐIỂN HÌNH TIÊN TIẾN", ""),
        ("", ""),
        ("Mỗi dòng của trang “Danh sách” là một tập thể hoặc một cá nhân.", ""),
        ("Giữ nguyên hàng tiêu đề; có thể đổi thứ tự cột nhưng không đổi tên cột.", ""),
        ("Không dùng công thức: docgen từ chối ô có công thức, hãy dán giá trị.", ""),
        ("Năm sinh ghi 4 chữ số (1975); ghi cả ngày sinh (12/5/1975) cũng được.", ""),
        ("Tệp chỉ được lưu khi mọi dòng đều hợp lệ; có thể chạy thử để xem lỗi.", ""),
        ("", ""),
        ("Cột", "Cách ghi"),
        *((c.header, c.help) for c in COLUMNS),
        ("", ""),
        ("Phân loại cho cá nhân", "; ".join(CLASSES[INDIVIDUAL])),
        ("Phân loại cho tập thể", "; ".join(CLASSES[COLLECTIVE])),
    ]
    for row, (left, right) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=left or None).alignment = WRAP
        sheet.cell(row=row, column=2, value=right or None).alignment = WRAP
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A9"].font = sheet["B9"].font = BOLD
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 90


def error_report(result: ImportResult) -> bytes:
    """Return an XLSX of the imported rows with a "Lỗi" column and the faulty cells marked."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME
    header_row = result.header_row
    _header(sheet, header_row)
    error_column = len(COLUMNS) + 1
    head = sheet.cell(row=header_row, column=error_column, value=ERROR_HEADER)
    head.font, head.fill = Font(bold=True, color="9C0006"), ERROR_FILL
    sheet.column_dimensions[get_column_letter(error_column)].width = 70
    index_of = {c.key: i for i, c in enumerate(COLUMNS, start=1)}
    label = {c.key: c.header for c in COLUMNS}
    for row in result.rows:
        for key, value in row.values.items():
            cell = sheet.cell(row=row.row, column=index_of[key], value=value)
            if cell.data_type == "f":  # a refused formula is shown as its text, not computed
                cell.data_type = "s"
        if not row.errors:
            continue
        for key, message in row.errors.items():
            cell = sheet.cell(row=row.row, column=index_of[key])
            cell.fill = ERROR_FILL
            cell.comment = Comment(message, "docgen")
        summary = "; ".join(f"{label[k]}: {m}" for k, m in row.errors.items())
        mark = sheet.cell(row=row.row, column=error_column, value=summary)
        mark.font, mark.alignment = ERROR_FONT, WRAP
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
