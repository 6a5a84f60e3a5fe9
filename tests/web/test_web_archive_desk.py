"""The archive desk's other pages: the register book downloads (DOCX and XLSX with the chain
head), the statistics page's counts, and the sub-navigation each role sees."""

from __future__ import annotations

import io

import docx
import openpyxl

from tests.helpers import issue_record
from tests.web.pages import sign_in, text


def _issue(app, loaded, clock, code: str = "ke-hoach-2017") -> int:
    return issue_record(app, loaded, clock, code).id


def test_the_register_book_downloads_carry_the_rows_and_the_chain_head(
    app, client, people, loaded, clock
):
    _issue(app, loaded, clock)
    _issue(app, loaded, clock, "cong-van-de-nghi-2017")
    sign_in(client, "luutru", people["luutru"])
    page = text(client.get("/register-book"))
    assert "Sổ đăng ký văn bản đi" in page and 'value="2017"' in page
    book = client.get("/register-book.docx?year=2017")
    assert book.status_code == 200
    document = docx.Document(io.BytesIO(book.data))
    rows = [row.cells[0].text for row in document.tables[0].rows[2:]]
    assert rows == ["01/KH-UBND", "02/UBND-VHXH"]
    printed = [p.text for p in document.paragraphs if p.text]
    assert printed[-1].startswith("ubnd-tinh") and len(printed[-1].split()[-1]) == 64
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/register-book.xlsx?year=2017").data))
    assert printed[-1] in sheet.active.cell(row=sheet.active.max_row, column=1).value
    assert client.get("/register-book.docx?year=hai").status_code == 400
    sign_in(client, "chuyenvien", people["chuyenvien"])
    assert client.get("/register-book.docx?year=2017").status_code == 403


def test_statistics_count_within_the_readers_scope(app, client, people, loaded, clock):
    _issue(app, loaded, clock)
    _issue(app, loaded, clock)
    _issue(app, loaded, clock, "cong-van-de-nghi-2017")
    sign_in(client, "luutru", people["luutru"])
    page = text(client.get("/statistics"))
    assert "Theo năm" in page and "2017" in page
    assert 'value="3"' in page  # three documents in 2017
    assert "Kế hoạch" in page and "Công văn" in page
    assert "Sổ đăng ký văn bản đi" in page  # the archivist's sub-navigation
    sign_in(client, "quantri-snv", people["quantri-snv"])
    other = text(client.get("/statistics"))
    assert "Chưa có văn bản." in other  # nothing of another organisation is counted
