"""The 2017 plan as data: the body is the seed's, paragraph for paragraph and word for word."""

from __future__ import annotations

import re

from docgen.domain import Authority
from docgen.records import Records
from docgen.rules.recipients import noi_nhan
from docgen.rules.signers import signer_block

# The plan's Nơi nhận with the seed README's corrections ("TT. Tỉnh ủy ;", "LÈVP, P.VHXXH").
PLAN_NOI_NHAN = [
    "- Hội đồng TĐKT Trung ương;",
    "- Ban TĐKT Trung ương (Hà Nội, TP. HCM);",
    "- TT. Tỉnh ủy;",
    "- TT. HĐND tỉnh;",
    "- Chủ tịch và các PCT. UBND tỉnh;",
    "- Sở, ban, ngành, đoàn thể cấp tỉnh;",
    "- UBND các huyện, thị xã, thành phố;",
    "- Doanh nghiệp thuộc Khối thi đua của tỉnh;",
    "- Ban TĐKT, Sở Nội vụ (5b);",
    "- LĐVP, P.VHXH;",
    "- Lưu: VT, vttkieu.",
]


def test_plan_record_header_fields(records: Records):
    plan = records.document("ke-hoach-2017")
    assert (plan.template, plan.issuer, plan.signer, plan.recipients) == (
        "ke-hoach",
        "ubnd-tinh",
        "mai-van-huynh",
        "ke-hoach-2017",
    )
    # The header was lost in extraction: number and date are unknown, not invented.
    assert (plan.unit, plan.number, plan.issue_date, plan.year) == (None, None, None, 2017)
    assert "bị mất" in plan.note
    assert plan.fields["summary"] == (
        "Tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, mô hình mới, "
        "nhân tố mới năm 2017"
    )
    assert plan.fields["basis"] == ()


def test_plan_body_is_the_seed_paragraph_for_paragraph(records: Records, seed_body: list[str]):
    body = records.document("ke-hoach-2017").fields["body"]
    assert len(seed_body) == 40
    assert len(body) == len(seed_body)
    assert [block["text"] for block in body] == seed_body
    assert body[-1]["text"].endswith("của Ủy ban nhân dân tỉnh Kiên Giang.")  # renderer adds "/."
    assert "“Cả nước chung sức xây dựng nông thôn mới”" in body[9]["text"]  # curly quotes kept


def _kind_of(text: str) -> str:
    """Return the block kind a printed prefix implies; titled khoản have no final period."""
    if re.match(r"^[IVX]+\. ", text):
        return "section"
    if re.match(r"^\d+\. ", text):
        return "para" if text.endswith(".") else "heading"
    if re.match(r"^[a-z]\) ", text):
        return "subheading"
    return {"- ": "dash", "+ ": "plus"}.get(text[:2], "para")


def test_plan_block_kinds_follow_the_printed_prefixes(records: Records):
    body = records.document("ke-hoach-2017").fields["body"]
    assert [b["kind"] for b in body] == [_kind_of(b["text"]) for b in body]
    kinds = [b["kind"] for b in body]
    assert kinds.count("section") == 3
    assert [b["text"] for b in body if b["kind"] == "heading"] == [
        "1. Nội dung tuyên truyền",
        "2. Công tác phát hiện, lựa chọn điển hình tiên tiến, mô hình mới, nhân tố mới tiêu biểu",
        "3. Hình thức tuyên truyền",
        "4. Tham gia Hội nghị biểu dương, tôn vinh điển hình tiên tiến toàn quốc",
    ]
    assert [b["text"] for b in body if b["kind"] == "subheading"] == [
        "a) Đối tượng:",
        "b) Tiêu chí chung:",
        "c) Lựa chọn điển hình tiên tiến, mô hình mới, nhân tố mới trên các lĩnh vực:",
    ]
    assert (kinds.count("dash"), kinds.count("plus")) == (12, 8)


def test_plan_deadlines_are_the_only_bold_runs(records: Records):
    body = records.document("ke-hoach-2017").fields["body"]
    bold = [m for b in body for m in re.findall(r"\*\*(.+?)\*\*", b["text"])]
    assert bold == ["Trước ngày 20 tháng 4 năm 2017", "trước ngày 25 tháng 4 năm 2017"]


def test_plan_recipients_print_the_seed_noi_nhan(records: Records):
    recipients = records.recipient_list("ke-hoach-2017")
    assert recipients.kinh_gui == ()
    lines = noi_nhan(recipients.noi_nhan, nhu_tren=False, archive=recipients.archive)
    assert list(lines) == PLAN_NOI_NHAN
    board = next(e for e in recipients.noi_nhan if e.copies)
    assert (board.name, board.copies, board.organisation) == ("Ban TĐKT, Sở Nội vụ", 5, "btdkt")


def test_plan_signer_is_mai_van_huynh_signing_for_the_chairman(records: Records):
    signer = records.signer(records.document("ke-hoach-2017").signer)
    assert (signer.authority, signer.sample) == (Authority.KT, False)
    block = signer_block(signer)
    assert block.lines == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert block.name == "Mai Văn Huỳnh"


def test_campaign_launched_by_the_plan(records: Records):
    campaign = records.campaign("dien-hinh-2017")
    assert (campaign.organiser, campaign.plan, campaign.year) == ("btdkt", "ke-hoach-2017", 2017)
    assert [(d.code, d.date.isoformat()) for d in campaign.deadlines] == [
        ("gioi-thieu", "2017-04-20"),
        ("trinh-ubnd", "2017-04-25"),
    ]
    assert (campaign.selection_min, campaign.selection_max) == (5, 10)
    minimum = {kind.value: q.minimum for q in campaign.quotas for kind in q.kinds}
    assert minimum == {
        "department": 2,
        "mass_org": 2,
        "media": 2,
        "armed_forces": 2,
        "enterprise": 2,
        "cooperative": 2,
        "district": 5,
    }
    kinds = {records.organisation(code).kind.value for code in campaign.participants}
    assert kinds == set(minimum)
    districts = [o.code for o in records.organisations.values() if o.kind.value == "district"]
    departments = [o.code for o in records.organisations.values() if o.kind.value == "department"]
    assert set(districts) | set(departments) <= set(campaign.participants)
    assert "btdkt" not in campaign.participants
