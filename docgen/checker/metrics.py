"""Printed width of text in Times New Roman, to measure rules against the line above them.

Advance widths (1/1000 em) of Times New Roman, regular and bold, as carried by its
metric-compatible twin Liberation Serif; Vietnamese letters take the width of their base
letter (tone marks do not change it), except the horned ơ/ư and đ, listed on their own.
"""

from __future__ import annotations

import unicodedata

_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~ĐđƠơƯư–—“”‘’…"
)
_REGULAR = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 "
    "611 889 722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 "
    "500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 "
    "500 500 444 480 200 480 541 722 500 722 529 776 542 500 1000 444 444 333 333 1000"
)
_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 "
    "667 944 722 778 611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 "
    "556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 "
    "500 500 444 394 220 394 520 722 556 778 554 796 600 500 1000 500 500 333 333 1000"
)
_WIDTHS = {
    False: dict(zip(_CHARS, map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARS, map(int, _BOLD.split()), strict=True)),
}
_HORN = "\u031b"
_HORNED = {"o": "ơ", "O": "Ơ", "u": "ư", "U": "Ư"}


def _char_width(ch: str, bold: bool) -> int:
    table = _WIDTHS[bold]
    if ch in table:
        return table[ch]
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    if _HORN in decomposed and base in _HORNED:
        base = _HORNED[base]
    return table.get(base, 500)


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Return the printed width of ``text`` at ``size_pt`` in points."""
    return sum(_char_width(ch, bold) for ch in text) * size_pt / 1000
