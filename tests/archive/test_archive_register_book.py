"""``docgen register-book`` and ``docgen renditions`` on a real archive."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import Rendition


def test_register_book_lists_every_issued_number_with_status(app, runner, loaded, clock, tmp_path):
    for day, code in [(20, "ke-hoach-2017"), (21, "ke-hoach-2017"), (22, "cong-van-de-nghi-2017")]:
        clock.set(datetime(2017, 3, day, 9))
        result = runner.invoke(args=["issue", "--record", code, "--date", f"{day}/03/2017"])
        assert result.exit_code == 0, result.output
    withdrawn = runner.invoke(args=["withdraw", "2", "--reason", "Ban hành nhầm"])
    assert withdrawn.exit_code == 0, withdrawn.output

    out = tmp_path / "so.docx"
    result = runner.invoke(
        args=["register-book", "--issuer", "ubnd-tinh", "--year", "2017", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 văn bản" in result.output
    book = docx.Document(io.BytesIO(out.read_bytes()))
    cover = [p.text for p in book.paragraphs if p.text]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in cover and "Năm: 2017" in cover
    assert "Từ số 01 đến số 03" in cover
    assert "Từ ngày 20/03/2017 đến ngày 22/03/2017" in cover
    rows = [[c.text for c in row.cells] for row in book.tables[0].rows[2:]]
    assert [r[0] for r in rows] == ["01/KH-UBND", "02/KH-UBND", "03/UBND-VHXH"]
    assert rows[0][1] == "20/03/2017" and rows[0][3] == "Mai Văn Huỳnh"
    assert rows[0][2].startswith("Kế hoạch: Tuyên truyền các phong trào thi đua")
    assert "Ban TĐKT, Sở Nội vụ" in rows[0][4]
    assert rows[1][9] == "Đã thu hồi" and rows[0][9] == ""

    sheet = openpyxl.load_workbook(out.with_suffix(".xlsx")).active
    assert [sheet.cell(row=r, column=1).value for r in (4, 5, 6)] == [r[0] for r in rows]

    # the last page prints the chain head, which `docgen verify --anchor` accepts as it is
    anchor = runner.invoke(args=["anchor"]).output
    head = next(line for line in anchor.splitlines() if line.startswith("ubnd-tinh"))
    printed = [p.text for p in book.paragraphs if p.text]
    assert printed[-1] == head and printed[-2].startswith("Đầu chuỗi băm khi in sổ")
    assert head in sheet.cell(row=sheet.max_row, column=1).value
    saved = tmp_path / "dau-chuoi.txt"
    saved.write_text(printed[-1] + "\n", encoding="utf-8")
    assert runner.invoke(args=["verify", "--anchor", str(saved)]).exit_code == 0

    unknown = runner.invoke(args=["register-book", "--issuer", "snv", "--year", "2017"])
    assert unknown.exit_code == 1 and "chưa có sổ đăng ký" in unknown.output


def test_renditions_backfill_makes_each_pdf_once(app, runner, loaded):
    assert runner.invoke(args=["issue", "--record", "ke-hoach-2017"]).exit_code == 0
    first = runner.invoke(args=["renditions"])
    assert first.exit_code == 0, first.output
    assert "cho 1 văn bản" in first.output
    second = runner.invoke(args=["renditions"])
    assert "cho 0 văn bản; 1 đã có sẵn" in second.output
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Rendition)) == 2
    verify = runner.invoke(args=["verify"])
    assert verify.exit_code == 0, verify.output


def test_load_samples_fills_an_empty_archive_once(app, runner, loaded, clock):
    clock.set(datetime(2017, 12, 31, 9))
    first = runner.invoke(args=["load-samples", "--no-pdf"])
    assert first.exit_code == 0, first.output
    assert "Số: 01/KH-UBND — Kiên Giang, ngày 20 tháng 3 năm 2017" in first.output
    # one register per issuer: the công văn takes the UBND's next number, the report the SNV's
    assert "Số: 02/UBND-VHXH" in first.output
    assert "Số: 01/TTr-SNV" in first.output and "Số: 02/BC-SNV" in first.output
    second = runner.invoke(args=["load-samples", "--no-pdf"])
    assert "đã có văn bản" in second.output
    found = runner.invoke(args=["search", "dien", "hinh"])
    assert found.exit_code == 0 and "01/KH-UBND" in found.output
