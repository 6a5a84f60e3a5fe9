"""The recorded reference data loads and holds what the documents and campaigns need."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from docgen.domain import OrgKind, RegisterKind
from docgen.errors import NotFound
from docgen.records import Records, load_records
from docgen.rendering.schema import TemplateRegistry, validate_fields
from docgen.rules.dates import date_line
from docgen.rules.recipients import kinh_gui
from docgen.rules.signers import signer_block

ROOT = Path(__file__).resolve().parents[2]
RECORDS, TEMPLATES = ROOT / "records", ROOT / "templates"

DISTRICTS_2017 = {
    "ubnd-rach-gia": ("THÀNH PHỐ RẠCH GIÁ", "Rạch Giá"),
    "ubnd-ha-tien": ("THỊ XÃ HÀ TIÊN", "Hà Tiên"),
    "ubnd-kien-luong": ("HUYỆN KIÊN LƯƠNG", "Kiên Lương"),
    "ubnd-hon-dat": ("HUYỆN HÒN ĐẤT", "Hòn Đất"),
    "ubnd-tan-hiep": ("HUYỆN TÂN HIỆP", "Tân Hiệp"),
    "ubnd-chau-thanh": ("HUYỆN CHÂU THÀNH", "Châu Thành"),
    "ubnd-giong-rieng": ("HUYỆN GIỒNG RIỀNG", "Giồng Riềng"),
    "ubnd-go-quao": ("HUYỆN GÒ QUAO", "Gò Quao"),
    "ubnd-an-bien": ("HUYỆN AN BIÊN", "An Biên"),
    "ubnd-an-minh": ("HUYỆN AN MINH", "An Minh"),
    "ubnd-vinh-thuan": ("HUYỆN VĨNH THUẬN", "Vĩnh Thuận"),
    "ubnd-phu-quoc": ("HUYỆN PHÚ QUỐC", "Phú Quốc"),
    "ubnd-kien-hai": ("HUYỆN KIÊN HẢI", "Kiên Hải"),
    "ubnd-u-minh-thuong": ("HUYỆN U MINH THƯỢNG", "U Minh Thượng"),
    "ubnd-giang-thanh": ("HUYỆN GIANG THÀNH", "Giang Thành"),
}


def test_fifteen_districts_of_2017_with_their_own_headers(records: Records):
    districts = {o.code: o for o in records.organisations.values() if o.kind is OrgKind.DISTRICT}
    assert len(districts) == 15
    assert set(districts) == set(DISTRICTS_2017)
    for code, (unit_line, place) in DISTRICTS_2017.items():
        org = districts[code]
        assert org.header_parent_lines == ()  # a People's Committee has no chủ quản line
        assert org.header_lines == ("ỦY BAN NHÂN DÂN", unit_line)
        assert (org.symbol, org.place, org.can_issue) == ("UBND", place, True)
        assert date_line(org.place, date(2017, 4, 20)) == f"{place}, ngày 20 tháng 4 năm 2017"
    huyen = [o for o in districts.values() if o.name.startswith("Ủy ban nhân dân huyện ")]
    assert len(huyen) == 13


def test_provincial_bodies_headers(records: Records):
    ubnd = records.organisation("ubnd-tinh")
    assert ubnd.header_lines == ("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG")
    assert (ubnd.header_parent_lines, ubnd.symbol, ubnd.place) == ((), "UBND", "Kiên Giang")
    assert [u.code for u in ubnd.units] == ["LĐVP", "VHXH", "TH"]
    assert ubnd.unit("VHXH").name == "Phòng Văn hóa - Xã hội"
    snv = records.organisation("snv")
    assert (snv.header_parent_lines, snv.header_lines) == (
        ("UBND TỈNH KIÊN GIANG",),
        ("SỞ NỘI VỤ",),
    )
    assert (snv.symbol, snv.place, snv.parent) == ("SNV", "Kiên Giang", "ubnd-tinh")
    board = records.organisation("btdkt")
    assert (board.kind, board.parent) == (OrgKind.BOARD, "snv")
    assert (board.header_parent_lines, board.header_lines) == (
        ("SỞ NỘI VỤ TỈNH KIÊN GIANG",),
        ("BAN THI ĐUA - KHEN THƯỞNG",),
    )
    council = records.organisation("hdtdkt-tinh")
    assert (council.kind, council.symbol) == (OrgKind.COUNCIL, "HĐTĐKT")
    assert records.organisation("tinh-uy").recipient_name == "TT. Tỉnh ủy"
    assert records.organisation("hdnd-tinh").recipient_name == "TT. HĐND tỉnh"
    assert records.organisation("hdtdkt-tw").recipient_name == "Hội đồng TĐKT Trung ương"


def test_every_kind_is_present_and_placeholders_are_flagged(records: Records):
    kinds = {o.kind for o in records.organisations.values()}
    assert kinds == set(OrgKind)
    for org in records.organisations.values():
        if org.kind in (OrgKind.ENTERPRISE, OrgKind.COOPERATIVE):
            assert org.sample and "mẫu" in org.name
        if org.identifier is not None:
            assert org.sample and len(org.identifier) == 13
    # Unconfirmed in the reference: kept, but flagged.
    assert records.organisation("btdkt-tw-hcm").sample
    assert not records.organisation("btdkt-tw").sample
    issuing = [o for o in records.organisations.values() if o.symbol]
    assert all(o.can_issue for o in issuing)
    assert not records.organisation("thanh-tra-tinh").can_issue  # no known symbol ("TTr" is taken)


def test_signers_and_their_printed_forms(records: Records):
    forms = {code: signer_block(s).lines for code, s in records.signers.items()}
    assert forms["mai-van-huynh"] == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert forms["mai-van-huynh-tm"] == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert forms["gd-snv-mau"] == ("GIÁM ĐỐC",)
    assert forms["pgd-snv-mau"] == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert forms["truong-ban-tdkt-mau"] == ("TRƯỞNG BAN",)
    assert forms["ct-ubnd-kien-luong-mau"] == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert forms["cvp-snv-tl-mau"] == ("TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")
    assert forms["cvp-ubnd-tinh-tuq-mau"] == ("TUQ. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
    real = {code for code, s in records.signers.items() if not s.sample}
    assert real == {"mai-van-huynh", "mai-van-huynh-tm"}


def test_extra_registers(records: Records):
    kinds = {r.code: (r.organisation, r.kind, r.doctypes) for r in records.registers.values()}
    assert kinds == {
        "ubnd-tinh-ban-sao": ("ubnd-tinh", RegisterKind.COPIES, ()),
        "ubnd-tinh-mat": ("ubnd-tinh", RegisterKind.SECRET, ()),
        "hdtdkt-tinh": ("hdtdkt-tinh", RegisterKind.ADVISORY, ()),
        "ubnd-tinh-quyet-dinh": ("ubnd-tinh", RegisterKind.TYPES, ("quyet-dinh",)),
    }


def test_recipient_lists_for_each_document_family(records: Records):
    cong_van = records.recipient_list("cong-van-de-nghi-2017")
    assert cong_van.kinh_gui == (
        "Các sở, ban, ngành, đoàn thể cấp tỉnh",
        "UBND các huyện, thị xã, thành phố",
        "Các doanh nghiệp thuộc Khối thi đua của tỉnh",
    )
    assert (
        kinh_gui(cong_van.kinh_gui).items[-1] == "- Các doanh nghiệp thuộc Khối thi đua của tỉnh."
    )
    assert records.recipient_list("to-trinh-2017").kinh_gui == ("Ủy ban nhân dân tỉnh Kiên Giang",)
    assert kinh_gui(records.recipient_list("to-trinh-2017").kinh_gui).inline == (
        "Ủy ban nhân dân tỉnh Kiên Giang"
    )
    assert records.recipient_list("de-nghi-trung-uong-2017").kinh_gui == (
        "Hội đồng Thi đua - Khen thưởng Trung ương",
    )
    assert records.recipient_list("bao-cao-6-thang-2017").noi_nhan[0].organisation == "ubnd-tinh"


def test_every_document_record_satisfies_its_template_schema(records: Records):
    registry = TemplateRegistry(TEMPLATES)
    # register books and the dispatch forms (envelope, Sổ gửi) are built from issued
    # documents, not from a record
    forms = {spec.code for spec in registry if spec.layout == "register"}
    assert {d.template for d in records.documents.values()} == set(registry.codes()) - forms
    for document in records.documents.values():
        validate_fields(registry.get(document.template), document.fields)  # raises FieldError
        signer = records.signer(document.signer) if document.signer else None
        assert signer is None or signer.organisation == document.issuer
        if document.code != "ke-hoach-2017":
            assert "Dữ liệu mẫu" in document.note


def test_samples_never_use_the_real_signer(records: Records):
    for document in records.documents.values():
        if document.code != "ke-hoach-2017" and document.signer:
            assert records.signer(document.signer).sample, document.code


def test_lookups_raise_not_found_in_vietnamese(records: Records):
    lookups = [
        records.organisation,
        records.signer,
        records.recipient_list,
        records.campaign,
        records.document,
    ]
    for lookup in lookups:
        with pytest.raises(NotFound) as caught:
            lookup("khong-co")
        assert "“khong-co”" in caught.value.message
        assert "Không có" in caught.value.message
        assert caught.value.http_status == 404


def test_records_are_read_only_and_keep_file_order(records: Records):
    assert next(iter(records.organisations)) == "ubnd-tinh"
    assert list(records.signers)[:2] == ["mai-van-huynh", "mai-van-huynh-tm"]
    with pytest.raises(TypeError):
        records.organisations["x"] = records.organisation("snv")  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        records.signers = {}  # type: ignore[misc]
    body = records.document("ke-hoach-2017").fields["body"]
    assert isinstance(body, tuple)
    with pytest.raises(TypeError):
        body[0]["text"] = "x"  # type: ignore[index]


def test_default_templates_folder_is_beside_the_records():
    assert load_records(RECORDS, templates=TEMPLATES) == load_records(RECORDS)


def test_unknown_code_is_a_not_found_error_naming_the_code(records):
    from docgen.errors import NotFound

    with pytest.raises(NotFound) as err:
        records.organisation("khong-co")
    assert err.value.code == "not_found"  # the machine-readable code stays the error's own
    assert err.value.details["key"] == "khong-co"
    assert "khong-co" in err.value.message
