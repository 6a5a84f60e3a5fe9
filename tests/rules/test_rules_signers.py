"""Tests for signer blocks: every authority form of Decree 30, Điều 13 and PL I §II.7."""

from __future__ import annotations

import unicodedata

import pytest

from docgen.domain import Authority, Signer
from docgen.errors import RuleError
from docgen.rules.signers import SignerBlock, signer_block


def make(name="Mai Văn Huỳnh", title="PHÓ CHỦ TỊCH", authority=Authority.KT, **kw) -> Signer:
    return Signer(
        code="s1", name=name, organisation="ubnd-tinh", title=title, authority=authority, **kw
    )


@pytest.mark.parametrize(
    ("signer", "lines"),
    [
        # The seed: a deputy chairman signs for the chairman.
        (make(head_title="CHỦ TỊCH"), ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        (make(title="GIÁM ĐỐC", authority=Authority.IN_PERSON), ("GIÁM ĐỐC",)),
        (
            make(title="CHỦ TỊCH", authority=Authority.IN_PERSON, head_title="X", collective="Y"),
            ("CHỦ TỊCH",),
        ),
        (
            make(title="CHỦ TỊCH", authority=Authority.TM, collective="ỦY BAN NHÂN DÂN"),
            ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ),
        (
            make(title="THỦ TƯỚNG", authority=Authority.TM, collective="CHÍNH PHỦ"),
            ("TM. CHÍNH PHỦ", "THỦ TƯỚNG"),
        ),
        (
            make(authority=Authority.TM, collective="ỦY BAN NHÂN DÂN", head_title="CHỦ TỊCH"),
            ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        ),
        (
            make(
                title="CHỦ TỊCH",
                authority=Authority.TM,
                collective="ỦY BAN NHÂN DÂN",
                head_title="CHỦ TỊCH",
            ),
            ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
        ),
        (make(title="THỨ TRƯỞNG", head_title="BỘ TRƯỞNG"), ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")),
        (make(title="PHÓ GIÁM ĐỐC", head_title="GIÁM ĐỐC"), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (make(title="", authority=Authority.Q, head_title="GIÁM ĐỐC"), ("Q. GIÁM ĐỐC",)),
        (make(title="GIÁM ĐỐC", authority=Authority.Q, head_title="GIÁM ĐỐC"), ("Q. GIÁM ĐỐC",)),
        (
            make(authority=Authority.Q, title="PHÓ GIÁM ĐỐC", head_title="GIÁM ĐỐC"),
            ("Q. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        ),
        (
            make(title="CHÁNH VĂN PHÒNG", authority=Authority.TL, head_title="CHỦ TỊCH"),
            ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
        ),
        (
            make(
                title="PHÓ CHÁNH VĂN PHÒNG",
                authority=Authority.TL,
                head_title="CHỦ TỊCH",
                deputy_for="CHÁNH VĂN PHÒNG",
            ),
            ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
        ),
        (
            make(title="GIÁM ĐỐC SỞ NỘI VỤ", authority=Authority.TUQ, head_title="CHỦ TỊCH"),
            ("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ"),
        ),
    ],
)
def test_signer_forms(signer, lines):
    assert signer_block(signer) == SignerBlock(lines, signer.name)


def test_seed_signer_block():
    block = signer_block(make(head_title="CHỦ TỊCH"))
    assert block.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert block.name == "Mai Văn Huỳnh"


def test_titles_are_upper_cased_nfc_and_spaces_collapsed():
    signer = make(title="phó  chủ tịch", head_title=unicodedata.normalize("NFD", "Chủ tịch"))
    block = signer_block(signer)
    assert block.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert all(unicodedata.is_normalized("NFC", line) for line in block.lines)


def test_name_is_nfc_and_trimmed():
    block = signer_block(
        make(name=unicodedata.normalize("NFD", "  Mai  Văn Huỳnh "), head_title="CHỦ TỊCH")
    )
    assert block.name == "Mai Văn Huỳnh"


@pytest.mark.parametrize(
    "name",
    [
        "H'Hen Niê",
        "Y Bih Niê",
        "Nguyễn Thị Minh Khai",
        "Ông Ích Khiêm",
        "Đồng Chí Hùng",
        "Lưu Trữ Quốc",
        "Giàng A Pao",
    ],
)
def test_real_names_pass(name):
    assert signer_block(make(name=name, head_title="CHỦ TỊCH")).name == name


@pytest.mark.parametrize(
    "name",
    [
        "TS. Nguyễn Văn A",
        "ThS. Nguyễn Văn A",
        "PGS.TS. Nguyễn Văn A",
        "GS. Trần Văn B",
        "KS. Lê Văn C",
        "BS. Phạm Thị D",
        "CN. Võ Văn E",
        "TS Nguyễn Văn A",
        "ths.Nguyễn Văn A",
        "Tiến sĩ Nguyễn Văn A",
        "Thạc sĩ Nguyễn Văn A",
        "Phó Giáo sư Nguyễn Văn A",
        "NGƯT. Nguyễn Văn A",
        "Đ/c Nguyễn Văn A",
        "Bác sĩ Trần Văn B",
    ],
)
def test_academic_and_honorific_prefixes_are_refused(name):
    with pytest.raises(RuleError, match="học hàm, học vị"):
        signer_block(make(name=name, head_title="CHỦ TỊCH"))


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "chưa có họ tên"),
        ("   ", "chưa có họ tên"),
        ("Nguyễn Văn A.", "chỉ được gồm chữ cái"),
        ("Nguyễn Văn 2", "chỉ được gồm chữ cái"),
        ("MAI VĂN HUỲNH", "in thường"),
    ],
)
def test_bad_names(name, problem):
    with pytest.raises(RuleError, match=problem):
        signer_block(make(name=name, head_title="CHỦ TỊCH"))


@pytest.mark.parametrize(
    ("signer", "problem"),
    [
        (make(authority=Authority.KT), "thiếu chức vụ người đứng đầu"),
        (make(authority=Authority.TL), "thiếu chức vụ người đứng đầu"),
        (make(authority=Authority.TUQ), "thiếu chức vụ người đứng đầu"),
        (make(authority=Authority.Q), "thiếu chức vụ người đứng đầu"),
        (make(authority=Authority.TM, head_title="CHỦ TỊCH"), "thiếu tên tập thể"),
        (make(title="", head_title="CHỦ TỊCH"), "thiếu chức vụ"),
        (make(title="  ", authority=Authority.IN_PERSON), "thiếu chức vụ"),
        (make(title="CHỦ TỊCH", head_title="CHỦ TỊCH"), "phải khác"),
        (make(title="CHỦ TỊCH", authority=Authority.TL, head_title="CHỦ TỊCH"), "phải khác"),
        (make(head_title="KT. CHỦ TỊCH"), "không ghi kèm"),
        (make(title="KT. PHÓ CHỦ TỊCH", head_title="CHỦ TỊCH"), "không ghi kèm"),
        (make(authority=Authority.TM, collective="TM. ỦY BAN NHÂN DÂN"), "không ghi kèm"),
        (make(head_title="CHỦ TỊCH", deputy_for="CHÁNH VĂN PHÒNG"), "chỉ người ký thừa lệnh"),
        (
            make(authority=Authority.TUQ, head_title="CHỦ TỊCH", deputy_for="GIÁM ĐỐC"),
            "chỉ người ký thừa lệnh",
        ),
        (
            make(
                title="CHÁNH VĂN PHÒNG",
                authority=Authority.TL,
                head_title="CHỦ TỊCH",
                deputy_for="CHÁNH VĂN PHÒNG",
            ),
            "phải khác",
        ),
    ],
)
def test_incomplete_or_contradictory_forms_are_refused(signer, problem):
    with pytest.raises(RuleError, match=problem) as caught:
        signer_block(signer)
    assert "“s1”" in caught.value.message
