"""Signer block (ô 7) and Nơi nhận (ô 9b)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from checker_docs import NOI_NHAN, SPEC, build, check, finding, only_errors
from test_checker_conforming import CONG_VAN


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"noi_nhan_size": 13}, "PL1.II.9b.noi-nhan-size", "13 pt; quy định 12 pt"),
        ({"noi_nhan_label": "Nơi nhận"}, "PL1.II.9b.noi-nhan", "“Nơi nhận:”"),
        ({"noi_nhan_item_size": 12}, "PL1.II.9b.noi-nhan-list-size", "12 pt; quy định 11 pt"),
        ({"noi_nhan": NOI_NHAN[:-1]}, "PL1.II.9b.luu", "Thiếu dòng lưu"),
        ({"noi_nhan": (*NOI_NHAN[:-1], "- Lưu VT.")}, "PL1.II.9b.luu", "“- Lưu VT.”"),
        ({"noi_nhan": (*NOI_NHAN[:-1], "- Lưu: VT, P.VHXH")}, "PL1.II.9b.luu", "không đúng"),
        ({"noi_nhan": ("- TT. Tỉnh ủy", *NOI_NHAN[1:])}, "PL1.II.9b.noi-nhan-item", "Tỉnh ủy"),
        ({"noi_nhan_label": None, "noi_nhan": ()}, "PL1.II.9b.noi-nhan", "Không tìm thấy"),
        ({"signer_name": "TS. Nguyễn Văn A"}, "PL1.II.7.name", "học hàm, học vị"),
        ({"signer_name": "ThS Nguyễn Văn A"}, "PL1.II.7.name", "học hàm, học vị"),
        ({"signer_name": "MAI VĂN HUỲNH"}, "PL1.II.7.name", "in thường"),
        ({"signer_bold": False}, "PL1.II.7.authority-style", "không in đậm"),
        ({"signer_lines": ("Kt. CHỦ TỊCH", "PHÓ CHỦ TỊCH")}, "PL1.II.7.authority", "“Kt.”"),
        ({"signer_lines": ("T/M. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")}, "PL1.II.7.authority", "“TM.”"),
        ({"signer_lines": ("KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH")}, "PL1.II.7.authority", "khoảng trắng"),
        ({"signer_lines": ("KT. Chủ tịch", "PHÓ CHỦ TỊCH")}, "PL1.II.7.authority", "in hoa"),
        ({"signer_lines": ()}, "PL1.II.7.authority", "Thiếu dòng quyền hạn"),
    ],
)
def test_each_broken_closing_element_fires_its_rule(changes, rule, words):
    findings = check(replace(SPEC, **changes))
    only_errors(findings, rule)
    assert words in finding(findings, rule).message


def test_signer_size_is_checked_on_authority_lines_and_name():
    findings = check(replace(SPEC, signer_size=12))
    only_errors(findings, "PL1.II.7.authority-size", "PL1.II.7.name-size")
    assert "12 pt; quy định 13–14 pt" in finding(findings, "PL1.II.7.authority-size").message


def test_noi_nhan_must_be_bold_italic():
    doc = build()
    label = doc.tables[1].rows[0].cells[0].paragraphs[0]
    assert label.text == "Nơi nhận:"
    label.runs[0].font.italic = False
    findings = check(doc)
    only_errors(findings, "PL1.II.9b.noi-nhan-style")
    assert "không in nghiêng" in finding(findings, "PL1.II.9b.noi-nhan-style").message


def test_name_must_be_bold_and_sized():
    doc = build()
    name = doc.tables[1].rows[0].cells[1].paragraphs[-1]
    assert name.text == "Mai Văn Huỳnh"
    name.runs[0].font.bold = False
    name.runs[0].font.size = 12 * 12700
    findings = check(doc)
    only_errors(findings, "PL1.II.7.name-style", "PL1.II.7.name-size")
    assert finding(findings, "PL1.II.7.name-size").location == "bảng chữ ký, họ tên người ký"


def test_kinh_gui_requires_nhu_tren_first():
    findings = check(replace(CONG_VAN, noi_nhan=NOI_NHAN))
    only_errors(findings, "PL1.II.9b.nhu-tren")
    assert "“- Như trên;”" in finding(findings, "PL1.II.9b.nhu-tren").message


def test_wrapped_recipient_line_in_the_cell_is_one_item():
    items = (
        "- Ban Thi đua - Khen thưởng Trung ương (Hà Nội, thành phố",
        "Hồ Chí Minh);",
        *NOI_NHAN[1:],
    )
    assert check(replace(SPEC, noi_nhan=items)) == []


def test_missing_signer_block():
    doc = build()
    table = doc.tables[1]
    for p in table.rows[0].cells[1].paragraphs:
        for run in p.runs:
            run.text = ""
    findings = check(doc)
    only_errors(findings, "PL1.II.7.signer")
