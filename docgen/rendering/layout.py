"""Page geometry shared by the template builder and the render context (twips, points, mm).

Decree 30 Appendix I fixes the page (A4, margins) and asks for rules "1/3 to 1/2 as long as
the line above"; these numbers and the text-width estimate live here, in one place.
"""

from __future__ import annotations

TWIPS_PER_MM = 1440 / 25.4
CELL_MARGIN_TWIPS = 108  # Word's default left/right cell margin

PAGE_A4_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165
LANDSCAPE_TEXT_WIDTH_MM = PAGE_A4_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 252

HEADER_LEFT_MM = 72  # organisation name, number, V/v
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_LEFT_MM  # Quốc hiệu, Tiêu ngữ, date line
SIGNER_LEFT_MM = 80  # Nơi nhận
SIGNER_RIGHT_MM = TEXT_WIDTH_MM - SIGNER_LEFT_MM  # signer block

RULE_FRACTION = 0.4  # between the Decree's 1/3 and 1/2


def mm(value: float) -> int:
    """Return ``value`` millimetres in twips."""
    return round(value * TWIPS_PER_MM)


def text_width_pt(text: str, size_pt: float) -> float:
    """Return an estimate of the printed width of ``text`` in Times New Roman (bold).

    Calibrated against Liberation Serif Bold (metric-compatible with Times New Roman):
    capitals ≈ 0.62 em, small letters ≈ 0.45 em, spaces ≈ 0.25 em — within ~5 % on the
    header lines, which is all a rule length needs.
    """
    em = 0.0
    for ch in text:
        if ch.isspace():
            em += 0.25
        elif ch.isupper():
            em += 0.62
        elif ch in "-.,;:()/":
            em += 0.33
        else:
            em += 0.45
    return em * size_pt


def rule_indent(
    text: str,
    size_pt: float,
    box_mm: float,
    *,
    fraction: float = RULE_FRACTION,
    inside_cell: bool = True,
) -> int:
    """Return the left/right indent (twips) that centres a rule of ``fraction`` × the text width.

    The text may wrap inside a box of ``box_mm``: then the line is as wide as the box.
    """
    box = mm(box_mm) - (2 * CELL_MARGIN_TWIPS if inside_cell else 0)
    line = min(text_width_pt(text, size_pt) * 20, box)
    rule = line * fraction
    return max(0, round((box - rule) / 2))
