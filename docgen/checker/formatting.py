"""Effective formatting of runs and paragraphs: direct → styles → numbering → table → defaults.

python-docx reports only what a run or paragraph sets itself; a format check needs what
Word shows, so the properties are looked up level by level, as ECMA-376 §17.7.2 orders
them: direct formatting, the character style, the paragraph style (its ``basedOn`` chain),
numbering, the table style, the document defaults, and Word's own defaults at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from docgen.rules.text import nfc

DEFAULT_FONT = "Times New Roman"  # what Word uses when no level names a font
DEFAULT_SIZE_PT = 10.0  # what Word uses when no level sets w:sz
AUTO_SPACING_PT = 14.0  # Word's "auto" paragraph spacing (beforeAutospacing/afterAutospacing)
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MAX_CHAIN = 16  # basedOn chains longer than this are broken files; stop there


def w(tag: str) -> str:
    """Return the Clark name of a WordprocessingML tag or attribute ("w:sz")."""
    return qn(f"w:{tag}")


def attr(el: etree._Element | None, name: str = "val") -> str | None:
    """Return the w:``name`` attribute of ``el``, or None when ``el`` or the attribute is absent."""
    return None if el is None else el.get(w(name))


def on_off(el: etree._Element | None) -> bool | None:
    """Return the value of an on/off element (``<w:b/>``, ``<w:b w:val="0"/>``); None if absent."""
    if el is None:
        return None
    value = el.get(w("val"))
    return value is None or value.lower() in ("1", "true", "on")


def twips(value: str | None) -> int | None:
    """Return a twips attribute as an int ("720", "720.0"), None if absent or not a number."""
    if value is None:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


_ALIGN = {
    "left": Align.LEFT,
    "start": Align.LEFT,
    "center": Align.CENTER,
    "right": Align.RIGHT,
    "end": Align.RIGHT,
    "both": Align.JUSTIFY,
    "distribute": Align.JUSTIFY,
    "lowKashida": Align.JUSTIFY,
    "mediumKashida": Align.JUSTIFY,
    "highKashida": Align.JUSTIFY,
    "thaiDistribute": Align.JUSTIFY,
}


@dataclass(frozen=True)
class Span:
    """A piece of displayed text with the formatting Word resolves for it."""

    text: str
    fonts: tuple[str, ...]  # fonts of the slots the text uses (ascii and/or hAnsi)
    size: float  # points
    bold: bool
    italic: bool
    color: str | None  # None when black or automatic, else the RGB hex or theme colour


@dataclass(frozen=True)
class ParaFormat:
    """A paragraph's resolved layout (lengths in twips or points as named)."""

    align: Align
    first_line: int  # twips; negative for a hanging indent
    left: int  # twips
    right: int  # twips
    before_pt: float
    after_pt: float
    line_rule: str  # "auto" (multiple of single), "exact", "atLeast"
    line: float  # the multiple for "auto", points otherwise
    contextual: bool  # spacing is dropped between paragraphs of the same style
    style_id: str | None
    border_top: bool
    border_bottom: bool


class Styles:
    """Looks properties up through a document's styles, numbering, theme and defaults."""

    def __init__(self, document) -> None:
        root = document.styles.element
        self._by_id = {s.get(w("styleId")): s for s in root.findall(w("style"))}
        self._default: dict[str, str | None] = {}
        for style in root.findall(w("style")):
            if on_off_attr(style.get(w("default"))):
                self._default.setdefault(style.get(w("type")) or "", style.get(w("styleId")))
        defaults = root.find(w("docDefaults"))
        self._rpr_default = _find_path(defaults, "rPrDefault", "rPr")
        self._ppr_default = _find_path(defaults, "pPrDefault", "pPr")
        self._theme = _theme_fonts(document)
        try:
            self._numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._numbering = None

    # -- chains --------------------------------------------------------------------------------

    def _chain(self, style_id: str | None, kind: str) -> list[etree._Element]:
        """Return the style ``style_id`` (or the default of ``kind``) and its basedOn ancestors."""
        if style_id is None or style_id not in self._by_id:
            style_id = self._default.get(kind)
        chain: list[etree._Element] = []
        while style_id is not None and style_id in self._by_id and len(chain) < _MAX_CHAIN:
            style = self._by_id[style_id]
            if style in chain:
                break
            chain.append(style)
            style_id = attr(style.find(w("basedOn")))
        return chain

    def table_borders(self, style_id: str | None) -> list[etree._Element]:
        """Return the tblBorders of a table style and its ancestors, strongest first."""
        found = [_find_path(s, "tblPr", "tblBorders") for s in self._chain(style_id, "table")]
        return [b for b in found if b is not None]

    def _table_chain(self, p: etree._Element) -> list[etree._Element]:
        tbl = next(p.iterancestors(w("tbl")), None)
        if tbl is None:
            return []
        return self._chain(attr(_find_path(tbl, "tblPr", "tblStyle")), "table")

    def _para_style_id(self, p: etree._Element) -> str | None:
        return attr(_find_path(p, "pPr", "pStyle"))

    def _numbering_ppr(self, p: etree._Element, style_pprs: list) -> etree._Element | None:
        """Return the pPr of the list level a paragraph is numbered with, if any."""
        if self._numbering is None:
            return None
        num_pr = _find_path(p, "pPr", "numPr")
        for ppr in style_pprs:
            if num_pr is not None:
                break
            num_pr = ppr.find(w("numPr"))
        if num_pr is None:
            return None
        num_id, ilvl = attr(num_pr.find(w("numId"))), attr(num_pr.find(w("ilvl"))) or "0"
        if num_id in (None, "0"):
            return None
        for num in self._numbering.findall(w("num")):
            if num.get(w("numId")) != num_id:
                continue
            for override in num.findall(w("lvlOverride")):
                lvl = override.find(w("lvl"))
                if override.get(w("ilvl")) == ilvl and lvl is not None:
                    return lvl.find(w("pPr"))
            abstract_id = attr(num.find(w("abstractNumId")))
            for abstract in self._numbering.findall(w("abstractNum")):
                if abstract.get(w("abstractNumId")) == abstract_id:
                    for lvl in abstract.findall(w("lvl")):
                        if lvl.get(w("ilvl")) == ilvl:
                            return lvl.find(w("pPr"))
        return None

    def run_levels(self, r: etree._Element, p: etree._Element) -> list[etree._Element]:
        """Return the rPr elements that apply to run ``r`` in paragraph ``p``, strongest first."""
        levels = [r.find(w("rPr"))]
        levels += [
            s.find(w("rPr")) for s in self._chain(attr(_find_path(r, "rPr", "rStyle")), "character")
        ]
        levels += [s.find(w("rPr")) for s in self._chain(self._para_style_id(p), "paragraph")]
        levels += [s.find(w("rPr")) for s in self._table_chain(p)]
        levels.append(self._rpr_default)
        return [lv for lv in levels if lv is not None]

    def para_levels(self, p: etree._Element) -> list[etree._Element]:
        """Return the pPr elements that apply to paragraph ``p``, strongest first."""
        style_pprs = [s.find(w("pPr")) for s in self._chain(self._para_style_id(p), "paragraph")]
        style_pprs = [x for x in style_pprs if x is not None]
        levels = [p.find(w("pPr")), self._numbering_ppr(p, style_pprs), *style_pprs]
        levels += [s.find(w("pPr")) for s in self._table_chain(p)]
        levels.append(self._ppr_default)
        return [lv for lv in levels if lv is not None]

    # -- runs ----------------------------------------------------------------------------------

    def font(self, levels: list[etree._Element], slot: str) -> str:
        """Return the font name of ``slot`` ("ascii", "hAnsi"), theme fonts resolved."""
        for level in levels:
            fonts = level.find(w("rFonts"))
            if fonts is None:
                continue
            theme = fonts.get(w(f"{slot}Theme" if slot != "cs" else "cstheme"))
            if theme is not None:
                return self._theme.get(theme) or f"(phông chủ đề {theme})"
            name = fonts.get(w(slot))
            if name is not None:
                return name
        return DEFAULT_FONT

    def span(self, r: etree._Element, p: etree._Element, text: str) -> Span | None:
        """Return the displayed span of run ``r`` with text ``text``; None for hidden text."""
        levels = self.run_levels(r, p)
        if _first_flag(levels, "vanish") or _first_flag(levels, "webHidden"):
            return None
        if _first_flag(levels, "caps"):
            text = nfc(text.upper())
        slots = []
        visible = [c for c in text if not c.isspace()]
        if any(ord(c) < 128 for c in visible):
            slots.append("ascii")
        if any(ord(c) >= 128 for c in visible):
            slots.append("hAnsi")
        fonts = tuple(dict.fromkeys(self.font(levels, s) for s in slots))
        size = DEFAULT_SIZE_PT
        for level in levels:
            half_points = twips(attr(level.find(w("sz"))))
            if half_points is not None:
                size = half_points / 2
                break
        return Span(
            text=text,
            fonts=fonts,
            size=size,
            bold=bool(_first_flag(levels, "b")),
            italic=bool(_first_flag(levels, "i")),
            color=_color(levels),
        )

    # -- paragraphs ----------------------------------------------------------------------------

    def para_format(self, p: etree._Element, size_pt: float = 13.0) -> ParaFormat:
        """Return the resolved layout of paragraph ``p`` (``size_pt`` converts char units)."""
        levels = self.para_levels(p)
        align = Align.LEFT
        for level in levels:
            jc = attr(level.find(w("jc")))
            if jc is not None:
                align = _ALIGN.get(jc, Align.LEFT)
                break
        first_line = 0
        for level in levels:
            ind = level.find(w("ind"))
            if ind is None:
                continue
            chars = twips(ind.get(w("firstLineChars"))) or -(twips(ind.get(w("hangingChars"))) or 0)
            if chars:
                first_line = round(chars / 100 * size_pt * 20)
                break
            hanging, first = twips(ind.get(w("hanging"))), twips(ind.get(w("firstLine")))
            if hanging is not None or first is not None:
                first_line = -hanging if hanging is not None else first or 0
                break
        left = _ind(levels, "left", "start")
        right = _ind(levels, "right", "end")
        before = _spacing(levels, "before", size_pt)
        after = _spacing(levels, "after", size_pt)
        line_rule, line = "auto", 1.0
        for level in levels:
            spacing = level.find(w("spacing"))
            value = twips(attr(spacing, "line"))
            if value is not None:
                line_rule = attr(spacing, "lineRule") or "auto"
                line = value / 240 if line_rule == "auto" else value / 20
                break
        return ParaFormat(
            align=align,
            first_line=first_line,
            left=left,
            right=right,
            before_pt=before,
            after_pt=after,
            line_rule=line_rule,
            line=line,
            contextual=bool(_first_flag(levels, "contextualSpacing")),
            style_id=self._para_style_id(p) or self._default.get("paragraph"),
            border_top=_border(levels, "top"),
            border_bottom=_border(levels, "bottom"),
        )


def _find_path(el: etree._Element | None, *tags: str) -> etree._Element | None:
    for tag in tags:
        if el is None:
            return None
        el = el.find(w(tag))
    return el


def _first_flag(levels: list[etree._Element], tag: str) -> bool | None:
    for level in levels:
        value = on_off(level.find(w(tag)))
        if value is not None:
            return value
    return None


def _color(levels: list[etree._Element]) -> str | None:
    for level in levels:
        color = level.find(w("color"))
        if color is None:
            continue
        value = (color.get(w("val")) or "").lower()
        theme = color.get(w("themeColor"))
        if value in ("auto", "000000") or (not value and theme in ("text1", "dark1")):
            return None
        return value.upper() or theme
    return None


def _ind(levels: list[etree._Element], *names: str) -> int:
    for level in levels:
        ind = level.find(w("ind"))
        for name in names:
            value = twips(attr(ind, name))
            if value is not None:
                return value
    return 0


def _spacing(levels: list[etree._Element], side: str, size_pt: float) -> float:
    for level in levels:
        spacing = level.find(w("spacing"))
        if spacing is None:
            continue
        if on_off_attr(spacing.get(w(f"{side}Autospacing"))):
            return AUTO_SPACING_PT
        lines = twips(spacing.get(w(f"{side}Lines")))
        if lines is not None:
            return lines / 100 * size_pt * 1.15
        value = twips(spacing.get(w(side)))
        if value is not None:
            return value / 20
    return 0.0


def on_off_attr(value: str | None) -> bool:
    """Return True when an ST_OnOff attribute value is set ("1", "true", "on")."""
    return value is not None and value.lower() in ("1", "true", "on")


def _border(levels: list[etree._Element], side: str) -> bool:
    for level in levels:
        edge = _find_path(level, "pBdr", side)
        if edge is not None:
            return (attr(edge) or "none") not in ("none", "nil")
    return False


def _theme_fonts(document) -> dict[str, str]:
    """Return the theme's font slots ("minorHAnsi" → "Cambria"), empty if there is no theme."""
    try:
        blob = document.part.part_related_by(RT.THEME).blob
        root = etree.fromstring(blob)
    except (KeyError, etree.XMLSyntaxError):
        return {}
    out: dict[str, str] = {}
    for group in ("major", "minor"):
        font = root.find(f".//{{{_DRAWING_NS}}}{group}Font")
        if font is None:
            continue
        for child, slots in (
            ("latin", ("Ascii", "HAnsi")),
            ("ea", ("EastAsia",)),
            ("cs", ("Bidi",)),
        ):
            el = font.find(f"{{{_DRAWING_NS}}}{child}")
            typeface = el.get("typeface") if el is not None else None
            for slot in slots:
                if typeface:
                    out[f"{group}{slot}"] = typeface
    return out
