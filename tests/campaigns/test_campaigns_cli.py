"""The campaign commands through Flask's CLI runner: list, template, import, status."""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook

from docgen.db import get_db
from docgen.models import Nomination
from docgen.rules.campaigns import VIETNAM
from docgen.rules.nominations import HEADERS
from tests.campaigns.xlsx_files import person, xlsx


def _count(app) -> int:
    with get_db(app).session() as session:
        return session.query(Nomination).count()


def test_campaigns_list(runner, loaded):
    result = runner.invoke(args=["campaigns", "list"])
    assert result.exit_code == 0, result.output
    assert "dien-hinh-2017  (2017)" in result.output
    assert (
        "Hạn gioi-thieu: 20/04/2017" in result.output and "trễ từ 20/04/2017 00:00" in result.output
    )
    assert "Chỉ tiêu ≥ 05: district" in result.output and "Xét chọn từ 05 đến 10" in result.output
    assert "50 cơ quan được giao" in result.output and result.output.rstrip().endswith(
        "1 đợt thi đua."
    )


def test_template_import_and_status(app, runner, loaded, nominators, tmp_path, clock):
    template = tmp_path / "mau.xlsx"
    result = runner.invoke(args=["nominations", "template", "--out", str(template)])
    assert result.exit_code == 0, result.output
    assert tuple(c.value for c in load_workbook(template)["Danh sách"][1]) == HEADERS

    good = tmp_path / "snv.xlsx"
    good.write_bytes(xlsx([person(1), person(2)]))
    dry = runner.invoke(
        args=["nominations", "import", str(good), "--org", "snv", "--campaign", "2017", "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    assert "Chạy thử: 2 dòng hợp lệ" in dry.output and _count(app) == 0

    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(xlsx([person(3), person(4, c2="không rõ")]))
    report = tmp_path / "bao-cao-loi.xlsx"
    refused = runner.invoke(
        args=[
            "nominations",
            "import",
            str(bad),
            "--org",
            "snv",
            "--campaign",
            "dien-hinh-2017",
            "--report",
            str(report),
        ]
    )
    assert refused.exit_code == 1
    assert "Dòng 3, cột “Năm sinh”: Năm sinh “không rõ” không đọc được" in refused.output
    assert "1/2 dòng có lỗi; chưa lưu dòng nào." in refused.output and _count(app) == 0
    assert "Năm sinh" in load_workbook(report)["Danh sách"].cell(row=3, column=11).value

    as_clerk = runner.invoke(
        args=["nominations", "import", str(good), "--campaign", "2017", "--as", "cv.snv"]
    )
    assert as_clerk.exit_code == 0, as_clerk.output
    assert "Đã lưu 2 người được giới thiệu" in as_clerk.output and _count(app) == 2

    not_xlsx = tmp_path / "ds.xlsx"
    not_xlsx.write_text("Họ tên;Năm sinh\n", encoding="utf-8")
    wrong = runner.invoke(
        args=["nominations", "import", str(not_xlsx), "--org", "snv", "--campaign", "2017"]
    )
    assert wrong.exit_code == 1 and "không phải bảng tính Excel .xlsx" in wrong.output

    from docgen.services import nominations as noms
    from docgen.services.campaigns import find_campaign

    with get_db(app).session() as session:
        campaign = find_campaign(session, "2017")
        noms.submit_package(
            session,
            campaign.id,
            actor=nominators.snv,
            now=datetime(2017, 4, 19, 23, 59, tzinfo=VIETNAM),
        )
        session.commit()
    status = runner.invoke(args=["nominations", "status", "--campaign", "2017"])
    assert status.exit_code == 0, status.output
    line = next(x for x in status.output.splitlines() if "Sở Nội vụ" in x and "Ban" not in x)
    assert "Đạt (02/02)" in line and "Đúng hạn" in line and "19/04/2017 23:59" in line
    assert "Hạn gửi: trước 20/04/2017 00:00 — còn 30 ngày 15 giờ" in status.output
    assert "Cộng: 50 cơ quan; 1 đúng hạn, 0 trễ hạn, 49 chưa gửi; 1 đạt chỉ tiêu" in status.output
    short = runner.invoke(args=["nominations", "status", "--campaign", "2017", "--short"])
    assert "Sở Nội vụ" not in short.output.split("Cộng:")[0]
    denied = runner.invoke(args=["nominations", "status", "--campaign", "2017", "--as", "cv.snv"])
    assert denied.exit_code == 1 and "Ban Thi đua" in denied.output
    board = runner.invoke(args=["nominations", "status", "--campaign", "2017", "--as", "td.ban"])
    assert board.exit_code == 0, board.output


def test_campaigns_copy(runner, loaded, nominators):
    denied = runner.invoke(args=["campaigns", "copy", "2017", "--year", "2018", "--as", "cv.snv"])
    assert denied.exit_code == 1 and "Chỉ Ban Thi đua" in denied.output
    made = runner.invoke(args=["campaigns", "copy", "2017", "--year", "2018", "--as", "td.ban"])
    assert made.exit_code == 0, made.output
    assert "Đã tạo đợt “dien-hinh-2018” năm 2018: thời hạn 20/04/2018, 25/04/2018." in made.output
    listed = runner.invoke(args=["campaigns", "list"])
    assert "dien-hinh-2018  (2018)" in listed.output and "2 đợt thi đua." in listed.output
