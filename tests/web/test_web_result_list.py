"""A search's result list as a list document: the DOCX through the template pipeline holds
the same documents in the same order as the results; the PDF is made from that DOCX."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime

import docx
import pytest

from tests.helpers import issue_record
from tests.web.pages import sign_in, text


def _issue(app, loaded, clock, code: str) -> str:
    return issue_record(app, loaded, clock, code).notation


def test_the_result_list_prints_the_results_in_order(app, client, people, loaded, clock):
    first = _issue(app, loaded, clock, "ke-hoach-2017")
    clock.set(datetime(2017, 3, 22, 9))
    second = _issue(app, loaded, clock, "cong-van-de-nghi-2017")
    _issue(app, loaded, clock, "ke-hoach-2017")
    sign_in(client, "luutru", people["luutru"])
    page = text(client.get("/?q=dien+hinh&type=cong-van"))
    assert "/results.docx?q=dien+hinh&amp;type=cong-van" in page
    listed = client.get("/results.docx?q=dien+hinh&type=cong-van")
    assert listed.status_code == 200
    document = docx.Document(io.BytesIO(listed.data))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert "DANH SÁCH VĂN BẢN" in paragraphs
    assert any("từ khóa “dien hinh”" in p and "loại “cong-van”" in p for p in paragraphs)
    rows = [row.cells[1].text for row in document.tables[0].rows[2:]]
    assert rows == [second]
    everything = docx.Document(io.BytesIO(client.get("/results.docx").data))
    assert [r.cells[1].text for r in everything.tables[0].rows[2:]][-1] == first  # newest first


@pytest.mark.slow
def test_the_result_list_pdf_is_made_from_the_docx(app, client, people, loaded, clock):
    notation = _issue(app, loaded, clock, "ke-hoach-2017")
    sign_in(client, "luutru", people["luutru"])
    pdf = client.get("/results.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    words = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode()
    assert "DANH SÁCH VĂN BẢN" in words and notation in words
