"""Body rules: size, justification, first-line indent, spacing, line spacing, căn cứ, "./."."""

from __future__ import annotations

from dataclasses import replace

import pytest
from checker_docs import CENTER, LEFT, SPEC, build, check, finding, only_errors, para
from docx.shared import Pt

BODY_PARAGRAPHS = len(SPEC.body)


def body_paragraphs(doc):
    """Return the body paragraphs of a built document (after the trích yếu's rule)."""
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("Thực hiện"))
    return doc.paragraphs[start:]


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"body_size": 12}, "PL1.II.6.body-size", f"12 pt ở {BODY_PARAGRAPHS} đoạn"),
        ({"body_size": 15}, "PL1.II.6.body-size", "15 pt"),
        ({"first_line_mm": None}, "PL1.II.6.body-indent", "0 cm"),
        ({"first_line_mm": 15}, "PL1.II.6.body-indent", "1,5 cm"),
        ({"body_align": LEFT}, "PL1.II.6.body-align", "căn trái"),
        ({"after_pt": 3}, "PL1.II.6.body-spacing", "3 pt"),
        ({"line_spacing": 2.0}, "PL1.II.6.body-line-spacing", "2 dòng"),
        ({"line_spacing": 0.9}, "PL1.II.6.body-line-spacing", "0,9 dòng"),
        ({"line_spacing": Pt(12)}, "PL1.II.6.body-line-spacing", "chính xác 12 pt"),
        ({"end_mark": False}, "PL1.II.6.end-mark", "“./.”"),
    ],
)
def test_body_rule_fires_once_for_all_paragraphs(changes, rule, words):
    findings = check(replace(SPEC, **changes))
    only_errors(findings, rule)
    assert words in finding(findings, rule).message


def test_location_names_the_first_paragraphs_and_counts_the_rest():
    findings = check(replace(SPEC, body_size=12))
    location = finding(findings, "PL1.II.6.body-size").location
    # title and trích yếu are paragraphs 1 and 2; the table cells are not counted
    assert location.startswith("đoạn 3 (“Thực hiện Kế hoạch số 5/KH-HĐTĐKT")
    assert location.endswith(f"và {BODY_PARAGRAPHS - 3} đoạn khác")


def test_single_paragraph_off_is_located():
    doc = build()
    target = doc.paragraphs[-4]
    target.paragraph_format.first_line_indent = None
    findings = check(doc)
    only_errors(findings, "PL1.II.6.body-indent")
    location = finding(findings, "PL1.II.6.body-indent").location
    assert target.text[:20] in location and "đoạn khác" not in location


def test_centred_headings_need_no_indent_or_justification():
    doc = build()
    heading = next(p for p in doc.paragraphs if p.text == "I. MỤC ĐÍCH YÊU CẦU")
    heading.paragraph_format.alignment = CENTER
    heading.paragraph_format.first_line_indent = None
    assert check(doc) == []


def test_spacing_counts_the_next_paragraph_space_before():
    doc = build(replace(SPEC, after_pt=0))
    for p in doc.paragraphs:
        p.paragraph_format.space_before = Pt(6)
    assert check(doc) == []


def test_size_from_the_paragraph_style_is_resolved():
    doc = build()
    style = doc.styles.add_style("Body12", 1)
    style.font.size = Pt(12)
    for p in body_paragraphs(doc):
        for run in p.runs:
            run.font.size = None
        p.style = style
    findings = check(doc)
    only_errors(findings, "PL1.II.6.body-size")


def test_can_cu_lines_must_be_italic():
    basis = ("Căn cứ Luật Thi đua, Khen thưởng;", "Căn cứ Kế hoạch số 5/KH-HĐTĐKT.")
    findings = check(replace(SPEC, basis=basis, basis_italic=False))
    only_errors(findings, "PL1.II.6.can-cu-style")
    assert "ở 2 đoạn" in finding(findings, "PL1.II.6.can-cu-style").message


def test_can_cu_inside_the_body_is_ordinary_text():
    body = (
        *SPEC.body[:3],
        "Căn cứ kế hoạch và chỉ tiêu phân bổ, Ban Thi đua - Khen thưởng tham mưu xét chọn.",
        *SPEC.body[3:],
    )
    assert check(replace(SPEC, body=body)) == []


def test_body_after_a_paragraph_ending_with_the_end_mark_is_not_body():
    doc = build()
    para(doc, "Ghi chú thêm sau khối chữ ký", size=10, align=LEFT)
    findings = check(doc)
    assert "PL1.II.6.body-size" not in {f.rule for f in findings}


def test_document_ending_with_the_end_mark_and_nothing_after_it():
    doc = build()
    signer_table = doc.tables[1]._tbl
    signer_table.getparent().remove(signer_table)
    findings = check(doc)
    only_errors(findings, "PL1.II.7.signer", "PL1.II.9b.noi-nhan")
