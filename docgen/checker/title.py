"""Checks of ô 5 and 9a: tên loại and trích yếu, or V/v and Kính gửi; the "Phụ lục" lines."""

from __future__ import annotations

import re

from docgen.checker.docx_read import DocxView, Para
from docgen.checker.elements import SHORT_RULE, check_rule, check_size, check_style, rule_after
from docgen.checker.formatting import Align
from docgen.checker.model import Report
from docgen.checker.structure import Structure, is_upper
from docgen.rules.doctypes import DOCTYPES, DocType
from docgen.rules.numbering import ParsedNumber
from docgen.rules.text import upper_vi

_NO_SUMMARY_TYPES = {"giay-gioi-thieu", "giay-nghi-phep"}  # Mẫu 1.8 and 1.10 have no trích yếu


def _doctype_of_title(text: str) -> DocType | None:
    title = upper_vi(" ".join(text.split()))
    return next((t for t in DOCTYPES.values() if t.title and t.title == title), None)


def check_title(view: DocxView, s: Structure, parsed: ParsedNumber | None, report: Report) -> bool:
    """Check tên loại, trích yếu (or V/v and Kính gửi for a công văn); return True if công văn."""
    if s.appendix:
        _appendix_lines(s.appendix_line, s.title, s.kem_theo, report)
        _appendix_layout(view, s, report)
        return False
    cong_van = bool(s.vv) or (parsed is not None and parsed.doctype is None and s.title is None)
    if s.title is None:
        if not cong_van:
            report.error(
                "PL1.II.5a.title",
                "trang 1",
                "Không tìm thấy tên loại văn bản (chữ in hoa, canh giữa, dưới số và ngày tháng)",
            )
    else:
        _title(view, s, parsed, report)
    if cong_van:
        _cong_van(s, report)
    return cong_van


def _title(view: DocxView, s: Structure, parsed: ParsedNumber | None, report: Report) -> None:
    assert s.title is not None
    where = "trang 1, tên loại văn bản"
    text = " ".join(s.title.text.split())
    if not is_upper(text):
        report.error("PL1.II.5a.title", where, f"Tên loại “{text}” không viết in hoa")
    check_style(
        report,
        "PL1.II.5a.title-style",
        where,
        s.title.spans,
        "Tên loại",
        bold=True,
        italic=False,
        required="chữ in hoa, đứng, đậm",
    )
    check_size(report, "PL1.II.5a.title-size", where, s.title.spans, "Tên loại", 13, 14)
    if s.title.fmt.align != Align.CENTER:
        report.error("PL1.II.5a.title-align", where, "Tên loại không canh giữa; quy định canh giữa")
    doctype = _doctype_of_title(text)
    if parsed is not None and doctype is not None and parsed.doctype != doctype:
        found = f"“{parsed.symbol}”"
        report.error(
            "PL1.II.3.symbol",
            "trang 1, số và ký hiệu",
            f"Ký hiệu {found} không có chữ viết tắt “{doctype.abbreviation}” của "
            f"{doctype.name.lower()} (tên loại “{text}”)",
        )
    if not s.summary:
        if doctype is None or doctype.code not in _NO_SUMMARY_TYPES:
            report.error(
                "PL1.II.5a.trich-yeu",
                where,
                "Thiếu trích yếu nội dung (chữ in thường, đậm) ngay dưới tên loại",
            )
        return
    where = "trang 1, trích yếu"
    spans = tuple(sp for p in s.summary for sp in p.spans)
    check_style(
        report,
        "PL1.II.5a.trich-yeu-style",
        where,
        spans,
        "Trích yếu",
        bold=True,
        italic=False,
        required="chữ đứng, đậm",
    )
    check_size(report, "PL1.II.5a.trich-yeu-size", where, spans, "Trích yếu", 13, 14)
    pieces = [pc for p in s.summary for pc in p.pieces]
    check_rule(
        report, view, "PL1.II.5a.trich-yeu-rule", where, pieces, "trích yếu", SHORT_RULE, None
    )


def _cong_van(s: Structure, report: Report) -> None:
    where = "trang 1, trích yếu công văn"
    if not s.vv:
        report.error("PL1.II.5b.vv", "trang 1", "Công văn thiếu trích yếu “V/v …” dưới số, ký hiệu")
    else:
        spans = tuple(sp for p in s.vv for sp in p.spans)
        check_size(report, "PL1.II.5b.vv-size", where, spans, "Trích yếu “V/v”", 12, 13)
        check_style(
            report,
            "PL1.II.5b.vv-style",
            where,
            spans,
            "Trích yếu “V/v”",
            bold=False,
            italic=False,
            required="chữ in thường, đứng",
        )
    if s.kinh_gui is None:
        report.error(
            "PL1.II.9a.kinh-gui",
            "trang 1",
            "Công văn thiếu phần “Kính gửi:” (tên cơ quan, cá nhân nhận văn bản)",
        )


def check_kinh_gui(s: Structure, report: Report) -> None:
    """Check the Kính gửi block (ô 9a): colon, size, one line or a "- …;" list."""
    if s.kinh_gui is None:
        return
    where = "Kính gửi"
    text = " ".join(s.kinh_gui.text.split())
    if not text.startswith("Kính gửi:"):
        report.error(
            "PL1.II.9a.kinh-gui",
            where,
            f"Viết “{text[:20]}…”; quy định “Kính gửi:” (có dấu hai chấm)",
        )
    spans = tuple(sp for p in [s.kinh_gui, *s.kinh_gui_items] for sp in p.spans)
    check_size(report, "PL1.II.9a.kinh-gui-size", where, spans, "Phần Kính gửi", 13, 14)
    check_style(
        report,
        "PL1.II.9a.kinh-gui-style",
        where,
        spans,
        "Phần Kính gửi",
        bold=None,
        italic=False,
        required="chữ in thường, đứng",
    )
    inline = text.split(":", 1)[1].strip() if ":" in text else ""
    if not inline and not s.kinh_gui_items:
        report.error("PL1.II.9a.kinh-gui", where, "Sau “Kính gửi:” chưa ghi nơi nhận")
    items = [" ".join(p.text.split()) for p in s.kinh_gui_items]
    bad = [t for t in items[:-1] if not (t.startswith("- ") and t.endswith(";"))]
    if items and not (items[-1].startswith("- ") and items[-1].endswith(".")):
        bad.append(items[-1])
    if bad:
        report.error(
            "PL1.II.9a.kinh-gui-items",
            where,
            f"Dòng “{bad[0]}”: mỗi nơi nhận một dòng, đầu dòng “- ”, cuối dòng “;”, "
            "dòng cuối kết thúc bằng “.”",
        )


def _appendix_lines(
    line: Para | None, title: Para | None, kem_theo: Para | None, report: Report
) -> None:
    if line is not None:
        where = "phụ lục, dòng “Phụ lục”"
        check_size(report, "PL1.III.1.phu-luc-size", where, line.spans, "Dòng “Phụ lục”", 14, 14)
        check_style(
            report,
            "PL1.III.1.phu-luc-style",
            where,
            line.spans,
            "Dòng “Phụ lục”",
            bold=True,
            italic=False,
            required="chữ in thường, đứng, đậm",
        )
        if line.fmt.align != Align.CENTER:
            report.error(
                "PL1.III.1.phu-luc-align",
                where,
                "Dòng “Phụ lục” không canh giữa; quy định canh giữa",
            )
    if title is not None and line is not None:
        where = "phụ lục, tên phụ lục"
        check_size(report, "PL1.III.1.title-size", where, title.spans, "Tên phụ lục", 13, 14)
        check_style(
            report,
            "PL1.III.1.title-style",
            where,
            title.spans,
            "Tên phụ lục",
            bold=True,
            italic=False,
            required="chữ in hoa, đứng, đậm",
        )
    if kem_theo is not None:
        where = "phụ lục, dòng “(Kèm theo …)”"
        check_style(
            report,
            "PL1.III.1.kem-theo-style",
            where,
            kem_theo.spans,
            "Dòng “(Kèm theo …)”",
            bold=None,
            italic=True,
            required="chữ in thường, nghiêng",
        )
        check_size(
            report, "PL1.III.1.kem-theo-size", where, kem_theo.spans, "Dòng “(Kèm theo …)”", 13, 14
        )


_ARABIC_NUMBER = re.compile(r"^Phụ\s+lục\s+\d", re.IGNORECASE)
_KEM_THEO_TEXT = "(Kèm theo văn bản số … ngày … tháng … năm … của …)"


def _appendix_layout(view: DocxView, s: Structure, report: Report) -> None:
    """Check what Mẫu 2.1 requires of an appendix or attachment beyond the lines' formats.

    The "Phụ lục" line (Roman numerals when numbered), the title, "(Kèm theo …)" centred
    under it, the short rule, and the content ending with "./.". An attachment with its
    own header (a trích ngang) has no "Phụ lục" line; everything else applies to it.
    """
    line, title, kem_theo = s.appendix_line, s.title, s.kem_theo
    if line is not None and _ARABIC_NUMBER.match(" ".join(line.text.split())):
        report.error(
            "PL1.III.1.phu-luc-number",
            "phụ lục, dòng “Phụ lục”",
            f"Viết “{line.text.strip()}”; phụ lục được đánh số thứ tự bằng chữ số La Mã "
            "(Phụ lục I, Phụ lục II…)",
        )
    if title is None:
        report.error(
            "PL1.III.1.title",
            "phụ lục, tên phụ lục",
            "Không tìm thấy tên phụ lục (chữ in hoa, đứng, đậm, canh giữa) "
            + ("dưới dòng “Phụ lục”" if line is not None else "ở đầu văn bản"),
        )
    elif not is_upper(title.text):
        report.error(
            "PL1.III.1.title",
            "phụ lục, tên phụ lục",
            f"Tên phụ lục “{' '.join(title.text.split())}” không viết in hoa; quy định chữ in hoa",
        )
    where = "phụ lục, dòng “(Kèm theo …)”"
    if kem_theo is None:
        report.error(
            "PL1.III.1.kem-theo",
            "phụ lục, dưới tên phụ lục",
            f"Thiếu dòng “{_KEM_THEO_TEXT}” chữ in thường, nghiêng, canh giữa dưới tên phụ lục",
        )
    else:
        text = " ".join(kem_theo.text.split())
        if not text.endswith(")"):
            report.error(
                "PL1.III.1.kem-theo",
                where,
                f"Dòng “{text}” chưa đóng ngoặc; quy định “{_KEM_THEO_TEXT}”",
            )
        if kem_theo.fmt.align != Align.CENTER:
            report.error(
                "PL1.III.1.kem-theo-align",
                where,
                "Dòng “(Kèm theo …)” không canh giữa; quy định canh giữa dưới tên phụ lục",
            )
        if rule_after(view, kem_theo) is None:
            report.error(
                "PL1.III.1.rule",
                where,
                "Thiếu đường kẻ ngang nét liền dưới dòng “(Kèm theo …)” (Mẫu 2.1 Phụ lục III)",
            )
    if s.end_mark is None:
        last = s.body[-1].label() if s.body else "cuối phụ lục"
        report.error(
            "PL1.II.6.end-mark",
            last,
            "Nội dung phụ lục không kết thúc bằng dấu “./.”; "
            "nếu nội dung kết thúc bằng bảng, đặt “./.” trên dòng riêng ngay dưới bảng",
        )


def check_trailing_appendix(s: Structure, report: Report) -> None:
    """Check a "Phụ lục" that follows the signed document in the same file."""
    if not s.trailing_appendix:
        return
    line, *rest = s.trailing_appendix
    title = next((p for p in rest if is_upper(p.text)), None)
    kem_theo = next((p for p in rest if p.text.lstrip().startswith("(Kèm theo")), None)
    _appendix_lines(line, title, kem_theo, report)
