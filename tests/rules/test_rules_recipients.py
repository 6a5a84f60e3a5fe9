"""Tests for the Kính gửi and Nơi nhận blocks and the end mark (PL I §II.9)."""

from __future__ import annotations

import unicodedata

import pytest

from docgen.domain import RecipientEntry
from docgen.errors import RuleError
from docgen.rules.recipients import KinhGui, copies_label, end_mark, kinh_gui, noi_nhan

# The longest organisation names in the shared reference (../shared/reference/kien-giang-2017.yaml).
LONG_NAMES = [
    "Sở Lao động - Thương binh và Xã hội",
    "Ban Quản lý các khu công nghiệp tỉnh Kiên Giang",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Kiên Giang",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kiên Giang",
    "Ban Thi đua - Khen thưởng, Sở Nội vụ tỉnh Kiên Giang",
    "Ban Thi đua - Khen thưởng Trung ương (bộ phận tại Thành phố Hồ Chí Minh)",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Hội đồng Thi đua - Khen thưởng tỉnh Kiên Giang",
]


def test_one_recipient_is_inline_without_punctuation():
    assert kinh_gui(["Bộ Nội vụ"]) == KinhGui(inline="Bộ Nội vụ", items=())


def test_several_recipients_follow_the_decree_sample():
    block = kinh_gui(["Bộ Nội vụ", "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"])
    assert block == KinhGui(
        inline=None, items=("- Bộ Nội vụ;", "- Bộ Kế hoạch và Đầu tư;", "- Bộ Tài chính.")
    )


@pytest.mark.parametrize(
    "typed",
    [
        "Bộ Nội vụ;",
        "Bộ Nội vụ.",
        "Bộ Nội vụ ;",
        "- Bộ Nội vụ;",
        "  Bộ  Nội vụ  ",
        "Bộ Nội vụ,",
        unicodedata.normalize("NFD", "Bộ Nội vụ"),
    ],
)
def test_kinh_gui_strips_what_the_clerk_typed(typed):
    assert kinh_gui([typed]).inline == "Bộ Nội vụ"
    assert kinh_gui([typed, "Bộ Tài chính."]).items == ("- Bộ Nội vụ;", "- Bộ Tài chính.")


@pytest.mark.parametrize("name", LONG_NAMES)
def test_long_names_pass_through_kinh_gui_unchanged(name):
    assert kinh_gui([name]).inline == name
    assert kinh_gui([name, "Sở Nội vụ"]).items == (f"- {name};", "- Sở Nội vụ.")
    assert kinh_gui(["Sở Nội vụ", name]).items == ("- Sở Nội vụ;", f"- {name}.")


def test_all_long_names_as_one_block():
    items = kinh_gui(LONG_NAMES).items
    assert [i[2:-1] for i in items] == LONG_NAMES
    assert all(i.endswith(";") for i in items[:-1]) and items[-1].endswith(".")


@pytest.mark.parametrize(
    ("recipients", "problem"),
    [
        ([], "ít nhất một"),
        ([""], "để trống"),
        (["Sở Nội vụ", " ; "], "để trống"),
        (["Sở Nội vụ", "sở nội vụ;"], "hai lần"),
    ],
)
def test_kinh_gui_rejects(recipients, problem):
    with pytest.raises(RuleError, match=problem):
        kinh_gui(recipients)


def test_kinh_gui_treats_a_bare_string_as_one_recipient():
    assert kinh_gui("Bộ Nội vụ") == KinhGui(inline="Bộ Nội vụ", items=())


@pytest.mark.parametrize(("n", "label"), [(1, "(1b)"), (2, "(2b)"), (5, "(5b)"), (10, "(10b)")])
def test_copies_label(n, label):
    assert copies_label(n) == label


@pytest.mark.parametrize("n", [0, -1, True, "5"])
def test_copies_label_rejects(n):
    with pytest.raises(RuleError, match="Số bản gửi"):
        copies_label(n)


@pytest.mark.parametrize(
    ("entries", "kwargs", "lines"),
    [
        ((), {"nhu_tren": True}, ("- Như trên;", "- Lưu: VT.")),
        ((), {"nhu_tren": False}, ("- Lưu: VT.",)),
        (
            (RecipientEntry("Bộ Nội vụ"),),
            {"nhu_tren": False, "archive": ["TCCB"]},
            ("- Bộ Nội vụ;", "- Lưu: VT, TCCB."),
        ),
        (
            (RecipientEntry("Thủ tướng Chính phủ"),),
            {"nhu_tren": True, "archive": ["HC"], "archive_copies": 2},
            ("- Như trên;", "- Thủ tướng Chính phủ;", "- Lưu: VT, HC (2)."),
        ),
        (
            (RecipientEntry("Ban TĐKT, Sở Nội vụ", copies=5),),
            {"nhu_tren": False},
            ("- Ban TĐKT, Sở Nội vụ (5b);", "- Lưu: VT."),
        ),
        (
            (RecipientEntry("TT. Tỉnh ủy ;"),),
            {"nhu_tren": False, "archive": ("VHXH", "vttkieu")},
            ("- TT. Tỉnh ủy;", "- Lưu: VT, VHXH, vttkieu."),
        ),
        (
            (RecipientEntry("- Sở Nội vụ."),),
            {"nhu_tren": False, "archive": ["NVĐP;"]},
            ("- Sở Nội vụ;", "- Lưu: VT, NVĐP."),
        ),
        (
            (RecipientEntry("Ban TĐKT, Sở Nội vụ (5b)"),),
            {"nhu_tren": False},
            ("- Ban TĐKT, Sở Nội vụ (5b);", "- Lưu: VT."),
        ),
        (
            (RecipientEntry("Ban TĐKT, Sở Nội vụ (5b)", copies=5),),
            {"nhu_tren": False},
            ("- Ban TĐKT, Sở Nội vụ (5b);", "- Lưu: VT."),
        ),
        (
            (RecipientEntry("Trung tâm Lưu trữ lịch sử tỉnh"),),
            {"nhu_tren": False},
            ("- Trung tâm Lưu trữ lịch sử tỉnh;", "- Lưu: VT."),
        ),
    ],
)
def test_noi_nhan(entries, kwargs, lines):
    assert noi_nhan(entries, **kwargs) == lines


@pytest.mark.parametrize("name", LONG_NAMES)
@pytest.mark.parametrize("copies", [None, 2])
def test_long_names_pass_through_noi_nhan(name, copies):
    lines = noi_nhan([RecipientEntry(name, copies=copies)], nhu_tren=True, archive=["VHXH"])
    suffix = f" ({copies}b)" if copies else ""
    assert lines == ("- Như trên;", f"- {name}{suffix};", "- Lưu: VT, VHXH.")


@pytest.mark.parametrize(
    ("entries", "kwargs", "problem"),
    [
        ([RecipientEntry("Sở Nội vụ", copies=0)], {}, "Số bản gửi"),
        ([RecipientEntry("Sở Nội vụ", copies=-3)], {}, "Số bản gửi"),
        ([RecipientEntry("Sở Nội vụ (5b)", copies=3)], {}, "khác số bản"),
        ([RecipientEntry("")], {}, "để trống"),
        ([RecipientEntry("Sở Nội vụ"), RecipientEntry("Sở Nội vụ;")], {}, "hai lần"),
        ([RecipientEntry("Như trên")], {"nhu_tren": True}, "hai lần"),
        ([RecipientEntry("Lưu: VT, VHXH")], {}, "tự thêm"),
        ([RecipientEntry("Lưu VT")], {}, "tự thêm"),
        ([], {"archive": ["VT", "VHXH"]}, "luôn đứng đầu"),
        ([], {"archive": ["VHXH", "VHXH"]}, "hai lần"),
        ([], {"archive": ["VHXH"], "archive_copies": 0}, "Số bản lưu"),
        ([], {"archive": ["VHXH"], "archive_copies": True}, "Số bản lưu"),
        ([], {"archive_copies": 2}, "hãy khai đơn vị"),
    ],
)
def test_noi_nhan_rejects(entries, kwargs, problem):
    kwargs.setdefault("nhu_tren", False)
    with pytest.raises(RuleError, match=problem):
        noi_nhan(entries, **kwargs)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("…của Ủy ban nhân dân tỉnh Kiên Giang.", "…của Ủy ban nhân dân tỉnh Kiên Giang./."),
        ("…Kiên Giang./.", "…Kiên Giang./."),
        ("…Kiên Giang./.  \n", "…Kiên Giang./."),
        ("…Kiên Giang", "…Kiên Giang./."),
        ("…Kiên Giang. ", "…Kiên Giang./."),
        ("có giá trị đến hết ngày 31/12/2017", "có giá trị đến hết ngày 31/12/2017./."),
    ],
)
def test_end_mark(text, marked):
    assert end_mark(text) == marked
    assert end_mark(marked) == marked  # idempotent


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_end_mark_refuses_an_empty_body(text):
    with pytest.raises(RuleError):
        end_mark(text)
