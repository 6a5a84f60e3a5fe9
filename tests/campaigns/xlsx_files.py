"""Build XLSX lists of nominees for the import tests (from the downloadable template)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import load_workbook

from docgen.services.nomination_xlsx import build_template

# Columns of the template, in order: STT, kind, name, birth year, gender, position, field,
# classification, achievements, previous awards.
PERSON = [
    "Cá nhân",
    "Nguyễn Văn An",
    1975,
    "Nam",
    "Trưởng phòng, Sở Nội vụ",
    "Quản lý nhà nước",
    "Các cấp lãnh đạo từ phó phòng trở lên",
    "Chủ trì 03 đề án; giảm 30% thời gian giải quyết hồ sơ.",
    "Bằng khen UBND tỉnh 2015",
]
GROUP = [
    "Tập thể",
    "Phòng Công chức, viên chức",
    None,
    None,
    "Sở Nội vụ tỉnh Kiên Giang",
    "Tổ chức bộ máy",
    "Cơ quan hành chính, sự nghiệp",
    "05 năm liền hoàn thành xuất sắc nhiệm vụ; 100% hồ sơ đúng hạn.",
    None,
]


def person(i: int, **changes: Any) -> list[Any]:
    row = list(PERSON)
    row[1] = f"Nguyễn Văn {i:04d}"
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


def xlsx(rows: Iterable[Sequence[Any]], *, header: Sequence[Any] | None = None) -> bytes:
    """Return the template with ``rows`` from row 2 (STT numbered); ``header`` replaces row 1."""
    book = load_workbook(io.BytesIO(build_template()))
    sheet = book["Danh sách"]
    if header is not None:
        for column in range(1, sheet.max_column + 1):
            sheet.cell(row=1, column=column).value = None
        for column, value in enumerate(header, start=1):
            sheet.cell(row=1, column=column, value=value)
    for number, values in enumerate(rows, start=2):
        sheet.cell(row=number, column=1, value=number - 1)
        for column, value in enumerate(values, start=2):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
