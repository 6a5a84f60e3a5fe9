"""Checks of the body (ô 6): size, justification, first-line indent, spacing, end mark.

A finding is reported once per rule with the paragraphs it concerns, so a document typed
at 12 pt gets one line "Cỡ chữ 12 pt ở 40 đoạn", not forty.
"""

from __future__ import annotations

from collections import defaultdict

from docgen.checker.docx_read import Para, visible
from docgen.checker.formatting import Align
from docgen.checker.model import Report, num, sizes_text
from docgen.checker.structure import Structure, is_upper, mostly_bold

BODY_SIZE = (13.0, 14.0)
FIRST_LINE_CM = (0.95, 1.32)  # 1 cm or 1.27 cm, ± 0.05 cm
MIN_GAP_PT = 6.0
SINGLE_LINE = 1.15  # a single line of Times New Roman ≈ 1.15 × the font size
LINE_SPACING = (1.0, 1.5)
_TWIPS_PER_CM = 1440 / 2.54


class _Collector:
    def __init__(self) -> None:
        self.paras: dict[str, list[Para]] = defaultdict(list)
        self.values: dict[str, list[str]] = defaultdict(list)

    def add(self, rule: str, para: Para, value: str) -> None:
        self.paras[rule].append(para)
        if value not in self.values[rule]:
            self.values[rule].append(value)

    def places(self, rule: str, shown: int = 3) -> str:
        paras = self.paras[rule]
        labels = "; ".join(p.label() for p in paras[:shown])
        rest = len(paras) - shown
        return labels + (f" và {rest} đoạn khác" if rest > 0 else "")


def is_heading(p: Para) -> bool:
    """Return True for a centred heading ("Phần I", "QUYẾT ĐỊNH:", an upper-case title)."""
    return p.fmt.align == Align.CENTER and (mostly_bold(p.spans) or is_upper(p.text))


def _line_spacing(p: Para, size: float) -> tuple[float, str] | None:
    """Return (lines, shown value) when the spacing is outside single–1.5 lines, else None."""
    fmt = p.fmt
    single = size * SINGLE_LINE
    if fmt.line_rule == "auto":
        lines, shown = fmt.line, f"{num(fmt.line, 2)} dòng"
    elif fmt.line_rule == "atLeast":
        lines, shown = max(fmt.line, single) / single, f"tối thiểu {num(fmt.line)} pt"
    else:
        lines, shown = fmt.line / single, f"chính xác {num(fmt.line)} pt"
    low, high = LINE_SPACING
    return None if low - 0.05 <= lines <= high + 0.01 else (lines, shown)


def check_body(s: Structure, report: Report) -> None:
    """Check every body paragraph and the end mark."""
    found = _Collector()
    body = s.body
    basis = {p.index for p in s.basis}
    for i, p in enumerate(body):
        spans = visible(p.spans)
        sizes = [sp.size for sp in spans]
        bad = [x for x in sizes if not BODY_SIZE[0] - 0.05 <= x <= BODY_SIZE[1] + 0.05]
        if bad:
            found.add("PL1.II.6.body-size", p, sizes_text(bad))
        if p.index in basis and not all(sp.italic for sp in spans):
            found.add("PL1.II.6.can-cu-style", p, "không nghiêng")
        if is_heading(p):
            continue
        if p.fmt.align != Align.JUSTIFY:
            found.add("PL1.II.6.body-align", p, _ALIGN_NAMES[p.fmt.align])
        first_cm = p.fmt.first_line / _TWIPS_PER_CM
        if not FIRST_LINE_CM[0] <= first_cm <= FIRST_LINE_CM[1]:
            found.add("PL1.II.6.body-indent", p, f"{num(first_cm, 2)} cm")
        size = max(sizes, default=14.0)
        if (spacing := _line_spacing(p, size)) is not None:
            found.add("PL1.II.6.body-line-spacing", p, spacing[1])
        following = body[i + 1] if i + 1 < len(body) else None
        if following is not None and following.index == p.index + 1:
            gap = _gap(p, following)
            if gap < MIN_GAP_PT - 0.05:
                found.add("PL1.II.6.body-spacing", p, f"{num(gap)} pt")
    _report(found, report)
    if s.end_mark is None and body and not s.appendix:
        report.error(
            "PL1.II.6.end-mark", body[-1].label(), "Nội dung văn bản không kết thúc bằng dấu “./.”"
        )


_ALIGN_NAMES = {
    Align.LEFT: "căn trái",
    Align.CENTER: "canh giữa",
    Align.RIGHT: "căn phải",
    Align.JUSTIFY: "canh đều",
}


def _gap(p: Para, following: Para) -> float:
    """Return the space between two adjacent paragraphs (contextual spacing drops both)."""
    same_style = p.fmt.style_id == following.fmt.style_id
    after = 0.0 if p.fmt.contextual and same_style else p.fmt.after_pt
    before = 0.0 if following.fmt.contextual and same_style else following.fmt.before_pt
    return after + before


_MESSAGES = {
    "PL1.II.6.body-size": ("Nội dung văn bản cỡ chữ {values} ở {count} đoạn; quy định 13–14 pt"),
    "PL1.II.6.body-align": ("Nội dung văn bản {values} ở {count} đoạn; quy định canh đều hai lề"),
    "PL1.II.6.body-indent": (
        "Thụt lề dòng đầu {values} ở {count} đoạn; quy định lùi vào 1 cm hoặc 1,27 cm"
    ),
    "PL1.II.6.body-spacing": (
        "Khoảng cách giữa các đoạn {values} ở {count} đoạn; quy định tối thiểu 6 pt"
    ),
    "PL1.II.6.body-line-spacing": (
        "Khoảng cách dòng {values} ở {count} đoạn; quy định tối thiểu dòng đơn, tối đa 1,5 dòng"
    ),
    "PL1.II.6.can-cu-style": (
        "Căn cứ ban hành không in nghiêng ở {count} đoạn; quy định chữ in thường, nghiêng"
    ),
}


def _report(found: _Collector, report: Report) -> None:
    for rule, template in _MESSAGES.items():
        if not found.paras[rule]:
            continue
        values = ", ".join(found.values[rule][:4])
        message = template.format(values=values, count=len(found.paras[rule]))
        report.error(rule, found.places(rule), message)
