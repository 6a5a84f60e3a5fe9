"""Importing nominees from XLSX: dry run, all-or-nothing, the error report read back, and the
files that must be refused with a clear message."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
import pytest
from openpyxl import Workbook, load_workbook

from docgen.errors import Forbidden
from docgen.models import AuditEvent, Nomination
from docgen.rules.campaigns import VIETNAM
from docgen.rules.nominations import HEADERS
from docgen.services import nominations as noms
from docgen.services.nomination_import import ImportRefused, import_nominations
from docgen.services.nomination_xlsx import build_template, error_report
from docgen.uploads import PackageLimits, PackageRejected
from tests.campaigns.conftest import individual
from tests.campaigns.xlsx_files import GROUP, PERSON, person, xlsx

NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)


def _import(session, campaign, actor, data, **options):
    return import_nominations(session, campaign.id, data, actor=actor, now=NOW, **options)


def test_the_template_has_headers_lists_and_instructions():
    book = load_workbook(io.BytesIO(build_template()))
    assert book.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn"]
    sheet = book["Danh sách"]
    assert tuple(c.value for c in sheet[1]) == HEADERS
    rules = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert rules == {
        "B2": "'Danh mục'!$A$2:$A$3",
        "E2": "'Danh mục'!$B$2:$B$3",
        "H2": "'Danh mục'!$C$2:$C$9",
    }
    assert [c.value for c in book["Danh mục"]["A"][1:3]] == ["Tập thể", "Cá nhân"]
    assert "công thức" in " ".join(str(c.value) for c in book["Hướng dẫn"]["A"])


def test_a_valid_file_dry_run_then_import(session, campaign, nominators):
    rows = [
        person(1),
        list(GROUP),
        person(2, c2="1980"),
        person(3, c2="12/05/1968"),
        person(4, c2=datetime(1990, 1, 31)),
        person(5, c2="1971.0", c3="nữ"),
    ]
    data = xlsx(rows)
    dry = _import(session, campaign, nominators.snv, data, dry_run=True)
    assert dry.ok and dry.saved == 0 and dry.errors == [] and len(dry.rows) == 6
    assert session.query(Nomination).count() == 0
    assert [r.clean["birth_year"] for r in dry.rows] == [1975, None, 1980, 1968, 1990, 1971]
    done = _import(session, campaign, nominators.snv, data)
    session.commit()
    assert done.ok and done.saved == 6
    saved = noms.list_nominations(session, campaign.id, "snv", nominators.snv)
    assert [n.name for n in saved][:2] == ["Nguyễn Văn 0001", "Phòng Công chức, viên chức"]
    assert saved[-1].gender == "nu" and saved[1].kind == "collective"
    assert (
        session.query(AuditEvent).filter_by(action="nomination_import").one().details["rows"] == 6
    )
    again = _import(session, campaign, nominators.snv, data, dry_run=True)  # already there
    assert not again.ok and "Đã có trong danh sách" in again.rows[0].errors["name"]


def test_errors_in_several_rows_and_columns_save_nothing(session, campaign, nominators):
    noms.add_nomination(
        session, campaign.id, individual("Đã nhập trước"), actor=nominators.snv, now=NOW
    )
    rows = [
        person(1),
        person(2, c2="khoảng 1970", c3="Không rõ"),
        list(GROUP),
        person(4, c0="Gia đình", c6="Xuất sắc"),
        person(1),
        person(6, c2=2030, c4=None),
    ]
    result = _import(session, campaign, nominators.snv, xlsx(rows))
    assert not result.ok and result.saved == 0 and result.bad_rows == 4
    found = {(row, column) for row, column, _ in result.errors}
    assert found == {
        (3, "Năm sinh"),
        (3, "Giới tính"),
        (5, "Tập thể/Cá nhân"),
        (6, "Tên tập thể hoặc họ và tên"),
        (7, "Năm sinh"),
        (7, "Chức vụ, đơn vị công tác hoặc nơi cư trú"),
    }
    messages = {(row, column): m for row, column, m in result.errors}
    assert "khoảng 1970" in messages[(3, "Năm sinh")]
    assert "Trùng với dòng 2" in messages[(6, "Tên tập thể hoặc họ và tên")]
    assert "2030" in messages[(7, "Năm sinh")]
    session.commit()
    assert [n.name for n in session.query(Nomination)] == ["Đã nhập trước"]

    report = load_workbook(io.BytesIO(error_report(result)))
    sheet = report["Danh sách"]
    assert sheet.cell(row=1, column=11).value == "Lỗi"
    assert sheet.cell(row=2, column=11).value is None  # a valid row carries no error
    assert "Năm sinh: Năm sinh “khoảng 1970” không đọc được" in sheet.cell(row=3, column=11).value
    assert "Giới tính:" in sheet.cell(row=3, column=11).value
    assert sheet.cell(row=3, column=4).value == "khoảng 1970"
    assert sheet.cell(row=3, column=4).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(row=3, column=3).fill.fgColor.rgb in (None, "00000000")
    assert "Tập thể/Cá nhân: Loại “Gia đình”" in sheet.cell(row=5, column=11).value
    assert sheet.cell(row=5, column=2).comment.text.startswith("Loại “Gia đình”")

    # corrected in the report itself, the file imports (its "Lỗi" column is ignored)
    for row, column, value in (
        (3, 4, 1970),
        (3, 5, "Nam"),
        (5, 2, "Cá nhân"),
        (5, 8, PERSON[6]),
        (6, 3, "Nguyễn Văn Sáu"),
        (7, 4, 1966),
        (7, 6, "Chuyên viên, Sở Nội vụ"),
    ):
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    report.save(out)
    fixed = _import(session, campaign, nominators.snv, out.getvalue())
    assert fixed.ok and fixed.saved == 6, fixed.errors


def test_wrong_headers_are_named(session, campaign, nominators):
    header = [
        "STT",
        "Loại",
        "Họ tên",
        "Năm sinh",
        "Giới tính",
        "Chức vụ, đơn vị công tác hoặc nơi cư trú",
        "Lĩnh vực",
        "Phân loại đối tượng",
        "Tóm tắt thành tích (có số liệu)",
    ]
    with pytest.raises(ImportRefused) as refused:
        _import(session, campaign, nominators.snv, xlsx([person(1)], header=header))
    message = refused.value.message
    assert refused.value.code == "wrong_headers"
    assert "thiếu cột “Tập thể/Cá nhân”, “Tên tập thể hoặc họ và tên”" in message
    assert "“Hình thức khen thưởng đã nhận”" in message and "“Loại” (cột B)" in message
    with pytest.raises(ImportRefused) as nothing_like:
        _import(session, campaign, nominators.snv, xlsx([person(1)], header=["Mã", "Tên", "Số"]))
    assert "Không tìm thấy hàng tiêu đề" in nothing_like.value.message
    assert "“Mã”, “Tên”, “Số”" in nothing_like.value.message


def test_headers_in_another_order_and_case_are_read(session, campaign, nominators):
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH GIỚI THIỆU"])  # a title row above the headers
    order = [8, 1, 2, 3, 4, 5, 6, 7, 9]
    sheet.append([HEADERS[i].upper() if i == 2 else HEADERS[i] for i in order])
    values = [None, *person(7)]
    sheet.append([values[i] for i in order])
    out = io.BytesIO()
    book.save(out)
    result = _import(session, campaign, nominators.snv, out.getvalue(), dry_run=True)
    assert result.ok and result.header_row == 2 and result.rows[0].row == 3
    assert result.rows[0].clean["name"] == "Nguyễn Văn 0007"


def _docx() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"STT,Ho ten\n1,Nguyen Van A\n",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        b"",
        "docx",
    ],
    ids=["csv", "xls", "empty-file", "docx"],
)
def test_a_file_that_is_not_xlsx_is_refused_clearly(session, campaign, nominators, data):
    payload = _docx() if data == "docx" else data
    with pytest.raises(ImportRefused) as refused:
        _import(session, campaign, nominators.snv, payload)
    assert refused.value.code == "not_xlsx" and ".xlsx" in refused.value.message


def test_an_empty_sheet_and_a_header_without_rows(session, campaign, nominators):
    out = io.BytesIO()
    Workbook().save(out)
    with pytest.raises(ImportRefused) as empty:
        _import(session, campaign, nominators.snv, out.getvalue())
    assert empty.value.code == "empty_sheet" and "trống" in empty.value.message
    with pytest.raises(ImportRefused) as no_rows:
        _import(session, campaign, nominators.snv, build_template())
    assert no_rows.value.code == "no_rows" and "hàng 1" in no_rows.value.message


def test_formulas_are_refused_cell_by_cell(session, campaign, nominators):
    rows = [person(1, c2="=1950+25"), person(2, c1='=CONCATENATE("Nguyễn ","Văn Bảy")')]
    result = _import(session, campaign, nominators.snv, xlsx(rows))
    assert not result.ok and result.saved == 0
    assert set(result.rows[0].errors) == {"birth_year"}
    assert "công thức (=1950+25)" in result.rows[0].errors["birth_year"]
    assert "dán giá trị" in result.rows[1].errors["name"]
    report = load_workbook(io.BytesIO(error_report(result)))["Danh sách"]
    assert report.cell(row=2, column=4).value == "=1950+25"  # shown as text
    assert report.cell(row=2, column=4).data_type == "s"


def test_two_thousand_rows(session, campaign, nominators):
    data = xlsx([person(i) for i in range(2000)])
    result = _import(session, campaign, nominators.snv, data)
    session.commit()
    assert result.ok and result.saved == 2000 and result.rows[-1].row == 2001
    assert session.query(Nomination).filter_by(organisation_id="snv").count() == 2000


def test_zip_bombs_and_oversized_files_are_refused_before_parsing(session, campaign, nominators):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/media/padding.bin", b"\0" * (3 * 1024 * 1024))
    with pytest.raises(PackageRejected) as refused:
        _import(session, campaign, nominators.snv, bomb.getvalue())
    assert "bom nén" in refused.value.message
    small = PackageLimits(max_file_bytes=4096)
    with pytest.raises(PackageRejected):
        _import(session, campaign, nominators.snv, xlsx([person(1)]), limits=small)


def test_only_the_organisations_clerks_import(session, campaign, nominators):
    data = xlsx([person(1)])
    with pytest.raises(Forbidden):
        _import(session, campaign, nominators.board, data, organisation="snv")
    with pytest.raises(Forbidden):
        _import(session, campaign, nominators.not_addressed, data, dry_run=True)
    noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    noms.submit_package(session, campaign.id, actor=nominators.snv, now=NOW)
    from docgen.errors import Conflict

    with pytest.raises(Conflict):  # a submitted package is recalled before importing more
        _import(session, campaign, nominators.snv, data)
