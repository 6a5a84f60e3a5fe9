"""The outgoing register book renders through the template pipeline, and as XLSX."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl

from docgen.rendering.register_book import COLUMNS, RegisterBook, RegisterRow, book_docx, book_xlsx


def _book(lookup) -> RegisterBook:
    rows = [
        RegisterRow(
            "01/KH-UBND",
            "09/03/2017",
            "Kế hoạch: Tuyên truyền & thi đua năm 2017",
            "Mai Văn Huỳnh",
            "Hội đồng TĐKT Trung ương; Ban TĐKT, Sở Nội vụ (5b)",
            "VHXH",
            "12",
        ),
        RegisterRow(
            "02/UBND-VHXH",
            "20/03/2017",
            "Công văn: V/v giới thiệu điển hình tiên tiến",
            "Mai Văn Huỳnh",
            "Các sở, ban, ngành",
            "VHXH",
            "30",
            note="Đã thu hồi",
        ),
    ]
    return RegisterBook(
        issuer=lookup.organisation("ubnd"),
        year=2017,
        rows=rows,
        first_date=date(2017, 3, 9),
        last_date=date(2017, 3, 20),
        first_number=1,
        last_number=2,
    )


def test_register_book_docx_has_cover_and_ten_columns(renderer, lookup):
    document = docx.Document(io.BytesIO(book_docx(renderer, _book(lookup))))
    cover = [p.text for p in document.paragraphs if p.text]
    assert cover[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG", "SỔ ĐĂNG KÝ VĂN BẢN ĐI"]
    assert "Năm: 2017" in cover
    assert "Từ ngày 09/03/2017 đến ngày 20/03/2017" in cover
    assert "Từ số 01 đến số 02" in cover
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [label for _, label, _ in COLUMNS]
    assert [c.text for c in table.rows[1].cells] == [f"({i})" for i in range(1, 11)]
    assert table.rows[2].cells[0].text == "01/KH-UBND"
    assert table.rows[2].cells[2].text == "Kế hoạch: Tuyên truyền & thi đua năm 2017"
    assert table.rows[3].cells[9].text == "Đã thu hồi"
    assert len(table.rows) == 4
    header_rows = [
        r
        for r in table.rows
        if r._tr.trPr is not None and r._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    ]
    assert len(header_rows) == 2  # repeated on every page
    assert document.sections[-1].page_width > document.sections[-1].page_height  # landscape


def test_register_book_xlsx_reads_back(lookup):
    wb = openpyxl.load_workbook(io.BytesIO(book_xlsx(_book(lookup))))
    ws = wb.active
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in ws["A1"].value
    assert [c.value for c in ws[2]] == [label for _, label, _ in COLUMNS]
    assert ws["A4"].value == "01/KH-UBND"
    assert ws["C4"].value == "Kế hoạch: Tuyên truyền & thi đua năm 2017"
    assert ws["J5"].value == "Đã thu hồi"
    assert ws.max_row == 5
