"""Tests for the Điều 7 document types and the PL III abbreviation table."""

from __future__ import annotations

import unicodedata

import pytest

from docgen.errors import RuleError
from docgen.rules.doctypes import DOCTYPES, DocKind, doctype_by_abbreviation, get_doctype

# Phụ lục III §I, in table order: (slug, name, printed title, abbreviation).
TYPED = [
    ("nghi-quyet", "Nghị quyết", "NGHỊ QUYẾT", "NQ"),
    ("quyet-dinh", "Quyết định", "QUYẾT ĐỊNH", "QĐ"),
    ("chi-thi", "Chỉ thị", "CHỈ THỊ", "CT"),
    ("quy-che", "Quy chế", "QUY CHẾ", "QC"),
    ("quy-dinh", "Quy định", "QUY ĐỊNH", "QyĐ"),
    ("thong-cao", "Thông cáo", "THÔNG CÁO", "TC"),
    ("thong-bao", "Thông báo", "THÔNG BÁO", "TB"),
    ("huong-dan", "Hướng dẫn", "HƯỚNG DẪN", "HD"),
    ("chuong-trinh", "Chương trình", "CHƯƠNG TRÌNH", "CTr"),
    ("ke-hoach", "Kế hoạch", "KẾ HOẠCH", "KH"),
    ("phuong-an", "Phương án", "PHƯƠNG ÁN", "PA"),
    ("de-an", "Đề án", "ĐỀ ÁN", "ĐA"),
    ("du-an", "Dự án", "DỰ ÁN", "DA"),
    ("bao-cao", "Báo cáo", "BÁO CÁO", "BC"),
    ("bien-ban", "Biên bản", "BIÊN BẢN", "BB"),
    ("to-trinh", "Tờ trình", "TỜ TRÌNH", "TTr"),
    ("hop-dong", "Hợp đồng", "HỢP ĐỒNG", "HĐ"),
    ("cong-dien", "Công điện", "CÔNG ĐIỆN", "CĐ"),
    ("ban-ghi-nho", "Bản ghi nhớ", "BẢN GHI NHỚ", "BGN"),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BẢN THỎA THUẬN", "BTT"),
    ("giay-uy-quyen", "Giấy ủy quyền", "GIẤY ỦY QUYỀN", "GUQ"),
    ("giay-moi", "Giấy mời", "GIẤY MỜI", "GM"),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GIẤY GIỚI THIỆU", "GGT"),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GIẤY NGHỈ PHÉP", "GNP"),
    ("phieu-gui", "Phiếu gửi", "PHIẾU GỬI", "PG"),
    ("phieu-chuyen", "Phiếu chuyển", "PHIẾU CHUYỂN", "PC"),
    ("phieu-bao", "Phiếu báo", "PHIẾU BÁO", "PB"),
]
COPIES = [
    ("ban-sao-y", "SAO Y", "SY"),
    ("ban-trich-sao", "TRÍCH SAO", "TrS"),
    ("ban-sao-luc", "SAO LỤC", "SL"),
]
# Điều 7 order of the 29 administrative types (công văn after hợp đồng, thư công last).
DIEU_7_ORDER = [slug for slug, *_ in TYPED[:17]] + ["cong-van"] + [s for s, *_ in TYPED[17:]]
DIEU_7_ORDER.append("thu-cong")


@pytest.mark.parametrize(("slug", "name", "title", "abbreviation"), TYPED)
def test_typed_doctype_by_slug_and_abbreviation(slug, name, title, abbreviation):
    doctype = get_doctype(slug)
    assert (doctype.code, doctype.name, doctype.title) == (slug, name, title)
    assert doctype.abbreviation == abbreviation
    assert doctype.kind is DocKind.TYPED
    assert get_doctype(abbreviation) is doctype
    assert doctype_by_abbreviation(abbreviation) is doctype


@pytest.mark.parametrize(("slug", "title", "abbreviation"), COPIES)
def test_copy_kinds(slug, title, abbreviation):
    doctype = get_doctype(abbreviation)
    assert (doctype.code, doctype.title, doctype.kind) == (slug, title, DocKind.COPY)
    assert DOCTYPES[slug] is doctype


@pytest.mark.parametrize(("slug", "name"), [("cong-van", "Công văn"), ("thu-cong", "Thư công")])
def test_untyped_documents_have_no_abbreviation_and_no_title(slug, name):
    doctype = get_doctype(slug)
    assert (doctype.name, doctype.title, doctype.abbreviation) == (name, "", None)
    assert doctype.kind is DocKind.UNTYPED


def test_table_holds_the_29_types_in_dieu_7_order_then_the_3_copies():
    assert list(DOCTYPES) == DIEU_7_ORDER + [slug for slug, *_ in COPIES]
    assert sum(t.kind is DocKind.TYPED for t in DOCTYPES.values()) == 27


def test_abbreviations_are_unique():
    abbreviations = [t.abbreviation for t in DOCTYPES.values() if t.abbreviation]
    assert len(abbreviations) == len(set(abbreviations)) == 30


@pytest.mark.parametrize("doctype", list(DOCTYPES.values()), ids=list(DOCTYPES))
def test_every_string_is_nfc_and_every_slug_ascii(doctype):
    assert doctype.code.isascii()
    for value in (doctype.name, doctype.title, doctype.abbreviation or ""):
        assert unicodedata.is_normalized("NFC", value)
    assert doctype.title == doctype.title.upper()


def test_table_is_read_only():
    with pytest.raises(TypeError):
        DOCTYPES["x"] = DOCTYPES["ke-hoach"]  # type: ignore[index]


@pytest.mark.parametrize(
    "key",
    ["TS", "QYĐ", "qđ", "kh", "Ke-hoach", "ke_hoach", "", "cong van", "CV", "Kế hoạch"],
)
def test_unknown_keys_raise_a_vietnamese_error_naming_the_key(key):
    with pytest.raises(RuleError) as caught:
        get_doctype(key)
    assert f"“{key}”" in caught.value.message
    assert "Không có loại văn bản" in caught.value.message
    assert doctype_by_abbreviation(key) is None


def test_trich_sao_is_trs_not_ts():
    assert doctype_by_abbreviation("TrS") is DOCTYPES["ban-trich-sao"]
    assert doctype_by_abbreviation("TS") is None
