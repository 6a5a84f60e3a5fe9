"""Header and title elements: Quốc hiệu, Tiêu ngữ, issuing body, number, date, title, V/v."""

from __future__ import annotations

from dataclasses import replace

import pytest
from checker_docs import (
    CENTER,
    LEFT,
    NOI_NHAN,
    SPEC,
    build,
    check,
    finding,
    only_errors,
    para,
)
from checker_word import drawn_line
from test_checker_conforming import APPENDIX, CONG_VAN

from docgen.checker import Severity


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"number_line": "Số: 5/KH-UBND"}, "PL1.II.3.number", "phải viết “05”"),
        ({"number_line": "Số: 05 / KH-UBND"}, "PL1.II.3.number", "khoảng trắng"),
        ({"number_line": "Số: 05/KH - UBND"}, "PL1.II.3.number", "khoảng trắng"),
        ({"number_line": "Số 05/KH-UBND"}, "PL1.II.3.number", "“Số:”"),
        ({"number_line": None}, "PL1.II.3.number", "Không tìm thấy số, ký hiệu"),
        ({"number_size": 14}, "PL1.II.3.number-size", "cỡ chữ 14 pt; quy định 13 pt"),
        ({"number_italic": True}, "PL1.II.3.number-style", "in nghiêng"),
        ({"number_line": "Số: 05/QĐ-UBND"}, "PL1.II.3.symbol", "“KH”"),
        ({"date_line": "Kiên Giang, ngày 9 tháng 3 năm 2017"}, "PL1.II.4.date", "“ngày 09”"),
        ({"date_line": "Kiên Giang, ngày 9 tháng 03 năm 2017"}, "PL1.II.4.date", "“ngày 09”"),
        ({"date_line": "Kiên Giang, ngày 09 tháng 03 năm 2017"}, "PL1.II.4.date", "“tháng 3”"),
        ({"date_line": "Kiên Giang, ngày 05 tháng 1 năm 2017"}, "PL1.II.4.date", "“tháng 01”"),
        ({"date_line": None}, "PL1.II.4.date", "Không tìm thấy dòng địa danh"),
        ({"date_italic": False}, "PL1.II.4.date-style", "không in nghiêng"),
        ({"date_size": 12}, "PL1.II.4.date-size", "12 pt; quy định 13–14 pt"),
        ({"date_below_number": True}, "PL1.II.4.date-row", "cùng một dòng"),
        ({"national": "Cộng hòa xã hội chủ nghĩa Việt Nam"}, "PL1.II.1.quoc-hieu", "in hoa"),
        ({"national": "VIỆT NAM DÂN CHỦ CỘNG HÒA"}, "PL1.II.1.quoc-hieu", "Không tìm thấy"),
        ({"national_bold": False}, "PL1.II.1.quoc-hieu-style", "không in đậm"),
        ({"national_size": 14}, "PL1.II.1.quoc-hieu-size", "14 pt; quy định 12–13 pt"),
        ({"motto": "Độc lập-Tự do-Hạnh phúc"}, "PL1.II.1.tieu-ngu", "có cách chữ"),
        ({"motto": "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"}, "PL1.II.1.tieu-ngu", "viết hoa"),
        ({"motto_size": 12}, "PL1.II.1.tieu-ngu-size", "12 pt; quy định 13–14 pt"),
        ({"motto_rule": False}, "PL1.II.1.tieu-ngu-rule", "Thiếu đường kẻ"),
        ({"issuer_bold": False}, "PL1.II.2.co-quan-style", "không in đậm"),
        ({"issuer_size": 14}, "PL1.II.2.co-quan-size", "14 pt; quy định 12–13 pt"),
        ({"issuer_lines": ("Ủy ban nhân dân", "TỈNH KIÊN GIANG")}, "PL1.II.2.co-quan", "in hoa"),
        ({"issuer_rule": False}, "PL1.II.2.co-quan-rule", "Thiếu đường kẻ"),
        ({"title": "Kế hoạch"}, "PL1.II.5a.title", "không viết in hoa"),
        ({"title": None}, "PL1.II.5a.title", "Không tìm thấy tên loại"),
        ({"title_size": 12}, "PL1.II.5a.title-size", "12 pt; quy định 13–14 pt"),
        ({"title_bold": False}, "PL1.II.5a.title-style", "không in đậm"),
        ({"title_align": LEFT}, "PL1.II.5a.title-align", "không canh giữa"),
        ({"summary": None, "summary_rule": False}, "PL1.II.5a.trich-yeu", "Thiếu trích yếu"),
        ({"summary_rule": False}, "PL1.II.5a.trich-yeu-rule", "Thiếu đường kẻ"),
    ],
)
def test_each_broken_element_fires_its_rule_and_nothing_else(changes, rule, words):
    findings = check(replace(SPEC, **changes))
    only_errors(findings, rule)
    assert words in finding(findings, rule).message


def test_short_rule_of_the_wrong_length_is_a_warning_with_measures():
    findings = check(replace(SPEC, motto_rule_fraction=0.5))
    rule = finding(findings, "PL1.II.1.tieu-ngu-rule")
    assert rule.severity is Severity.WARNING
    assert "bằng 50% dòng chữ" in rule.message


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"vv": None}, "PL1.II.5b.vv", "thiếu trích yếu “V/v"),
        ({"kinh_gui": ()}, "PL1.II.9a.kinh-gui", "thiếu phần “Kính gửi:”"),
        ({"kinh_gui": ("- Sở Nội vụ", "- Sở Tài chính.")}, "PL1.II.9a.kinh-gui-items", "“;”"),
    ],
)
def test_cong_van_elements(changes, rule, words):
    spec = replace(CONG_VAN, **changes)
    if not spec.kinh_gui:
        spec = replace(spec, noi_nhan=NOI_NHAN)
    findings = check(spec)
    only_errors(findings, rule)
    assert words in finding(findings, rule).message


def test_cong_van_vv_in_italics():
    doc = build(CONG_VAN)
    vv = doc.tables[0].rows[1].cells[0].paragraphs[-1]
    assert vv.text.startswith("V/v")
    vv.runs[0].font.italic = True
    findings = check(doc)
    only_errors(findings, "PL1.II.5b.vv-style")


def test_kinh_gui_without_colon():
    doc = build(replace(CONG_VAN, kinh_gui=("Sở Nội vụ",)))
    kinh_gui = next(p for p in doc.paragraphs if p.text.startswith("Kính gửi"))
    kinh_gui.runs[0].text = "Kính gửi Sở Nội vụ"
    findings = check(doc)
    only_errors(findings, "PL1.II.9a.kinh-gui")


@pytest.mark.parametrize(
    ("index", "changes", "rule"),
    [
        (0, {"size": 13}, "PL1.III.1.phu-luc-size"),
        (0, {"bold": False}, "PL1.III.1.phu-luc-style"),
        (0, {"alignment": LEFT}, "PL1.III.1.phu-luc-align"),
        (2, {"italic": False}, "PL1.III.1.kem-theo-style"),
        (1, {"size": 12}, "PL1.III.1.title-size"),
    ],
)
def test_appendix_lines(index, changes, rule):
    doc = build(APPENDIX)
    p = doc.paragraphs[index]
    for key, value in changes.items():
        if key == "alignment":
            p.alignment = value
        elif key == "size":
            p.runs[0].font.size = value * 12700
        else:
            setattr(p.runs[0].font, key, value)
    findings = check(doc)
    only_errors(findings, rule)


def test_appendix_needs_no_number_date_signer_or_recipients():
    findings = check(APPENDIX)
    assert findings == []


def test_appendix_after_the_signed_document_is_checked():
    doc = build()
    para(doc, "Phụ lục", size=13, bold=True, align=CENTER)
    para(doc, "DANH SÁCH ĐIỂN HÌNH", size=14, bold=True)
    para(doc, "(Kèm theo Kế hoạch số 05/KH-UBND ngày 09 tháng 3 năm 2017)", size=14)
    findings = check(doc)
    only_errors(findings, "PL1.III.1.phu-luc-size", "PL1.III.1.kem-theo-style")


def test_drawn_line_under_the_motto_counts_as_its_rule():
    doc = build(replace(SPEC, motto_rule=False))
    nation = doc.tables[0].rows[0].cells[1]
    motto = nation.paragraphs[-1]
    assert motto.text == SPEC.motto
    drawn_line(nation.add_paragraph())
    assert check(doc) == []


def test_kinh_gui_size():
    doc = build(CONG_VAN)
    for p in doc.paragraphs:
        if p.text.startswith("Thực hiện"):  # the body starts: the block is done
            break
        if p.text.startswith(("Kính gửi", "- ")):
            p.runs[0].font.size = 12 * 12700
    findings = check(doc)
    only_errors(findings, "PL1.II.9a.kinh-gui-size")
    assert "12 pt; quy định 13–14 pt" in finding(findings, "PL1.II.9a.kinh-gui-size").message
