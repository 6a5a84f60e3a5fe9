"""Checks of the header (ô 1–4): Quốc hiệu, Tiêu ngữ, issuing body, number, date line.

Each element is checked for its text (with docgen's Decree-30 rules), its case, weight,
slant and size, and the rules drawn under it; a missing element is an error except in an
appendix document, which carries none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.checker.docx_read import DocxView, Para, Piece, has_line_shape, visible
from docgen.checker.formatting import Span
from docgen.checker.metrics import text_width_pt
from docgen.checker.model import Report, mm, num, sizes_text, span_range
from docgen.checker.structure import MOTTO, Structure, is_upper
from docgen.errors import RuleError
from docgen.rules.dates import parse_date_line
from docgen.rules.numbering import ParsedNumber, parse_number_line
from docgen.rules.text import upper_vi

SIZE_TOLERANCE = 0.05
# Measured rule length ÷ estimated text length; the estimate is within a few per cent.
MOTTO_RULE = (0.8, 1.25)  # "có độ dài bằng độ dài của dòng chữ"
SHORT_RULE = (0.3, 0.56)  # "từ 1/3 đến 1/2 độ dài của dòng chữ"


def check_size(
    report: Report,
    rule: str,
    where: str,
    spans: tuple[Span, ...],
    what: str,
    low: float,
    high: float,
) -> None:
    """Report the sizes of ``spans`` outside ``low``–``high`` pt."""
    bad = [
        s.size
        for s in visible(spans)
        if not low - SIZE_TOLERANCE <= s.size <= high + SIZE_TOLERANCE
    ]
    if bad:
        wanted = span_range(low, high)
        report.error(rule, where, f"{what} cỡ chữ {sizes_text(bad)}; quy định {wanted}")


def check_style(
    report: Report,
    rule: str,
    where: str,
    spans: tuple[Span, ...],
    what: str,
    *,
    bold: bool | None,
    italic: bool,
    required: str,
) -> None:
    """Report ``spans`` whose weight or slant differ from ``bold`` / ``italic``."""
    shown = visible(spans)
    problems = []
    if bold is True and not all(s.bold for s in shown):
        problems.append("không in đậm")
    if bold is False and any(s.bold for s in shown):
        problems.append("in đậm")
    if italic and not all(s.italic for s in shown):
        problems.append("không in nghiêng")
    if not italic and any(s.italic for s in shown):
        problems.append("in nghiêng")
    if problems:
        report.error(rule, where, f"{what} {', '.join(problems)}; quy định {required}")


@dataclass(frozen=True)
class RuleMark:
    """A horizontal rule found under an element."""

    para: Para
    length: int | None  # twips; None for a drawn line whose length is not measured


def rule_after(view: DocxView, para: Para) -> RuleMark | None:
    """Return the horizontal rule under ``para``: a border, or a drawn line nearby."""
    if para.fmt.border_bottom:
        return RuleMark(para, view.container_width(para))
    box = (para.where.kind, para.where.table, para.where.row, para.where.col)
    for p in view.paras[para.index + 1 : para.index + 4]:
        if (p.where.kind, p.where.table, p.where.row, p.where.col) != box:
            break
        if p.fmt.border_top or p.fmt.border_bottom:
            return RuleMark(p, view.container_width(p))
        if has_line_shape(p.el):
            return RuleMark(p, None)
        if not p.empty:
            break
    return RuleMark(para, None) if has_line_shape(para.el) else None


def _line_width(pieces: list[Piece], view: DocxView) -> float:
    """Return the printed width (twips) of the longest line, capped at its container."""
    widest = 0.0
    for pc in pieces:
        width = sum(text_width_pt(s.text, s.size, bold=s.bold) for s in pc.spans) * 20
        box = view.container_width(pc.para)
        widest = max(widest, min(width, box) if box else width)
    return widest


class Shapes:
    """Drawn lines in the header that no element claimed (Word anchors them anywhere)."""

    def __init__(self, view: DocxView, s: Structure) -> None:
        self.left = sum(1 for p in view.paras[: s.header_end + 1] if has_line_shape(p.el))

    def take(self) -> bool:
        """Return True (and use it up) if an unclaimed drawn line is left."""
        if self.left > 0:
            self.left -= 1
            return True
        return False


def check_rule(
    report: Report,
    view: DocxView,
    rule_id: str,
    where: str,
    under: list[Piece],
    what: str,
    bounds: tuple[float, float],
    shapes: Shapes | None,
) -> None:
    """Report a missing rule under ``under`` (error) or one of the wrong length (warning).

    The length is only a warning: the text's printed width is estimated from font metrics.
    """
    mark = rule_after(view, under[-1].para)
    if mark is None:
        if shapes is None or not shapes.take():
            report.error(rule_id, where, f"Thiếu đường kẻ ngang nét liền dưới {what}")
        return
    if mark.length is None:
        return
    text = _line_width(under, view)
    if text <= 0:
        return
    ratio = mark.length / text
    low, high = bounds
    if not low <= ratio <= high:
        wanted = "bằng độ dài dòng chữ" if high > 1 else "từ 1/3 đến 1/2 độ dài dòng chữ"
        report.warning(
            rule_id,
            where,
            f"Đường kẻ dưới {what} dài {mm(mark.length / 56.7)}, "
            f"bằng {num(ratio * 100, 0)}% dòng chữ (ước tính {mm(text / 56.7)}); "
            f"quy định {wanted}",
        )


def check_header(view: DocxView, s: Structure, report: Report) -> ParsedNumber | None:
    """Check ô 1–4 and return the parsed number line (None if absent or unreadable)."""
    required = not s.appendix
    shapes = Shapes(view, s)
    _national(view, s, report, required, shapes)
    _issuer(view, s, report, required, shapes)
    parsed, draft = _number(s, report, required)
    draft = _date(s, report, required) or draft
    if draft:
        report.warning(
            "PL1.II.3.draft",
            "trang 1, số và ngày ban hành",
            "Bản dự thảo chưa có số, ngày ban hành; Văn thư ghi số, ngày khi ban hành",
        )
    return parsed


def _national(view: DocxView, s: Structure, report: Report, required: bool, shapes: Shapes) -> None:
    where = "trang 1, Quốc hiệu"
    if s.national is None:
        if required:
            report.error(
                "PL1.II.1.quoc-hieu",
                "trang 1",
                "Không tìm thấy Quốc hiệu “CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM”",
            )
    else:
        if s.national.text != upper_vi(s.national.text):
            report.error(
                "PL1.II.1.quoc-hieu",
                where,
                f"Quốc hiệu viết “{s.national.text}”; quy định chữ in hoa",
            )
        check_style(
            report,
            "PL1.II.1.quoc-hieu-style",
            where,
            s.national.spans,
            "Quốc hiệu",
            bold=True,
            italic=False,
            required="chữ in hoa, đứng, đậm",
        )
        check_size(report, "PL1.II.1.quoc-hieu-size", where, s.national.spans, "Quốc hiệu", 12, 13)
    where = "trang 1, Tiêu ngữ"
    if s.motto is None:
        if required:
            report.error("PL1.II.1.tieu-ngu", "trang 1", f"Không tìm thấy Tiêu ngữ “{MOTTO}”")
        return
    text = " ".join(s.motto.text.split())
    if text != MOTTO:
        report.error(
            "PL1.II.1.tieu-ngu",
            where,
            f"Tiêu ngữ viết “{text}”; quy định “{MOTTO}” (chữ cái đầu mỗi cụm từ viết "
            "hoa, giữa các cụm từ có gạch nối, có cách chữ)",
        )
    check_style(
        report,
        "PL1.II.1.tieu-ngu-style",
        where,
        s.motto.spans,
        "Tiêu ngữ",
        bold=True,
        italic=False,
        required="chữ in thường, đứng, đậm",
    )
    check_size(report, "PL1.II.1.tieu-ngu-size", where, s.motto.spans, "Tiêu ngữ", 13, 14)
    check_rule(
        report, view, "PL1.II.1.tieu-ngu-rule", where, [s.motto], "Tiêu ngữ", MOTTO_RULE, shapes
    )


def _issuer(view: DocxView, s: Structure, report: Report, required: bool, shapes: Shapes) -> None:
    where = "trang 1, tên cơ quan ban hành"
    if not s.org_lines:
        if required and (s.national or s.number):
            report.error(
                "PL1.II.2.co-quan",
                "trang 1",
                "Không tìm thấy tên cơ quan, tổ chức "
                "ban hành văn bản (chữ in hoa, bên trái, ngang Quốc hiệu)",
            )
        return
    for line in s.org_lines:
        if not is_upper(line.text):
            report.error(
                "PL1.II.2.co-quan",
                where,
                f"Tên cơ quan “{line.text}” không viết in hoa; quy định chữ in hoa",
            )
    spans = tuple(sp for line in s.org_lines for sp in line.spans)
    what = "Tên cơ quan ban hành"
    check_size(report, "PL1.II.2.co-quan-size", where, spans, what, 12, 13)
    check_style(
        report,
        "PL1.II.2.co-quan-style",
        where,
        spans,
        what,
        bold=None,
        italic=False,
        required="kiểu chữ đứng",
    )
    last = s.org_lines[-1]
    if not all(sp.bold for sp in visible(last.spans)):
        report.error(
            "PL1.II.2.co-quan-style",
            where,
            f"Tên cơ quan ban hành “{last.text}” không in đậm; quy định chữ in hoa, đứng, đậm",
        )
    issuer = [pc for pc in s.org_lines if all(sp.bold for sp in visible(pc.spans))] or [last]
    check_rule(
        report,
        view,
        "PL1.II.2.co-quan-rule",
        where,
        issuer,
        "tên cơ quan ban hành",
        SHORT_RULE,
        shapes,
    )


def _number(s: Structure, report: Report, required: bool) -> tuple[ParsedNumber | None, bool]:
    where = "trang 1, số và ký hiệu"
    if s.number is None:
        if required:
            report.error(
                "PL1.II.3.number",
                "trang 1",
                "Không tìm thấy số, ký hiệu văn bản (dạng “Số: 05/KH-UBND”)",
            )
        return None, False
    parsed = None
    try:
        parsed = parse_number_line(s.number.text)
    except RuleError as exc:
        report.error("PL1.II.3.number", where, exc.message)
    check_size(report, "PL1.II.3.number-size", where, s.number.spans, "Số, ký hiệu", 13, 13)
    check_style(
        report,
        "PL1.II.3.number-style",
        where,
        s.number.spans,
        "Số, ký hiệu",
        bold=False,
        italic=False,
        required="kiểu chữ đứng, không đậm",
    )
    return parsed, parsed is not None and parsed.number is None


def _date(s: Structure, report: Report, required: bool) -> bool:
    where = "trang 1, địa danh và ngày tháng"
    if s.date is None:
        if required:
            report.error(
                "PL1.II.4.date",
                "trang 1",
                "Không tìm thấy dòng địa danh, ngày tháng năm "
                "ban hành (ví dụ “Kiên Giang, ngày 09 tháng 3 năm 2017”)",
            )
        return False
    draft = False
    try:
        _, issued = parse_date_line(s.date.text)
        draft = issued is None
    except RuleError as exc:
        report.error("PL1.II.4.date", where, exc.message)
    check_style(
        report,
        "PL1.II.4.date-style",
        where,
        s.date.spans,
        "Dòng ngày tháng",
        bold=False,
        italic=True,
        required="chữ in thường, nghiêng",
    )
    check_size(report, "PL1.II.4.date-size", where, s.date.spans, "Dòng ngày tháng", 13, 14)
    if s.number is not None and not _same_row(s.number, s.date):
        report.error(
            "PL1.II.4.date-row",
            where,
            "Dòng địa danh, ngày tháng không cùng hàng với "
            "số, ký hiệu; quy định trình bày trên cùng một dòng với số, ký hiệu",
        )
    return draft


def _same_row(a: Piece, b: Piece) -> bool:
    wa, wb = a.para.where, b.para.where
    if wa.kind == wb.kind == "cell":
        return wa.table == wb.table and wa.row == wb.row and wa.col != wb.col
    return a.para is b.para and a.line == b.line
