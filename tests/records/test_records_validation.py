"""Each validation rule: a broken copy of records/ fails with the right file, path and message.

Every test breaks one thing in a copy of the real records (in tmp_path); ``broken.problem``
asserts that loading raises RecordsError (so nothing is loaded) and returns the one problem at
the expected place.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest

from docgen.errors import RecordsError


def _set(path: list[Any], value: Any):
    """Return a change that sets ``value`` at ``path`` inside the loaded YAML data."""

    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


def _line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# --- reading the files ------------------------------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(broken):
    text = broken.text("organisations.yaml")
    line = _line_of(text, "    symbol: SNV ")
    broken.edit("organisations.yaml", "    symbol: SNV ", "    symbol: SNV: X ")
    problem = broken.problem("organisations.yaml", f"dòng {line}")
    assert problem.message.startswith("lỗi cú pháp YAML")
    assert str(problem).startswith(f"records/organisations.yaml: dòng {line}: lỗi cú pháp YAML")


def test_a_key_written_twice_is_a_syntax_error(broken):
    broken.edit(
        "signers.yaml", "    title: GIÁM ĐỐC\n", "    title: GIÁM ĐỐC\n    title: GIÁM ĐỐC\n"
    )
    line = _line_of(broken.text("signers.yaml"), "    title: GIÁM ĐỐC") + 1
    problem = broken.problem("signers.yaml", f"dòng {line}")
    assert "khóa “title” được viết hai lần" in problem.message


def test_unreadable_file_does_not_echo_as_dangling_references(broken):
    broken.edit("organisations.yaml", "    symbol: SNV ", "    symbol: SNV: X ")
    problems = broken.problems()
    assert [p.file for p in problems] == ["records/organisations.yaml"]


def test_missing_file(broken):
    (broken.root / "registers.yaml").unlink()
    assert broken.problem("registers.yaml", "").message == "thiếu tệp"


def test_unknown_file_is_refused(broken):
    broken.write("signer.yaml", "signers: []\n")
    assert "tệp không được dùng" in broken.problem("signer.yaml", "").message


def test_file_needs_its_top_level_key(broken):
    broken.write("campaigns.yaml", "- code: x\n")
    assert "“campaigns:”" in broken.problem("campaigns.yaml", "").message


# --- keys and types ---------------------------------------------------------------------------


def test_unknown_key(broken):
    broken.mutate("organisations.yaml", _set(["organisations", 0, "colour"], "đỏ"))
    problem = broken.problem("organisations.yaml", "organisations[0].colour")
    assert "khóa không hợp lệ" in problem.message


def test_missing_key(broken):
    broken.mutate("signers.yaml", lambda d: d["signers"][0].pop("name"))
    assert broken.problem("signers.yaml", "signers[0].name").message == "thiếu khóa bắt buộc"


def test_wrong_type_reads_like_the_brief(broken):
    broken.mutate("organisations.yaml", _set(["organisations", 3, "symbol"], 12))
    problem = broken.problem("organisations.yaml", "organisations[3].symbol")
    assert str(problem) == (
        "records/organisations.yaml: organisations[3].symbol: phải là chuỗi ký tự, không phải “12”"
    )


def test_nested_type_error_in_a_unit(broken):
    broken.mutate("organisations.yaml", _set(["organisations", 0, "units", 1, "name"], ["x"]))
    broken.problem("organisations.yaml", "organisations[0].units[1].name")


@pytest.mark.parametrize(
    ("file", "path", "value"),
    [
        ("organisations.yaml", ["organisations", 0, "kind"], "tinh"),
        ("signers.yaml", ["signers", 0, "authority"], "KT."),
        ("registers.yaml", ["registers", 0, "kind"], "chung"),
        ("campaigns.yaml", ["campaigns", 0, "quotas", 1, "kinds", 0], "huyen"),
    ],
    ids=["OrgKind", "Authority", "RegisterKind", "quota OrgKind"],
)
def test_enum_values(broken, file, path, value):
    broken.mutate(file, _set(path, value))
    where = f"{path[0]}[{path[1]}]." + ".".join(
        f"{p}" if isinstance(p, str) else f"[{p}]" for p in path[2:]
    ).replace(".[", "[")
    problem = broken.problem(file, where)
    assert f"giá trị “{value}” không hợp lệ" in problem.message
    assert "chọn một trong" in problem.message


@pytest.mark.parametrize(
    ("file", "key"),
    [
        ("organisations.yaml", "organisations"),
        ("signers.yaml", "signers"),
        ("registers.yaml", "registers"),
        ("recipient-lists.yaml", "recipient_lists"),
    ],
)
def test_duplicate_codes(broken, file, key):
    first = broken.data(file)[key][0]["code"]
    broken.mutate(file, _set([key, 1, "code"], first))
    assert broken.problem(file, f"{key}[1].code").message == f"mã “{first}” bị trùng"


def test_malformed_code(broken):
    broken.mutate("signers.yaml", _set(["signers", 2, "code"], "Người ký"))
    assert "chữ thường không dấu" in broken.problem("signers.yaml", "signers[2].code").message


# --- references -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "path", "expected"),
    [
        ("organisations.yaml", ["organisations", "btdkt", "parent"], "organisations[{i}].parent"),
        ("signers.yaml", ["signers", 0, "organisation"], "signers[0].organisation"),
        ("registers.yaml", ["registers", 0, "organisation"], "registers[0].organisation"),
        ("campaigns.yaml", ["campaigns", 0, "organiser"], "campaigns[0].organiser"),
        ("campaigns.yaml", ["campaigns", 0, "plan"], "campaigns[0].plan"),
        ("campaigns.yaml", ["campaigns", 0, "participants", 4], "campaigns[0].participants[4]"),
        (
            "recipient-lists.yaml",
            ["recipient_lists", 0, "noi_nhan", 0, "organisation"],
            "recipient_lists[0].noi_nhan[0].organisation",
        ),
        ("documents/ke-hoach-2017.yaml", ["template"], "template"),
        ("documents/ke-hoach-2017.yaml", ["issuer"], "issuer"),
        ("documents/ke-hoach-2017.yaml", ["signer"], "signer"),
        ("documents/ke-hoach-2017.yaml", ["recipients"], "recipients"),
    ],
    ids=lambda v: "/".join(map(str, v)) if isinstance(v, list) else None,
)
def test_dangling_references(broken, file, path, expected):
    if path[1:2] == ["btdkt"]:  # address an organisation by its code, not its position
        path[1] = broken.index(file, path[0], "btdkt")
        expected = expected.format(i=path[1])
    broken.mutate(file, _set(path, "khong-co"))
    problem = broken.problem(file, expected)
    assert "“khong-co”" in problem.message
    assert problem.message.startswith("không có")


def test_parent_cycle(broken):
    snv = broken.index("organisations.yaml", "organisations", "snv")
    broken.mutate("organisations.yaml", _set(["organisations", snv, "parent"], "btdkt"))
    problems = broken.problems()
    assert any(
        "vòng lặp" in p.message and p.path == f"organisations[{snv}].parent" for p in problems
    )


def test_signer_must_belong_to_an_issuing_organisation(broken):
    broken.mutate("signers.yaml", _set(["signers", 0, "organisation"], "bao-kien-giang"))
    problem = broken.problem("signers.yaml", "signers[0].organisation")
    assert "chưa đủ thông tin để ban hành văn bản" in problem.message


def test_document_signer_must_belong_to_the_issuer(broken):
    broken.mutate("documents/ke-hoach-2017.yaml", _set(["signer"], "gd-snv-mau"))
    problem = broken.problem("documents/ke-hoach-2017.yaml", "signer")
    assert "không thuộc cơ quan ban hành “ubnd-tinh”" in problem.message


def test_document_unit_must_be_a_unit_of_the_issuer(broken):
    broken.mutate("documents/cong-van-de-nghi-2017.yaml", _set(["unit"], "XYZ"))
    problem = broken.problem("documents/cong-van-de-nghi-2017.yaml", "unit")
    assert "không có đơn vị soạn thảo “XYZ”" in problem.message


def test_document_code_is_its_file_name(broken):
    broken.mutate("documents/to-trinh-2017.yaml", _set(["code"], "to-trinh-khac"))
    problem = broken.problem("documents/to-trinh-2017.yaml", "code")
    assert "trùng tên tệp “to-trinh-2017”" in problem.message


def test_participant_outside_every_quota(broken):
    broken.mutate("campaigns.yaml", lambda d: d["campaigns"][0]["participants"].append("tinh-uy"))
    campaign = broken.data("campaigns.yaml")["campaigns"][0]
    index = len(campaign["participants"]) - 1
    problem = broken.problem("campaigns.yaml", f"campaigns[0].participants[{index}]")
    assert "không thuộc chỉ tiêu nào" in problem.message


def test_register_doctypes(broken):
    broken.mutate("registers.yaml", _set(["registers", 3, "doctypes"], ["quyet-dinh", "qd"]))
    problem = broken.problem("registers.yaml", "registers[3].doctypes[1]")
    assert "không có loại văn bản “qd”" in problem.message


def test_types_register_needs_doctypes(broken):
    broken.mutate("registers.yaml", _set(["registers", 3, "doctypes"], []))
    assert (
        "phải liệt kê loại văn bản"
        in broken.problem("registers.yaml", "registers[3].doctypes").message
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["20/4/2017", "20/04/2017", "2017-04-20"])
def test_dates_in_both_forms(broken, written):
    broken.edit("campaigns.yaml", "date: 20/4/2017", f"date: {written}")  # unquoted ISO = YAML date
    broken.mutate("documents/ke-hoach-2017.yaml", _set(["issue_date"], "09/3/2017"))
    records = broken.load()
    assert records.campaign("dien-hinh-2017").deadlines[0].date == date(2017, 4, 20)
    assert records.document("ke-hoach-2017").issue_date == date(2017, 3, 9)


@pytest.mark.parametrize("written", ["31/2/2017", "20-4-2017", "2017-04-20 08:00:00"])
def test_invalid_dates(broken, written):
    broken.edit("campaigns.yaml", "date: 20/4/2017", f"date: {written}")
    problem = broken.problem("campaigns.yaml", "campaigns[0].deadlines[0].date")
    assert "không hợp lệ" in problem.message


def test_document_year_must_match_its_date(broken):
    broken.mutate("documents/ke-hoach-2017.yaml", _set(["issue_date"], "09/3/2018"))
    assert "khác năm" in broken.problem("documents/ke-hoach-2017.yaml", "year").message


# --- Decree-30 content rules --------------------------------------------------------------------


def test_non_nfc_text(broken):
    decomposed = unicodedata.normalize("NFD", "Sở Tư pháp tỉnh Kiên Giang")
    broken.edit("organisations.yaml", "name: Sở Tư pháp tỉnh Kiên Giang\n", f"name: {decomposed}\n")
    index = broken.index("organisations.yaml", "organisations", "stp")
    problem = broken.problem("organisations.yaml", f"organisations[{index}].name")
    assert "chưa chuẩn hóa Unicode NFC" in problem.message


def test_non_nfc_text_inside_document_fields(broken):
    body = ["fields", "body", 1, "text"]
    broken.mutate("documents/ke-hoach-2017.yaml", _set(body, unicodedata.normalize("NFD", "I. Ý")))
    broken.problem("documents/ke-hoach-2017.yaml", "fields.body[1].text")


def test_issuing_organisation_needs_symbol_place_and_header(broken):
    snv = broken.index("organisations.yaml", "organisations", "snv")
    broken.mutate("organisations.yaml", lambda d: d["organisations"][snv].pop("place"))
    problem = broken.problem("organisations.yaml", f"organisations[{snv}]")
    assert "cần đủ symbol, place, header_lines (thiếu place)" in problem.message


def test_header_lines_are_upper_case(broken):
    broken.edit(
        "organisations.yaml",
        "[ỦY BAN NHÂN DÂN, TỈNH KIÊN GIANG]",
        "[ỦY BAN NHÂN DÂN, Tỉnh Kiên Giang]",
    )
    problem = broken.problem("organisations.yaml", "organisations[0].header_lines[1]")
    assert "in hoa" in problem.message


def test_symbol_cannot_hold_a_separator(broken):
    broken.mutate("organisations.yaml", _set(["organisations", 0, "symbol"], "UB-ND"))
    problem = broken.problem("organisations.yaml", "organisations[0].symbol")
    assert "dấu “-”" in problem.message


def test_identifier_has_13_characters(broken):
    index = broken.index("organisations.yaml", "organisations", "doanh-nghiep-mau-a")
    broken.mutate(
        "organisations.yaml", _set(["organisations", index, "identifier"], "000.00.00.Z9")
    )
    problem = broken.problem("organisations.yaml", f"organisations[{index}].identifier")
    assert problem.message == "mã định danh phải có đúng 13 ký tự, không phải 12"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (["recipient_lists", 0, "noi_nhan", 8, "copies"], "recipient_lists[0].noi_nhan[8].copies"),
        (["recipient_lists", 0, "archive_copies"], "recipient_lists[0].archive_copies"),
    ],
)
def test_copies_at_least_one(broken, path, expected):
    broken.mutate("recipient-lists.yaml", _set(path, 0))
    assert "từ 1 trở lên" in broken.problem("recipient-lists.yaml", expected).message


def test_recipient_rules_apply(broken):
    broken.mutate(
        "recipient-lists.yaml",
        lambda d: d["recipient_lists"][0]["noi_nhan"].append({"name": "Lưu: VT, TH"}),
    )
    problem = broken.problem("recipient-lists.yaml", "recipient_lists[0].noi_nhan")
    assert "dòng “Lưu:” do hệ thống tự thêm" in problem.message


@pytest.mark.parametrize("name", ["TS. Nguyễn Văn A", "Thạc sĩ Nguyễn Văn A", "GS.TS Nguyễn Văn A"])
def test_signer_name_without_academic_prefix(broken, name):
    broken.mutate("signers.yaml", _set(["signers", 3, "name"], name))
    problem = broken.problem("signers.yaml", "signers[3].name")
    assert "Không ghi học hàm, học vị" in problem.message


def test_signer_form_needs_the_head_title(broken):
    broken.mutate("signers.yaml", lambda d: d["signers"][0].pop("head_title"))
    problem = broken.problem("signers.yaml", "signers[0]")
    assert "thiếu chức vụ người đứng đầu" in problem.message


def test_document_fields_must_be_a_mapping(broken):
    broken.mutate("documents/ke-hoach-2017.yaml", _set(["fields"], ["Tuyên truyền"]))
    assert "bảng" in broken.problem("documents/ke-hoach-2017.yaml", "fields").message


@pytest.mark.parametrize(
    ("block", "path", "fragment"),
    [
        ({"kind": "quote", "text": "x"}, "fields.body[1].kind", "loại đoạn “quote” không hợp lệ"),
        ({"kind": "para", "text": "  "}, "fields.body[1].text", "đoạn văn bản trống"),
        ({"kind": "para"}, "fields.body[1].text", "đoạn văn bản trống"),
        ({"kind": "para", "text": "**đậm"}, "fields.body[1].text", "không khép lại"),
        ({"kind": "para", "text": "x", "bold": True}, "fields.body[1].bold", "khóa không hợp lệ"),
    ],
    ids=["kind", "blank", "no text", "bold", "extra key"],
)
def test_body_blocks(broken, block, path, fragment):
    broken.mutate("documents/ke-hoach-2017.yaml", _set(["fields", "body", 1], block))
    assert fragment in broken.problem("documents/ke-hoach-2017.yaml", path).message


# --- all problems at once -----------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_together(broken):
    broken.mutate("organisations.yaml", _set(["organisations", 3, "symbol"], 12))
    broken.mutate("signers.yaml", _set(["signers", 0, "authority"], "KT."))
    broken.mutate("documents/to-trinh-2017.yaml", _set(["issuer"], "khong-co"))
    with pytest.raises(RecordsError) as caught:
        broken.load()
    located = {(p.file, p.path) for p in caught.value.problems}
    assert located == {
        ("records/organisations.yaml", "organisations[3].symbol"),
        ("records/signers.yaml", "signers[0].authority"),
        ("records/documents/to-trinh-2017.yaml", "issuer"),
    }
    assert "(3 lỗi)" in caught.value.message
    assert caught.value.code == "records_invalid"


def test_the_unbroken_copy_loads(broken):
    assert len(broken.load().organisations) == len(
        broken.data("organisations.yaml")["organisations"]
    )


def test_plan_in_an_unreadable_file_is_not_reported_twice(broken):
    broken.write("documents/ke-hoach-2017.yaml", "code: [ke-hoach-2017\n")
    problems = broken.problems()
    assert [p.file for p in problems] == ["records/documents/ke-hoach-2017.yaml"]


def test_document_file_needs_the_yaml_extension(broken):
    broken.write("documents/ghi-chu.yml", "code: ghi-chu\n")
    assert "đuôi .yaml" in broken.problem("documents/ghi-chu.yml", "").message
