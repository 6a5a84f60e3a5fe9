"""Conforming documents pass the checker: docgen's layout, a công văn, an appendix, Word tabs."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from checker_docs import NOI_NHAN, SPEC, build, check, save
from checker_word import build_tabbed

from docgen.checker import Finding, NotDocxError, Severity, check_docx, has_errors

CONG_VAN = replace(
    SPEC,
    number_line="Số: 12/UBND-VHXH",
    vv="V/v giới thiệu điển hình tiên tiến năm 2017",
    title=None,
    summary=None,
    kinh_gui=("- Các sở, ban, ngành cấp tỉnh;", "- UBND các huyện, thị xã, thành phố."),
    noi_nhan=("- Như trên;", *NOI_NHAN),
)
APPENDIX = replace(
    SPEC,
    landscape=True,
    appendix=(
        "Phụ lục",
        "DANH SÁCH ĐIỂN HÌNH TIÊN TIẾN TIÊU BIỂU",
        "(Kèm theo Tờ trình số 09/TTr-SNV ngày 09 tháng 4 năm 2017 của Sở Nội vụ)",
    ),
)


def test_conforming_plan_has_no_finding_at_all():
    assert check(SPEC) == []


@pytest.mark.parametrize(
    "spec",
    [
        CONG_VAN,
        replace(CONG_VAN, kinh_gui=("Sở Nội vụ tỉnh Kiên Giang",)),
        replace(SPEC, parent_lines=("UBND TỈNH KIÊN GIANG",), issuer_lines=("SỞ NỘI VỤ",)),
        replace(SPEC, national="CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),  # the sample's spelling
        replace(
            SPEC, basis=("Căn cứ Luật Thi đua, Khen thưởng;", "Căn cứ Kế hoạch số 5/KH-HĐTĐKT.")
        ),
        replace(SPEC, signer_lines=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        replace(SPEC, signer_lines=("GIÁM ĐỐC",), noi_nhan=("- Như trên;", "- Lưu: VT.")),
        replace(SPEC, first_line_mm=10, line_spacing=1.5, body_size=13, after_pt=12),
        replace(SPEC, margins_mm=(25, 25, 35, 20)),
        APPENDIX,
    ],
    ids=[
        "cong-van-list",
        "cong-van-inline",
        "department",
        "cong-hoa-sample-spelling",
        "can-cu",
        "tm-signer",
        "in-person-signer",
        "body-other-bounds",
        "wide-margins",
        "appendix-landscape",
    ],
)
def test_conforming_variants_have_no_error(spec):
    findings = check(spec)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_word_layout_with_tabs_and_drawn_lines_is_checked_and_passes():
    doc = build_tabbed()
    assert check(doc) == []
    broken = build_tabbed(replace(SPEC, number_line="Số: 5/KH-UBND", noi_nhan_size=13))
    assert {f.rule for f in check(broken)} == {"PL1.II.3.number", "PL1.II.9b.noi-nhan-size"}


def test_draft_number_and_date_give_one_warning_and_no_error():
    draft = replace(
        SPEC,
        number_line="Số:      /KH-UBND",
        date_line="Kiên Giang, ngày      tháng      năm 2017",
    )
    findings = check(draft)
    assert [(f.rule, f.severity) for f in findings] == [("PL1.II.3.draft", Severity.WARNING)]
    assert "bản dự thảo chưa có số, ngày" in findings[0].message.lower()
    assert not has_errors(findings)


def test_findings_carry_vietnamese_message_with_the_decree_reference():
    findings = check(replace(SPEC, margins_mm=(20, 20, 25, 15)))
    assert findings == [
        Finding(
            rule="PL1.I.margins.left",
            message="Lề trái 25,0 mm; quy định 30–35 mm (Phụ lục I Nghị định 30/2020/NĐ-CP, "
            "Phần I, mục I, khoản 3)",
            location="toàn văn bản",
            severity=Severity.ERROR,
        )
    ]
    assert findings[0].to_dict()["severity"] == "error"


def test_every_kind_of_source_gives_the_same_findings(tmp_path):
    data = save(build(replace(SPEC, body_size=12)))
    path = tmp_path / "ke-hoach.docx"
    path.write_bytes(data)
    expected = check_docx(data)
    assert expected
    assert check_docx(str(path)) == expected
    assert check_docx(path) == expected
    assert check_docx(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"plain text, not a zip", "không phải tệp DOCX"),
        (b"PK\x03\x04broken zip", "không phải tệp DOCX"),
    ],
)
def test_not_a_docx_raises_a_vietnamese_error(data, words):
    with pytest.raises(NotDocxError) as caught:
        check_docx(data)
    assert words in caught.value.message


def test_missing_file_raises_a_vietnamese_error(tmp_path):
    with pytest.raises(NotDocxError, match="Không tìm thấy tệp"):
        check_docx(tmp_path / "khong-co.docx")
