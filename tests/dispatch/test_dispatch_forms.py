"""The envelope (Mẫu bì văn bản) and the Sổ gửi văn bản đi bưu điện through the template
pipeline: DOCX read back with python-docx, PDF through LibreOffice read with pdftotext/pdfinfo."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime

import docx
import pytest
from docx.shared import Mm

from docgen.db import get_db
from docgen.rendering.dispatch import envelopes_docx, post_book_docx
from docgen.runtime import get_renderer
from docgen.services import dispatch
from docgen.services.clock import VIETNAM
from docgen.services.lookup import DbRecordLookup
from tests.conftest import shared_converter

NOW = datetime(2017, 3, 21, 10, 0, tzinfo=VIETNAM)


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _pdf(data: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    body = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return info.stdout, body.stdout


def _envelopes(app, document_id, actor, positions=None):
    with get_db(app).session() as session:
        sender, made = dispatch.envelopes(session, DbRecordLookup(session), document_id,
                                          positions, actor=actor)  # fmt: skip
    return envelopes_docx(get_renderer(app), sender, made)


def test_envelope_docx_sender_number_and_recipient(app, people, issue):
    document = issue("ke-hoach-2017")
    data = _envelopes(app, document.id, people.registrar, positions=[9])
    lines = [line for line in _paragraphs(data) if line.strip()]
    assert lines[:2] == [
        "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG",
        "Địa chỉ: Số 06 Nguyễn Công Trứ, phường Vĩnh Thanh, thành phố Rạch Giá, tỉnh Kiên Giang",
    ]
    assert "Số/ký hiệu văn bản: 01/KH-UBND" in lines
    assert "Kính gửi: Ban TĐKT, Sở Nội vụ" in lines
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (220, 110)


def test_envelopes_one_page_each_with_the_recipients_address(app, people, issue):
    document = issue("to-trinh-2017")  # the Sở Nội vụ to the UBND tỉnh and the council
    data = _envelopes(app, document.id, people.outsider)
    text = "\n".join(_paragraphs(data))
    assert text.count("Kính gửi:") == 3
    assert "UBND TỈNH KIÊN GIANG\nSỞ NỘI VỤ" in text  # chủ quản above the sender's name
    assert "Website: snv.kiengiang.gov.vn" in text
    assert "Số/ký hiệu văn bản: 01/TTr-SNV" in text
    assert "Kính gửi: Ủy ban nhân dân tỉnh Kiên Giang" in text
    assert "Kính gửi: Hội đồng TĐKT tỉnh" in text
    xml = docx.Document(io.BytesIO(data)).element.xml
    assert xml.count('w:type="page"') == 2  # a page per envelope


@pytest.mark.slow
def test_envelope_pdf_has_the_envelope_page_size(app, people, issue, tmp_path):
    document = issue("ke-hoach-2017")
    data = _envelopes(app, document.id, people.registrar, positions=[1, 9])
    info, body = _pdf(shared_converter().to_pdf(data), tmp_path)
    assert "Pages:           2" in info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 220 / 25.4 * 72) < 2 and abs(height - 110 / 25.4 * 72) < 2  # DL
    assert "Số/ký hiệu văn bản: 01/KH-UBND" in body
    assert "Kính gửi: Hội đồng TĐKT Trung ương" in " ".join(body.split())
    assert "Ban TĐKT, Sở Nội vụ" in body


@pytest.mark.slow
def test_post_book_rows_docx_and_pdf(app, people, issue, tmp_path):
    plan = issue("ke-hoach-2017")
    letter = issue("cong-van-de-nghi-2017", priority=1)
    with get_db(app).session() as session:
        for document_id, positions, channel, day in [
            (plan.id, [9, 10], "giay", date(2017, 3, 20)),
            (plan.id, [1], "dien-tu", date(2017, 3, 20)),  # electronic: not in the post book
            (letter.id, [1, 2], "giay", date(2017, 3, 21)),
            (letter.id, [3], "giay", date(2017, 3, 20)),
        ]:
            dispatch.mark(session, document_id, positions, channel=channel, sent_on=day,
                          actor=people.registrar, now=NOW)  # fmt: skip
        dispatch.mark(session, letter.id, [3], sent=False, actor=people.registrar, now=NOW)
        session.commit()
        lookup, who = DbRecordLookup(session), people.registrar
        book = dispatch.post_book(session, lookup, "ubnd-tinh", date(2017, 3, 20),
                                  date(2017, 3, 21), actor=who)  # fmt: skip
        one_day = dispatch.post_book(session, lookup, "ubnd-tinh", date(2017, 3, 21),
                                     date(2017, 3, 21), actor=who)  # fmt: skip
    rows = [(r.sent_date, r.notation, r.recipients, r.envelopes, r.note) for r in book.rows]
    assert rows == [
        ("20/03/2017", "01/KH-UBND", "Ban TĐKT, Sở Nội vụ; LĐVP, P.VHXH", "2", ""),
        ("21/03/2017", letter.notation, "Các sở, ban, ngành, đoàn thể cấp tỉnh; "
         "UBND các huyện, thị xã, thành phố", "2", "Khẩn"),
    ]  # fmt: skip
    assert [r.notation for r in one_day.rows] == [letter.notation]
    data = post_book_docx(get_renderer(app), book)
    table = docx.Document(io.BytesIO(data)).tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Ngày chuyển", "Số, ký hiệu văn bản", "Nơi nhận văn bản", "Số lượng bì",
                        "Ký nhận và dấu bưu điện", "Ghi chú"]  # fmt: skip
    assert cells[1] == [f"({i})" for i in range(1, 7)]
    assert cells[2][:4] == ["20/03/2017", "01/KH-UBND", "Ban TĐKT, Sở Nội vụ; LĐVP, P.VHXH", "2"]
    assert "Từ ngày 20/03/2017 đến ngày 21/03/2017" in _paragraphs(data)
    _, body = _pdf(shared_converter().to_pdf(data), tmp_path)
    assert "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN" in body and "Ký nhận và" in body
    lines = body.splitlines()
    first = next(line for line in lines if line.strip().startswith("20/03/2017"))
    assert "01/KH-UBND" in first and "Ban TĐKT, Sở Nội vụ;" in first  # the date on one line
    assert any(line.strip().startswith("21/03/2017") and "Khẩn" in line for line in lines)
