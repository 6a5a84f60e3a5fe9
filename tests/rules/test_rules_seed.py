"""The seed plan (Kế hoạch 2017, UBND tỉnh Kiên Giang) reproduced with the rules.

Expected strings are copied from the shared seed (../shared/seed/ke-hoach-2017-kien-giang.txt)
with the corrections of its README (LĐVP, P.VHXH; TT. Tỉnh ủy; KT. CHỦ TỊCH).
"""

from __future__ import annotations

from datetime import date

import pytest

from docgen.domain import Authority, RecipientEntry, Signer
from docgen.rules.dates import date_phrase, short_date
from docgen.rules.doctypes import DOCTYPES
from docgen.rules.numbering import parse_reference
from docgen.rules.recipients import end_mark, noi_nhan
from docgen.rules.signers import signer_block
from docgen.rules.text import fold

SEED_NOI_NHAN = """\
- Hội đồng TĐKT Trung ương;
- Ban TĐKT Trung ương (Hà Nội, TP. HCM);
- TT. Tỉnh ủy;
- TT. HĐND tỉnh;
- Chủ tịch và các PCT. UBND tỉnh;
- Sở, ban, ngành, đoàn thể cấp tỉnh;
- UBND các huyện, thị xã, thành phố;
- Doanh nghiệp thuộc Khối thi đua của tỉnh;
- Ban TĐKT, Sở Nội vụ (5b);
- LĐVP, P.VHXH;
- Lưu: VT, vttkieu.""".splitlines()

SEED_ENTRIES = [
    RecipientEntry("Hội đồng TĐKT Trung ương"),
    RecipientEntry("Ban TĐKT Trung ương (Hà Nội, TP. HCM)"),
    RecipientEntry("TT. Tỉnh ủy ;"),  # as extracted; the space before ";" is an error
    RecipientEntry("TT. HĐND tỉnh"),
    RecipientEntry("Chủ tịch và các PCT. UBND tỉnh"),
    RecipientEntry("Sở, ban, ngành, đoàn thể cấp tỉnh"),
    RecipientEntry("UBND các huyện, thị xã, thành phố"),
    RecipientEntry("Doanh nghiệp thuộc Khối thi đua của tỉnh"),
    RecipientEntry("Ban TĐKT, Sở Nội vụ", copies=5, organisation="btdkt"),
    RecipientEntry("LĐVP, P.VHXH"),
]


def test_seed_noi_nhan_is_reproduced_line_for_line():
    lines = noi_nhan(SEED_ENTRIES, nhu_tren=False, archive=["vttkieu"])
    assert list(lines) == SEED_NOI_NHAN


@pytest.mark.parametrize("index", range(len(SEED_NOI_NHAN)))
def test_each_seed_line(index):
    assert (
        noi_nhan(SEED_ENTRIES, nhu_tren=False, archive=["vttkieu"])[index] == (SEED_NOI_NHAN[index])
    )


def test_seed_signer_block():
    signer = Signer(
        code="mai-van-huynh",
        name="Mai Văn Huỳnh",
        organisation="ubnd-tinh",
        title="PHÓ CHỦ TỊCH",
        authority=Authority.KT,
        head_title="CHỦ TỊCH",
    )
    block = signer_block(signer)
    assert block.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert block.name == "Mai Văn Huỳnh"


def test_seed_cited_plan_number_and_date():
    cited = parse_reference("5/KH-HĐTĐKT")
    assert (cited.number, cited.doctype, cited.issuer) == (5, DOCTYPES["ke-hoach"], "HĐTĐKT")
    assert f"Kế hoạch số 5/KH-HĐTĐKT ngày {short_date(date(2017, 3, 9))}" == (
        "Kế hoạch số 5/KH-HĐTĐKT ngày 09/3/2017"
    )


@pytest.mark.parametrize(
    ("d", "in_text"),
    [
        (date(2014, 4, 7), "07/4/2014"),
        (date(2016, 5, 19), "19/5/2016"),
        (date(2017, 3, 9), "09/3/2017"),
    ],
)
def test_seed_in_text_dates(d, in_text):
    assert short_date(d) == in_text


@pytest.mark.parametrize(
    ("d", "deadline"),
    [
        (date(2017, 4, 20), "Trước ngày 20 tháng 4 năm 2017"),
        (date(2017, 4, 25), "trước ngày 25 tháng 4 năm 2017"),
    ],
)
def test_seed_deadlines(d, deadline):
    assert deadline.endswith(date_phrase(d))


def test_seed_closing_sentence_gets_the_end_mark():
    closing = "… mô hình mới, nhân tố mới năm 2017 của Ủy ban nhân dân tỉnh Kiên Giang."
    assert end_mark(closing).endswith("Kiên Giang./.")


def test_seed_title_is_searchable_without_diacritics():
    title = "Tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến"
    assert "dien hinh tien tien" in fold(title)
