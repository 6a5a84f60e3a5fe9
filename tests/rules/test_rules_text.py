"""Tests for Vietnamese folding (design D8), NFC and upper-casing, and for the rules' purity."""

from __future__ import annotations

import ast
import sys
import unicodedata
from pathlib import Path

import pytest

import docgen.rules
from docgen.rules.text import fold, fold_tokens, nfc, upper_vi


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("điển hình", "dien hinh"),
        ("ĐIỂN HÌNH", "dien hinh"),
        ("ĐIỂN HÌNH Tiên Tiến", "dien hinh tien tien"),
        ("Đ", "d"),
        ("đ", "d"),
        ("Đào", "dao"),
        ("Hội đồng Thi đua - Khen thưởng", "hoi dong thi dua - khen thuong"),
        ("Sở Lao động - Thương binh và Xã hội", "so lao dong - thuong binh va xa hoi"),
        ("Ủy ban nhân dân tỉnh Kiên Giang", "uy ban nhan dan tinh kien giang"),
        ("Uỷ ban", "uy ban"),  # old-style tone placement folds the same
        ("Thỏa thuận / Thoả thuận", "thoa thuan / thoa thuan"),
        ("  nhiều   khoảng\ttrắng\n ", "nhieu khoang trang"),
        ("ưu tiên Ơn", "uu tien on"),
        ("Ðiển hình", "dien hinh"),  # U+00D0 from TCVN3-converted text
        ("5/KH-HĐTĐKT", "5/kh-hdtdkt"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "text", ["điển hình", "ĐIỂN HÌNH", "Nguyễn Thị Minh Khai", "Quyết định", "Hà Tiên, Phú Quốc"]
)
def test_nfd_and_nfc_fold_alike(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(nfc(text))
    assert fold(text).isascii()


def test_dien_hinh_is_found_in_every_spelling():
    assert "dien hinh" == fold("điển hình") == fold("ĐIỂN HÌNH") == fold("Điển Hình")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Kế hoạch số 5/KH-HĐTĐKT", ["ke", "hoach", "so", "5", "kh", "hdtdkt"]),
        ("PTTĐ “Dân vận khéo”", ["pttd", "dan", "van", "kheo"]),
        ("tập thể, cá nhân;", ["tap", "the", "ca", "nhan"]),
        ("a_b", ["a", "b"]),
        ("  ", []),
    ],
)
def test_fold_tokens(text, tokens):
    assert fold_tokens(text) == tokens


def test_nfc():
    decomposed = unicodedata.normalize("NFD", "Huỳnh")
    assert decomposed != "Huỳnh"
    assert nfc(decomposed) == "Huỳnh"


@pytest.mark.parametrize(
    ("text", "upper"),
    [
        ("Phó Chủ tịch", "PHÓ CHỦ TỊCH"),
        ("ủy ban nhân dân", "ỦY BAN NHÂN DÂN"),
        ("đề án", "ĐỀ ÁN"),
        (unicodedata.normalize("NFD", "kế hoạch"), "KẾ HOẠCH"),
    ],
)
def test_upper_vi(text, upper):
    assert upper_vi(text) == upper
    assert unicodedata.is_normalized("NFC", upper_vi(text))


RULE_MODULES = sorted(Path(docgen.rules.__file__).parent.glob("*.py"))
ALLOWED_DOCGEN = ("docgen.errors", "docgen.domain", "docgen.rules")


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda p: p.name)
def test_rules_are_pure(path):
    """Rules import only the standard library and docgen's errors, types and rules; no I/O."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "print", "input"}, path.name
            continue
        for module in modules:
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or module.startswith(ALLOWED_DOCGEN), module
            assert top not in {"os", "io", "pathlib", "socket", "subprocess", "shutil"}, module


def test_the_rule_modules_are_all_there():
    names = {p.stem for p in RULE_MODULES}
    assert {"doctypes", "numbering", "dates", "signers", "recipients", "text"} <= names
