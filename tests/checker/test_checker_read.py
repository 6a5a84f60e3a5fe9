"""Reading a DOCX: formatting resolved through styles, numbering, tables, theme and defaults."""

from __future__ import annotations

import docx
import pytest
from checker_docs import save
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from docgen.checker.docx_read import open_docx, read
from docgen.checker.formatting import Align
from docgen.checker.metrics import text_width_pt


def _view(doc):
    """Return the checker's view of ``doc`` after a save/load round trip."""
    return read(open_docx(save(doc)))


def _span(doc, text: str):
    para = next(p for p in _view(doc).paras if text in p.text)
    return next(s for s in para.spans if text in s.text)


def _set(rpr_parent, tag: str, **attrs) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    el = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    rpr.append(el)


def test_defaults_theme_font_and_document_default_size():
    doc = docx.Document()  # python-docx's template: theme minor font Cambria, sz 22
    doc.add_paragraph("văn bản")
    span = _span(doc, "văn bản")
    assert span.fonts == ("Cambria",)
    assert span.size == 11
    assert (span.bold, span.italic, span.color) == (False, False, None)


def test_word_defaults_when_no_level_sets_font_or_size():
    doc = docx.Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    doc.add_paragraph("mặc định")
    span = _span(doc, "mặc định")
    assert span.fonts == ("Times New Roman",)
    assert span.size == 10


def test_paragraph_style_chain_and_direct_override():
    doc = docx.Document()
    base = doc.styles.add_style("Base", WD_STYLE_TYPE.PARAGRAPH)
    base.font.size, base.font.name = Pt(12), "Arial"
    child = doc.styles.add_style("Child", WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = base
    child.font.bold = True
    doc.add_paragraph("kế thừa", style=child)
    p = doc.add_paragraph(style=child)
    run = p.add_run("ghi đè")
    run.font.size, run.font.bold = Pt(14), False
    inherited, direct = _span(doc, "kế thừa"), _span(doc, "ghi đè")
    assert (inherited.size, inherited.bold, inherited.fonts) == (12, True, ("Arial",))
    assert (direct.size, direct.bold, direct.fonts) == (14, False, ("Arial",))


def test_character_style_and_off_values():
    doc = docx.Document()
    strong = doc.styles.add_style("Nhấn", WD_STYLE_TYPE.CHARACTER)
    strong.font.italic = True
    p = doc.add_paragraph()
    p.add_run("nghiêng", style=strong)
    off = p.add_run(" thẳng")
    _set(off._r, "i", val="0")
    assert _span(doc, "nghiêng").italic is True
    assert _span(doc, "thẳng").italic is False


def test_table_style_applies_to_cell_text():
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=1)
    style = doc.styles.add_style("Bảng 10", WD_STYLE_TYPE.TABLE)
    style.font.size = Pt(10)
    table.style = style
    table.cell(0, 0).paragraphs[0].add_run("ô bảng")
    para = next(p for p in _view(doc).paras if p.text == "ô bảng")
    assert para.spans[0].size == 10
    assert para.where.label() == "bảng 1 (hàng 1, cột 1)"


def test_caps_shows_capitals_and_hidden_text_is_skipped():
    doc = docx.Document()
    p = doc.add_paragraph()
    shown = p.add_run("cộng hòa")
    _set(shown._r, "caps")
    hidden = p.add_run(" ẩn")
    _set(hidden._r, "vanish")
    para = next(x for x in _view(doc).paras if x.text)
    assert para.text == "CỘNG HÒA"


def test_numbered_paragraph_takes_its_indent_from_the_list_level():
    doc = docx.Document()
    doc.add_paragraph("gạch đầu dòng", style="List Bullet")
    para = next(p for p in _view(doc).paras if p.text == "gạch đầu dòng")
    assert para.fmt.first_line == -360
    assert para.fmt.left == 360


def test_paragraph_format_resolution():
    doc = docx.Document()
    p = doc.add_paragraph("đoạn")
    fmt = p.paragraph_format
    fmt.alignment, fmt.first_line_indent = 3, Pt(36)  # justify, 720 twips
    fmt.space_before, fmt.line_spacing = Pt(3), 1.5
    resolved = next(x for x in _view(doc).paras if x.text == "đoạn").fmt
    assert resolved.align is Align.JUSTIFY
    assert resolved.first_line == 720
    assert resolved.before_pt == 3
    assert resolved.after_pt == 10  # python-docx's template: docDefaults spacing after 200
    assert (resolved.line_rule, resolved.line) == ("auto", 1.5)


def test_pieces_split_at_tabs_and_line_breaks():
    doc = docx.Document()
    p = doc.add_paragraph()
    p.add_run("ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    p.add_run().add_break()
    p.add_run("TỈNH KIÊN GIANG")
    para = next(x for x in _view(doc).paras if x.text)
    assert [(pc.text, pc.line, pc.col) for pc in para.pieces] == [
        ("ỦY BAN NHÂN DÂN", 0, 0),
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 1),
        ("TỈNH KIÊN GIANG", 1, 0),
    ]
    assert para.pieces[1].spans[0].bold and not para.pieces[2].spans[0].bold


def test_paragraph_location_quotes_its_first_words():
    doc = docx.Document()
    doc.add_paragraph("")
    doc.add_paragraph("Thực hiện Kế hoạch số 5/KH-HĐTĐKT ngày 09/3/2017 của Hội đồng Thi đua")
    para = next(x for x in _view(doc).paras if x.text)
    assert para.label() == "đoạn 1 (“Thực hiện Kế hoạch số 5/KH-HĐTĐKT ngày…”)"


@pytest.mark.parametrize(
    ("text", "size", "bold", "points"),
    [
        # Liberation Serif (metric-compatible with Times New Roman), measured with FreeType
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, 248.6),
        ("Độc lập - Tự do - Hạnh phúc", 13, True, 158.9),
        ("TỈNH KIÊN GIANG", 13, False, 110.5),
    ],
)
def test_text_width_matches_the_font_metrics(text, size, bold, points):
    assert text_width_pt(text, size, bold=bold) == pytest.approx(points, rel=0.01)
