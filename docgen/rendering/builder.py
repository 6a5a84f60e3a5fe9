"""Builds the DOCX templates in ``templates/`` from the shared blocks.

Run ``docgen build-templates`` after changing a block; a test checks that the committed
templates are what this module builds, so the header, signer and recipient blocks can
never drift apart between templates.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document

from docgen.rendering import blocks as b
from docgen.rendering import wordml as w
from docgen.rendering.dispatch import build_envelope, build_post_book
from docgen.rendering.item_list import build_item_list
from docgen.rendering.layout import LANDSCAPE_TEXT_WIDTH_MM


def _plan_like(*, kinh_gui: bool = False, basis: bool = True) -> Callable[[Document], None]:
    def build(doc: Document) -> None:
        w.setup_document(doc)
        b.header_block(doc)
        b.title_block(doc)
        if kinh_gui:
            b.kinh_gui_block(doc)
        if basis:
            b.basis_block(doc)
        b.body_block(doc)
        b.signer_block(doc)

    return build


def _cong_van(doc: Document) -> None:
    w.setup_document(doc)
    b.header_block(doc, vv=True)
    b.kinh_gui_block(doc)
    b.body_block(doc)
    b.signer_block(doc)


def _report(*, breakdown: bool = True) -> Callable[[Document], None]:
    """Return the bao-cao builder; ``breakdown=False`` is its layout before the by-group
    table existed (a test renders the sample record with both: the same bytes)."""

    def build(doc: Document) -> None:
        w.setup_document(doc)
        b.header_block(doc)
        b.title_block(doc)
        b.body_block(doc)
        w.tag(doc, "{%p if figures %}")
        b.data_table(
            doc,
            [("STT", 15), ("Nội dung", 90), ("Số lượng", 25), ("Ghi chú", 35)],
            ["{{ r.index }}", "{{ r.label }}", "{{ r.value }}", "{{ r.note }}"],
            "figures",
            keep_last=True,
        )
        w.tag(doc, "{%p endif %}")
        if breakdown:
            _breakdown_table(doc)
        b.body_block(doc, "conclusion")
        b.signer_block(doc)

    return build


def _breakdown_table(doc: Document) -> None:
    """Append the optional table by organisation group (a campaign's report). When the field
    is empty nothing of it prints: docxtpl drops the ``{%p %}`` paragraphs and what they hold."""
    w.tag(doc, "{%p if breakdown %}")
    b.heading(doc, "Số liệu theo nhóm cơ quan, đơn vị:")
    b.data_table(
        doc,
        [("STT", 10), ("Nhóm cơ quan, đơn vị", 41), ("Được đề nghị", 17), ("Gửi đúng hạn", 17),
         ("Gửi trễ hạn", 17), ("Chưa gửi", 17), ("Tập thể, cá nhân (tập thể/cá nhân)", 24),
         ("Đạt chỉ tiêu", 22)],
        ["{{ r.index }}", "{{ r.group }}", "{{ r.addressed }}", "{{ r.on_time }}", "{{ r.late }}",
         "{{ r.missing }}", "{{ r.nominees }}", "{{ r.attainment }}"],
        "breakdown",
        size=11,
        keep_last=True,
    )  # fmt: skip
    w.tag(doc, "{%p endif %}")


def _danh_sach(doc: Document) -> None:
    w.setup_document(doc, landscape=True)
    w.para(doc, "{{ appendix_line }}", size=14, bold=True, keep_next=True)
    w.para(doc, "{{ summary }}", size=14, bold=True, keep_next=True)
    w.para(doc, "(Kèm theo {{ fields.parent_ref }})", size=14, italic=True, keep_next=True)
    w.rule(doc, "{{ summary_rule }}", before=2)
    width = LANDSCAPE_TEXT_WIDTH_MM
    b.data_table(
        doc,
        [
            ("STT", 12),
            ("Tên tập thể / Họ và tên", 48),
            ("Tập thể / cá nhân", 22),
            ("Chức vụ, đơn vị công tác", 50),
            ("Lĩnh vực", 30),
            ("Thành tích tiêu biểu", width - 12 - 48 - 22 - 50 - 30 - 22),
            ("Ghi chú", 22),
        ],
        [
            "{{ r.index }}",
            "{{ r.name }}",
            "{{ r.kind_label }}",
            "{{ r.position_unit }}",
            "{{ r.field }}",
            "{{ r.achievement }}",
            "{{ r.note }}",
        ],
        "rows",
        keep_last=True,
    )
    b.end_mark_line(doc)  # Mẫu 2.1: the appendix's content ends with "./."


def _trich_ngang(doc: Document) -> None:
    w.setup_document(doc)
    b.header_block(doc, numbered=False)
    b.title_block(
        doc,
        title="TRÍCH NGANG THÀNH TÍCH",
        summary="{{ summary }}",
        sub="(Kèm theo {{ fields.attached_to }})",
    )
    b.heading(doc, "I. SƠ LƯỢC LÝ LỊCH")
    b.dash_list(doc, "profile")
    b.heading(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
    b.dash_list(doc, "achievements")
    b.heading(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
    w.tag(doc, "{%p if awards %}")
    b.data_table(
        doc,
        [
            ("Năm", 20),
            ("Danh hiệu thi đua, hình thức khen thưởng", 70),
            ("Số, ngày, tháng, năm của quyết định; cơ quan ban hành", 75),
        ],
        ["{{ r.year }}", "{{ r.form }}", "{{ r.decision }}"],
        "awards",
        keep_last=True,
    )
    b.end_mark_line(doc)  # an attachment's content ends with "./." like an appendix's
    w.tag(doc, "{%p else %}")
    b.dash_list(doc, "no_awards", keep_last=True)  # its line carries the "./."
    w.tag(doc, "{%p endif %}")
    b.signer_block(doc, noi_nhan=False)


def _register_book(doc: Document) -> None:
    w.setup_document(doc, landscape=True, page_numbers=False)
    b.book_header(doc)
    w.para(doc, "SỔ ĐĂNG KÝ VĂN BẢN ĐI", size=20, bold=True, before=96, after=24)
    w.para(doc, "Năm: {{ fields.year }}", size=16, bold=True, after=12)
    w.para(doc, "Từ ngày {{ fields.date_from }} đến ngày {{ fields.date_to }}", size=14, after=6)
    w.para(doc, "Từ số {{ fields.number_from }} đến số {{ fields.number_to }}", size=14, after=6)
    w.para(doc, "Quyển số: {{ fields.volume }}", size=14, after=6)
    w.new_section(doc, landscape=True)
    width = LANDSCAPE_TEXT_WIDTH_MM
    columns = [
        ("Số, ký hiệu văn bản", 28),
        ("Ngày tháng văn bản", 20),
        ("Tên loại và trích yếu nội dung văn bản", 62),
        ("Người ký", 26),
        ("Nơi nhận văn bản", 34),
        ("Đơn vị, người nhận bản lưu", 22),
        ("Số lượng bản", 14),
        ("Ngày chuyển", 16),
        ("Ký nhận", 14),
    ]
    columns.append(("Ghi chú", width - sum(c[1] for c in columns)))
    b.data_table(
        doc,
        columns,
        [
            "{{ r.number_symbol }}",
            "{{ r.date }}",
            "{{ r.summary }}",
            "{{ r.signer }}",
            "{{ r.recipients }}",
            "{{ r.archive_unit }}",
            "{{ r.copies }}",
            "{{ r.sent_date }}",
            "{{ r.receipt }}",
            "{{ r.note }}",
        ],
        "rows",
        size=11,
        numbered_row=True,
    )
    # The chain head when the book was printed: kept on paper, it anchors the archive
    # (``docgen verify --anchor``); a later rewrite of the whole chain no longer matches it.
    w.tag(doc, "{%p if chain_head %}")
    w.para(doc, "Đầu chuỗi băm khi in sổ (mã sổ, vị trí, mã băm SHA-256):", size=11,
           italic=True, align=w.LEFT, before=12)  # fmt: skip
    w.para(doc, "{{ chain_head }}", size=10, align=w.LEFT)
    w.tag(doc, "{%p endif %}")


BUILDERS: dict[str, Callable[[Document], None]] = {
    "ke-hoach": _plan_like(),
    "to-trinh": _plan_like(kinh_gui=True),
    "cong-van": _cong_van,
    "bao-cao": _report(),
    "danh-sach": _danh_sach,
    "trich-ngang": _trich_ngang,
    "so-dang-ky-di": _register_book,
    "bi-van-ban": build_envelope,  # Mẫu bì văn bản (PL IV §II)
    "so-gui-buu-dien": build_post_book,  # Sổ gửi văn bản đi bưu điện (PL IV §III)
    "muc-luc-van-ban": build_item_list,  # Mục lục văn bản, with a transfer export (PL V §IV)
}

_FIXED_TIME = (2017, 1, 1, 0, 0, 0)


def build_template(code: str) -> bytes:
    """Return the DOCX bytes of template ``code`` built from the shared blocks.

    Zip entries get a fixed timestamp so that building twice gives the same bytes.
    """
    doc = docx.Document()
    BUILDERS[code](doc)
    raw = io.BytesIO()
    doc.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _strip_times(payload)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, payload)
    return out.getvalue()


def _strip_times(core: bytes) -> bytes:
    """Return core.xml with the creation/modification stamps fixed (reproducible builds)."""
    import re

    return re.sub(
        rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>2017-01-01T00:00:00Z\g<2>",
        core,
    )


def build_all(folder: Path, codes: list[str] | None = None) -> list[Path]:
    """Write every template (or ``codes``) into ``folder``; return the paths written."""
    written = []
    for code in codes or list(BUILDERS):
        path = folder / f"{code}.docx"
        path.write_bytes(build_template(code))
        written.append(path)
    return written
