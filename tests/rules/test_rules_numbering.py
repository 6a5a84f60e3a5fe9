"""Tests for document numbers and symbols: "Số: 05/KH-UBND" built, printed and parsed."""

from __future__ import annotations

import pytest

from docgen.errors import RuleError
from docgen.rules.doctypes import DOCTYPES, get_doctype
from docgen.rules.numbering import (
    ParsedNumber,
    format_number,
    make_symbol,
    number_line,
    parse_number_line,
    parse_reference,
)


@pytest.mark.parametrize(
    ("n", "printed"),
    [(1, "01"), (9, "09"), (10, "10"), (99, "99"), (100, "100"), (1000, "1000"), (6453, "6453")],
)
def test_format_number_pads_below_ten_only(n, printed):
    assert format_number(n) == printed


@pytest.mark.parametrize("n", [0, -1, -10, True, 1.0, "5"])
def test_format_number_rejects_non_positive_and_non_integers(n):
    with pytest.raises(RuleError, match="Số văn bản phải là số nguyên"):
        format_number(n)


@pytest.mark.parametrize(
    ("key", "issuer", "symbol"),
    [
        ("ke-hoach", "UBND", "KH-UBND"),
        ("quyet-dinh", "UBND", "QĐ-UBND"),
        ("quy-dinh", "UBND", "QyĐ-UBND"),
        ("chuong-trinh", "UBND", "CTr-UBND"),
        ("to-trinh", "SNV", "TTr-SNV"),
        ("to-trinh", "SLĐTBXH", "TTr-SLĐTBXH"),
        ("huong-dan", "HĐTĐKT", "HD-HĐTĐKT"),
        ("bao-cao", "SNgV", "BC-SNgV"),
        ("ban-sao-y", "UBND", "SY-UBND"),
        ("ban-trich-sao", "UBND", "TrS-UBND"),
        ("ban-sao-luc", "SNV", "SL-SNV"),
    ],
)
def test_make_symbol_for_typed_documents_and_copies(key, issuer, symbol):
    assert make_symbol(get_doctype(key), issuer) == symbol
    # A drafting unit is not part of a typed document's or a copy's symbol.
    assert make_symbol(get_doctype(key), issuer, "VX") == symbol


@pytest.mark.parametrize(
    ("key", "issuer", "unit", "symbol"),
    [
        ("cong-van", "UBND", "VX", "UBND-VX"),
        ("cong-van", "BNV", "VP", "BNV-VP"),
        ("cong-van", "VPUBND", "THVX", "VPUBND-THVX"),
        ("cong-van", "UBND", "TH", "UBND-TH"),
        ("thu-cong", "UBND", "VP", "UBND-VP"),
    ],
)
def test_make_symbol_for_cong_van_and_thu_cong(key, issuer, unit, symbol):
    assert make_symbol(get_doctype(key), issuer, unit) == symbol


@pytest.mark.parametrize("unit", [None, "", "   "])
@pytest.mark.parametrize("key", ["cong-van", "thu-cong"])
def test_cong_van_needs_a_unit(key, unit):
    with pytest.raises(RuleError, match="đơn vị soạn thảo"):
        make_symbol(get_doctype(key), "UBND", unit)


@pytest.mark.parametrize(
    ("issuer", "unit", "problem"),
    [
        ("UB ND", "VX", "khoảng trắng"),
        ("UBND ", "VX", "khoảng trắng"),
        ("UBND/KG", "VX", "“/”"),
        ("UBND-KG", "VX", "“-”"),
        ("", "VX", "trống"),
        ("UBND", "V X", "khoảng trắng"),
        ("UBND", "VX/1", "“/”"),
        ("UBND", "VX.", "chữ cái và chữ số"),
    ],
)
def test_make_symbol_rejects_bad_parts(issuer, unit, problem):
    with pytest.raises(RuleError, match=problem):
        make_symbol(DOCTYPES["cong-van"], issuer, unit)


@pytest.mark.parametrize(
    ("number", "symbol", "line"),
    [
        (5, "KH-UBND", "Số: 05/KH-UBND"),
        (1, "QĐ-BNV", "Số: 01/QĐ-BNV"),
        (15, "QĐ-BNV", "Số: 15/QĐ-BNV"),
        (12, "UBND-VX", "Số: 12/UBND-VX"),
        (99, "TTr-SNV", "Số: 99/TTr-SNV"),
        (100, "SY-UBND", "Số: 100/SY-UBND"),
        (1000, "TrS-UBND", "Số: 1000/TrS-UBND"),
        (None, "KH-UBND", "Số:      /KH-UBND"),
    ],
)
def test_number_line(number, symbol, line):
    assert number_line(number, symbol) == line


def test_draft_number_line_leaves_six_spaces():
    assert number_line(None, "KH-UBND").split("/")[0] == "Số:" + " " * 6


@pytest.mark.parametrize("symbol", ["KH - UBND", "KH-UBND-VX", "KHUBND", "KH/UBND", "", "KH-"])
def test_number_line_rejects_malformed_symbols(symbol):
    with pytest.raises(RuleError, match="Ký hiệu"):
        number_line(5, symbol)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Số: 05/KH-UBND", ParsedNumber(5, "KH-UBND", DOCTYPES["ke-hoach"], "UBND", None)),
        ("Số:05/KH-UBND", ParsedNumber(5, "KH-UBND", DOCTYPES["ke-hoach"], "UBND", None)),
        ("05/KH-UBND", ParsedNumber(5, "KH-UBND", DOCTYPES["ke-hoach"], "UBND", None)),
        ("  Số: 15/QĐ-BNV  ", ParsedNumber(15, "QĐ-BNV", DOCTYPES["quyet-dinh"], "BNV", None)),
        ("Số:      /KH-UBND", ParsedNumber(None, "KH-UBND", DOCTYPES["ke-hoach"], "UBND", None)),
        ("Số: …/QĐ-UBND", ParsedNumber(None, "QĐ-UBND", DOCTYPES["quyet-dinh"], "UBND", None)),
        ("Số: 123/UBND-VX", ParsedNumber(123, "UBND-VX", None, "UBND", "VX")),
        ("Số: 05/BNV-VP", ParsedNumber(5, "BNV-VP", None, "BNV", "VP")),
        ("Số: 6453/TTr-SNV", ParsedNumber(6453, "TTr-SNV", DOCTYPES["to-trinh"], "SNV", None)),
        ("Số: 05/SY-UBND", ParsedNumber(5, "SY-UBND", DOCTYPES["ban-sao-y"], "UBND", None)),
        ("Số: 07/TrS-UBND", ParsedNumber(7, "TrS-UBND", DOCTYPES["ban-trich-sao"], "UBND", None)),
        ("Số: 10/QyĐ-UBND", ParsedNumber(10, "QyĐ-UBND", DOCTYPES["quy-dinh"], "UBND", None)),
    ],
)
def test_parse_number_line(text, expected):
    assert parse_number_line(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Số: 5/KH-UBND", "“05”"),
        ("Số: 005/KH-UBND", "“05”"),
        ("Số: 010/KH-UBND", "“10”"),
        ("Số: 05 /KH-UBND", "khoảng trắng"),
        ("Số: 05/ KH-UBND", "khoảng trắng"),
        ("Số: 05/KH -UBND", "khoảng trắng"),
        ("Số: 05/KH- UBND", "khoảng trắng"),
        ("Số : 05/KH-UBND", "“Số:”"),
        ("Số: 1/2017/QĐ-UBND", "quy phạm pháp luật"),
        ("Số: 05-KH-UBND", "dạng số/ký hiệu"),
        ("Số: 0/KH-UBND", "nguyên dương"),
        ("Số: 00/KH-UBND", "nguyên dương"),
        ("Số: 5a/KH-UBND", "nguyên dương"),
        ("Số: ٥/KH-UBND", "nguyên dương"),
        ("Số: 05/KH-UBND-VX", "hai nhóm"),
        ("Số: 05/KHUBND", "hai nhóm"),
        ("", "dạng số/ký hiệu"),
    ],
)
def test_parse_number_line_rejects(text, problem):
    with pytest.raises(RuleError, match=problem):
        parse_number_line(text)


@pytest.mark.parametrize("number", [1, 2, 9, 10, 11, 99, 100, 999, 1000, 12345, None])
@pytest.mark.parametrize("symbol", ["KH-UBND", "UBND-VX", "TrS-UBND", "QyĐ-HĐTĐKT"])
def test_number_line_round_trips(number, symbol):
    parsed = parse_number_line(number_line(number, symbol))
    assert (parsed.number, parsed.symbol) == (number, symbol)
    assert number_line(parsed.number, parsed.symbol) == number_line(number, symbol)


@pytest.mark.parametrize("key", [k for k, t in DOCTYPES.items() if t.abbreviation])
def test_every_typed_symbol_parses_back_to_its_type(key):
    doctype = DOCTYPES[key]
    parsed = parse_number_line(number_line(3, make_symbol(doctype, "UBND")))
    assert (parsed.doctype, parsed.issuer, parsed.unit) == (doctype, "UBND", None)


@pytest.mark.parametrize(
    ("text", "number", "symbol", "doctype"),
    [
        ("5/KH-HĐTĐKT", 5, "KH-HĐTĐKT", "ke-hoach"),
        ("05/KH-HĐTĐKT", 5, "KH-HĐTĐKT", "ke-hoach"),
        ("số 5/KH-HĐTĐKT", 5, "KH-HĐTĐKT", "ke-hoach"),
        ("Số: 5/KH-UBND", 5, "KH-UBND", "ke-hoach"),
        ("18/CT-TTg", 18, "CT-TTg", "chi-thi"),
        ("84/KH-UBND", 84, "KH-UBND", "ke-hoach"),
        ("1317/QĐ-UBND", 1317, "QĐ-UBND", "quyet-dinh"),
        ("573/NQ-UBTVQH14", 573, "NQ-UBTVQH14", "nghi-quyet"),
        ("590/UBND-TH", 590, "UBND-TH", None),
        ("673/SNgV-VP", 673, "SNgV-VP", None),
    ],
)
def test_parse_reference_tolerates_a_missing_leading_zero(text, number, symbol, doctype):
    parsed = parse_reference(text)
    assert (parsed.number, parsed.symbol) == (number, symbol)
    assert parsed.doctype == (DOCTYPES[doctype] if doctype else None)


@pytest.mark.parametrize(
    "text",
    ["/KH-UBND", "…/QĐ-UBND", "5 / KH-UBND", "34-CT/TW", "01/2017/QĐ-UBND", "5/KH", "0/KH-UBND"],
)
def test_parse_reference_still_rejects(text):
    with pytest.raises(RuleError):
        parse_reference(text)
