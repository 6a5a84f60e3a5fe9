"""Word-like test documents: a header laid out with tabs, drawn lines instead of borders."""

from __future__ import annotations

import docx
from checker_docs import LEFT, SPEC, Spec, body_para, ending, para, set_fonts, setup_document
from docx.document import Document
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

FONT = "Times New Roman"


def run(p, text: str, *, size: float, bold=False, italic=False, font: str = FONT):
    """Append a run to ``p``; a "\t" in ``text`` becomes a tab."""
    r = p.add_run(text)
    r.font.size, r.font.bold, r.font.italic = Pt(size), bold, italic
    set_fonts(r._r, font)
    return r


def _vml_lines(p, count: int) -> None:
    """Anchor ``count`` drawn lines (VML, as older Word versions save them) in ``p``."""
    for i in range(count):
        p._p.append(
            parse_xml(
                '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
                f'<v:line id="rule{i}" from="{20 + 250 * i}pt,0" to="{80 + 250 * i}pt,0" '
                'strokeweight=".5pt"/></w:pict></w:r>'
            )
        )


_DRAWN_LINE = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1"
 behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>540000</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>20000</wp:posOffset></wp:positionV>
<wp:extent cx="1800000" cy="0"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="7" name="Đường kẻ"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvCnPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="0"/></a:xfrm>
<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/>
</a:solidFill></a:ln></wps:spPr><wps:bodyPr/></wps:wsp>
</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"""


def drawn_line(p) -> None:
    """Anchor a DrawingML straight line (as Word 2010+ saves Insert > Shapes > Line) in ``p``."""
    p._p.append(parse_xml(_DRAWN_LINE))


def build_tabbed(spec: Spec = SPEC) -> Document:
    """Return the document as a Word user types it: no tables, columns made with tabs."""
    doc = docx.Document()
    setup_document(doc, spec)
    rows = [
        (spec.issuer_lines[0], True, 13, spec.national, spec.national_size, False),
        (spec.issuer_lines[1], True, 13, spec.motto, spec.motto_size, False),
    ]
    for left, bold, size, right, right_size, italic in rows:
        p = para(doc, align=LEFT)
        p.paragraph_format.tab_stops.add_tab_stop(Mm(108), alignment=1)
        run(p, left, size=size, bold=bold)
        run(p, "\t", size=size)
        run(p, right, size=right_size, bold=True, italic=italic)
    rules = para(doc, align=LEFT)
    _vml_lines(rules, 2)
    p = para(doc, align=LEFT, before=6)
    run(p, spec.number_line or "", size=spec.number_size)
    run(p, "\t", size=13)
    run(p, spec.date_line or "", size=spec.date_size, italic=spec.date_italic)
    para(doc, spec.title or "", size=14, bold=True, before=18)
    para(doc, spec.summary or "", size=14, bold=True)
    _vml_lines(para(doc), 1)
    for i, text in enumerate(spec.body):
        last = i == len(spec.body) - 1
        body_para(doc, ending(text, last and spec.end_mark), spec, bold=text.isupper())
    signer = list(spec.signer_lines)
    lines = [(spec.noi_nhan_label or "", spec.noi_nhan_size, True)] + [
        (item, spec.noi_nhan_item_size, False) for item in spec.noi_nhan
    ]
    for i, (text, size, label) in enumerate(lines):
        p = para(doc, align=LEFT)
        run(p, text, size=size, bold=label, italic=label)
        if i < len(signer):
            run(p, "\t", size=size)
            run(p, signer[i], size=spec.signer_size, bold=True)
    p = para(doc, align=LEFT, before=48)
    run(p, "\t", size=14)
    run(p, spec.signer_name, size=spec.signer_size, bold=True)
    return doc
