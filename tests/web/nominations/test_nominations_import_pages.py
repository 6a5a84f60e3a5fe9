"""Importing nominees through the pages: the template, a dry run with errors (nothing saved,
an error report read back with openpyxl), a valid file confirmed by its digest only, and the
clear refusals of a non-XLSX file, wrong headers and an empty sheet."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tests.campaigns.xlsx_files import GROUP, person, xlsx
from tests.web.nominations.nomination_pages import CLERK, campaign_id, client_of, nominees
from tests.web.pages import post_form, text


def _upload(client, cid: int, data: bytes, name: str = "danh-sach.xlsx"):
    return post_form(client, f"/nominations/{cid}/import", {"file": (io.BytesIO(data), name)},
                     content_type="multipart/form-data")  # fmt: skip


def _staged(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "nomination-imports").glob("*.xlsx"))


def test_the_template_downloads_with_the_vietnamese_headers(app, people):
    clerk = client_of(app, people, CLERK)
    response = clerk.get(f"/nominations/{campaign_id(app)}/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Danh sách"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["STT", "Tập thể/Cá nhân", "Tên tập thể hoặc họ và tên"]


def test_a_dry_run_with_errors_saves_nothing_and_reports_them(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    rows = [person(1), person(2, c2="năm xưa"), GROUP, person(4, c6="Doanh nghiệp", c3="Khác")]
    response = _upload(clerk, cid, xlsx(rows))
    assert response.status_code == 422
    page = text(response)
    assert "Kết quả kiểm tra: 4 dòng, 2 dòng có lỗi" in page
    assert "chưa nhập dòng nào" in page and "Nhập 4 người" not in page
    assert "<td>3</td><td>Năm sinh</td><td>Năm sinh “năm xưa” không đọc được" in page
    assert (
        "<td>5</td><td>Giới tính</td>" in page and "<td>5</td><td>Phân loại đối tượng</td>" in page
    )
    assert "Nguyễn Văn 0001" in page and "Hợp lệ" in page  # good rows show their values
    assert nominees(app) == []
    staged = _staged(app)
    assert len(staged) == 1
    digest = staged[0].stem.split("-", 1)[1]
    report = clerk.get(f"/nominations/{cid}/import/{digest}/report.xlsx")
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.data))["Danh sách"]
    headers = [c.value for c in sheet[1]]
    error_col = headers.index("Lỗi") + 1
    assert "Năm sinh" in sheet.cell(row=3, column=error_col).value
    assert "Giới tính" in sheet.cell(row=5, column=error_col).value
    assert sheet.cell(row=2, column=error_col).value is None
    assert sheet.cell(row=3, column=3).value == "Nguyễn Văn 0002"
    assert nominees(app) == []  # the report saved nothing either


def test_a_valid_file_is_imported_only_when_confirmed(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    response = _upload(clerk, cid, xlsx([person(1), person(2), GROUP]))
    assert response.status_code == 200
    page = text(response)
    assert "Mọi dòng đều hợp lệ." in page and "Nhập 3 người" in page
    assert nominees(app) == []
    digest = _staged(app)[0].stem.split("-", 1)[1]
    assert f'value="{digest}"' in page
    # a digest the server does not hold (a client's own copy) is refused
    bogus = post_form(clerk, f"/nominations/{cid}/import/confirm", {"digest": "0" * 64})
    assert bogus.status_code == 404 and nominees(app) == []
    assert post_form(clerk, f"/nominations/{cid}/import/confirm",
                     {"digest": "../../etc/passwd"}).status_code == 404  # fmt: skip
    done = post_form(clerk, f"/nominations/{cid}/import/confirm", {"digest": digest},
                     follow_redirects=True)  # fmt: skip
    assert "Đã nhập 3 tập thể, cá nhân từ tệp Excel." in text(done)
    assert [n.name for n in nominees(app)] == [
        "Nguyễn Văn 0001", "Nguyễn Văn 0002", "Phòng Công chức, viên chức"]  # fmt: skip
    assert _staged(app) == []  # the staged file is gone once imported
    again = _upload(clerk, cid, xlsx([person(1)]))  # already in the list: refused
    assert again.status_code == 422 and "Đã có trong danh sách" in text(again)


def test_files_that_are_not_lists_get_clear_messages(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    response = _upload(clerk, cid, b"%PDF-1.4 not a workbook", "danh-sach.xlsx")
    assert response.status_code == 422
    assert "Tệp không phải bảng tính Excel .xlsx" in text(response)
    wrong = xlsx([person(1)], header=["STT", "Họ tên", "Năm sinh", "Giới tính", "Chức vụ"])
    response = _upload(clerk, cid, wrong)
    assert response.status_code == 422 and "không đúng mẫu" in text(response)
    empty = io.BytesIO()
    Workbook().save(empty)
    response = _upload(clerk, cid, empty.getvalue())
    assert response.status_code == 422 and "trống" in text(response)
    response = post_form(clerk, f"/nominations/{cid}/import", {})
    assert response.status_code == 422 and "Chưa chọn tệp Excel" in text(response)
    assert nominees(app) == [] and _staged(app) == []


def test_the_board_and_the_chairman_do_not_import(app, people):
    cid = campaign_id(app)
    chairman = client_of(app, people, "chutich-kienluong")  # a signer: not a route of his
    assert chairman.get(f"/nominations/{cid}/import").status_code == 403
    assert _upload(chairman, cid, xlsx([person(1)])).status_code == 403
    board = client_of(app, people, "thiduakt")  # the campaign does not address the board
    assert board.get(f"/nominations/{cid}/import").status_code == 404
    assert _upload(board, cid, xlsx([person(1)])).status_code == 404
    assert nominees(app) == [] and _staged(app) == []
