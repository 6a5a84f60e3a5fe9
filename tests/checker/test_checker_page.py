"""Page rules: paper, orientation, margins, Times New Roman, black text, page numbers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from checker_docs import SPEC, build, check, finding, new_landscape_section, only_errors
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from docgen.checker import Severity


@pytest.mark.parametrize(
    ("margins", "rule", "words"),
    [
        ((20, 20, 25, 15), "PL1.I.margins.left", "Lề trái 25,0 mm; quy định 30–35 mm"),
        ((20, 20, 36, 15), "PL1.I.margins.left", "Lề trái 36,0 mm"),
        ((30, 20, 30, 15), "PL1.I.margins.top", "Lề trên 30,0 mm; quy định 20–25 mm"),
        ((20, 15, 30, 15), "PL1.I.margins.bottom", "Lề dưới 15,0 mm; quy định 20–25 mm"),
        ((20, 20, 30, 25), "PL1.I.margins.right", "Lề phải 25,0 mm; quy định 15–20 mm"),
    ],
)
def test_margins_outside_the_decree_ranges(margins, rule, words):
    findings = check(replace(SPEC, margins_mm=margins))
    only_errors(findings, rule)
    assert words in finding(findings, rule).message


def test_letter_paper_is_not_a4():
    findings = check(replace(SPEC, page_mm=(215.9, 279.4)))
    only_errors(findings, "PL1.I.paper")
    assert "215,9 mm × 279,4 mm" in finding(findings, "PL1.I.paper").message


def test_a4_within_one_millimetre_passes():
    assert check(replace(SPEC, page_mm=(210.8, 296.4))) == []


def test_landscape_without_a_table_is_an_error():
    findings = check(replace(SPEC, landscape=True))
    only_errors(findings, "PL1.I.orientation")


def test_landscape_section_holding_a_data_table_is_allowed():
    findings = check(replace(SPEC, landscape=True, table_in_landscape=True))
    only_errors(findings)


def test_only_the_landscape_section_without_a_table_is_reported():
    doc = build()
    new_landscape_section(doc)
    doc.add_paragraph("Bảng tổng hợp sẽ bổ sung sau.")
    findings = check(doc)
    orientation = finding(findings, "PL1.I.orientation")
    assert orientation.location == "phần (section) 2"


def test_arial_body_is_reported_once_with_its_count():
    findings = check(replace(SPEC, font="Arial"))
    only_errors(findings, "PL1.I.font")
    message = finding(findings, "PL1.I.font").message
    assert "“Arial” ở 14 đoạn" in message and "Times New Roman" in message


def test_theme_font_counts_as_its_resolved_name():
    doc = build()
    target = doc.paragraphs[-3].runs[0]
    fonts = target._r.rPr.find(qn("w:rFonts"))
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    fonts.set(qn("w:asciiTheme"), "minorHAnsi")
    fonts.set(qn("w:hAnsiTheme"), "minorHAnsi")
    findings = check(doc)
    only_errors(findings, "PL1.I.font")
    assert "“Cambria” ở 1 đoạn" in finding(findings, "PL1.I.font").message


def test_font_inherited_from_the_normal_style():
    doc = build()
    for p in doc.paragraphs:
        for r in p.runs:
            fonts = r._r.rPr.find(qn("w:rFonts"))
            r._r.rPr.remove(fonts)
    normal_fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    normal_fonts.set(qn("w:ascii"), "Calibri")
    normal_fonts.set(qn("w:hAnsi"), "Calibri")
    findings = check(doc)
    only_errors(findings, "PL1.I.font")
    assert "“Calibri”" in finding(findings, "PL1.I.font").message


def test_coloured_text_is_reported():
    doc = build()
    doc.paragraphs[-2].runs[0].font.color.rgb = RGBColor(0xFF, 0, 0)
    findings = check(doc)
    only_errors(findings, "PL1.I.color")
    assert "màu FF0000" in finding(findings, "PL1.I.color").message


def test_page_number_shown_on_page_one():
    findings = check(replace(SPEC, page_numbers="every-page"))
    only_errors(findings, "PL1.I.page-number.first-page")


def test_missing_page_number_on_a_multi_page_document():
    findings = check(replace(SPEC, page_numbers="none"))
    only_errors(findings, "PL1.I.page-number.missing")
    assert "khoảng 2 trang" in finding(findings, "PL1.I.page-number.missing").message


def test_one_page_document_needs_no_page_number():
    short = replace(SPEC, page_numbers="none", body=SPEC.body[:2])
    assert check(short) == []


def test_page_number_in_the_footer():
    findings = check(replace(SPEC, page_numbers="footer"))
    only_errors(findings, "PL1.I.page-number.position")
    assert "chân trang" in finding(findings, "PL1.I.page-number.position").message


def test_page_number_size_and_alignment():
    findings = check(replace(SPEC, page_number_size=11))
    only_errors(findings, "PL1.I.page-number.size")
    doc = build()
    doc.sections[0].header.paragraphs[0].alignment = 0  # left
    only_errors(check(doc), "PL1.I.page-number.position")


def test_roman_page_numbers():
    doc = build()
    num_type = OxmlElement("w:pgNumType")
    num_type.set(qn("w:fmt"), "upperRoman")
    doc.sections[0]._sectPr.append(num_type)
    findings = check(doc)
    only_errors(findings, "PL1.I.page-number.format")


def test_complex_page_field_is_found():
    """Word writes PAGE as fldChar begin / instrText / separate / result / end."""
    doc = build()
    header = doc.sections[0].header.paragraphs[0]
    for field in header._p.findall(qn("w:fldSimple")):
        header._p.remove(field)
    for kind, text in (
        ("begin", None),
        (None, " PAGE \\* MERGEFORMAT "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = header.add_run()
        run.font.size = 13 * 12700
        run.font.name = "Times New Roman"
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip().startswith("PAGE"):
            instr = OxmlElement("w:instrText")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    assert [f for f in check(doc) if f.severity is Severity.ERROR] == []
