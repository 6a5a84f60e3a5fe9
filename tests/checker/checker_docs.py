"""Builds test DOCX files laid out like docgen's templates, conforming unless told otherwise.

``Spec`` holds every knob a test may turn; ``build(spec)`` returns the python-docx
Document, ``save(doc)`` its bytes. A test changes one knob (``replace(SPEC, body_size=12)``)
and asserts that exactly the matching rule fires.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.checker import Finding, Severity, check_docx

FONT = "Times New Roman"
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LEFT, CENTER = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
TWIPS_PER_MM = 1440 / 25.4

BODY = (
    "Thực hiện Kế hoạch số 5/KH-HĐTĐKT ngày 09/3/2017 của Hội đồng Thi đua - Khen thưởng Trung "
    "ương về việc tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, mô hình "
    "mới, nhân tố mới năm 2017, Ủy ban nhân dân tỉnh Kiên Giang ban hành Kế hoạch thực hiện "
    "như sau:",
    "I. MỤC ĐÍCH YÊU CẦU",
    "1. Thường xuyên đẩy mạnh công tác tuyên truyền tư tưởng thi đua yêu nước của Chủ tịch Hồ Chí "
    "Minh, chủ trương của Đảng và chính sách, pháp luật của Nhà nước về thi đua, khen thưởng nhằm "
    "nâng cao hơn nữa nhận thức về vị trí, vai trò, tác dụng to lớn của các phong trào thi đua.",
    "2. Cơ quan, địa phương, đơn vị chủ động phát hiện, xây dựng và lựa chọn những điển hình tiêu "
    "biểu, tập thể, cá nhân có nhiều sáng tạo, sáng kiến trên các lĩnh vực của đời sống xã hội.",
    "3. Thông qua công tác phát hiện, bồi dưỡng, tổng kết và nhân rộng điển hình tiên tiến, rút ra "
    "bài học kinh nghiệm về tổ chức triển khai, thực hiện các phong trào thi đua yêu nước.",
    "II. NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN",
    "- Tuyên truyền tư tưởng thi đua yêu nước của Chủ tịch Hồ Chí Minh;",
    "- Tuyên truyền chủ trương của Đảng, chính sách, pháp luật của Nhà nước về thi đua, khen "
    "thưởng; các văn bản chỉ đạo của Trung ương, Tỉnh ủy, UBND tỉnh về công tác thi đua, khen "
    "thưởng;",
    "- Tuyên truyền các gương điển hình tiên tiến tiêu biểu trên các lĩnh vực.",
    "Trước ngày 20 tháng 4 năm 2017, mỗi cơ quan, đơn vị giới thiệu ít nhất 02 tập thể, cá nhân "
    "tiêu biểu; mỗi huyện, thị xã, thành phố giới thiệu từ 05 tập thể, cá nhân (có trích ngang "
    "thành tích) gửi về Ban Thi đua - Khen thưởng (Sở Nội vụ) để tổng hợp.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Trên cơ sở Kế hoạch này các cơ quan, địa phương, đơn vị xây dựng kế hoạch tổ chức thực "
    "hiện, đồng thời giới thiệu các điển hình tiên tiến đảm bảo đủ số lượng và chất lượng.",
    "2. Ban Thi đua - Khen thưởng, Sở Nội vụ tham mưu Hội đồng Thi đua - Khen thưởng tỉnh hướng "
    "dẫn, kiểm tra, đôn đốc tổ chức thực hiện. Định kỳ 6 tháng, năm báo cáo kết quả thực hiện.",
    "Trên đây là Kế hoạch tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, "
    "mô hình mới, nhân tố mới năm 2017 của Ủy ban nhân dân tỉnh Kiên Giang.",
)
NOI_NHAN = (
    "- Hội đồng TĐKT Trung ương;",
    "- TT. Tỉnh ủy;",
    "- TT. HĐND tỉnh;",
    "- Sở, ban, ngành, đoàn thể cấp tỉnh;",
    "- Ban TĐKT, Sở Nội vụ (5b);",
    "- Lưu: VT, P.VHXH.",
)


@dataclass(frozen=True)
class Spec:
    """Every knob of a test document; the defaults make a conforming Kế hoạch."""

    page_mm: tuple[float, float] = (210, 297)
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15)  # top, bottom, left, right
    landscape: bool = False
    table_in_landscape: bool = False
    font: str = FONT
    parent_lines: tuple[str, ...] = ()
    issuer_lines: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG")
    issuer_size: float = 13
    issuer_bold: bool = True
    issuer_rule: bool = True
    national: str = NATIONAL
    national_size: float = 12
    national_bold: bool = True
    motto: str = MOTTO
    motto_size: float = 13
    motto_rule: bool = True
    motto_rule_fraction: float = 1.0
    number_line: str | None = "Số: 05/KH-UBND"
    number_size: float = 13
    number_italic: bool = False
    date_line: str | None = "Kiên Giang, ngày 09 tháng 3 năm 2017"
    date_size: float = 14
    date_italic: bool = True
    date_below_number: bool = False  # put the date in a row of its own
    vv: str | None = None
    title: str | None = "KẾ HOẠCH"
    title_size: float = 14
    title_bold: bool = True
    title_align: object = CENTER
    summary: str | None = (
        "Tuyên truyền các phong trào thi đua yêu nước, các điển hình tiên tiến, "
        "mô hình mới, nhân tố mới năm 2017"
    )
    summary_rule: bool = True
    kinh_gui: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    basis_italic: bool = True
    body: tuple[str, ...] = BODY
    body_size: float = 14
    body_align: object = JUSTIFY
    first_line_mm: float | None = 12.7
    after_pt: float = 6
    line_spacing: float = 1.15
    end_mark: bool = True
    noi_nhan_label: str | None = "Nơi nhận:"
    noi_nhan_size: float = 12
    noi_nhan: tuple[str, ...] = NOI_NHAN
    noi_nhan_item_size: float = 11
    signer_lines: tuple[str, ...] = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    signer_bold: bool = True
    signer_name: str = "Mai Văn Huỳnh"
    signer_size: float = 14
    page_numbers: str = "header"  # "header", "none", "every-page", "footer"
    page_number_size: float = 13
    appendix: tuple[str, ...] = field(default=())  # ("Phụ lục", title, "(Kèm theo …)")


SPEC = Spec()


def set_fonts(rpr_parent, font: str) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for name in list(fonts.attrib):
        del fonts.attrib[name]
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


def para(
    container,
    text: str = "",
    *,
    size: float = 14,
    bold=False,
    italic=False,
    align=CENTER,
    first_line: float | None = None,
    left: float | None = None,
    after: float = 0,
    before: float = 0,
    line: float = 1.0,
    font: str = FONT,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(after), Pt(before), line
    if first_line is not None:
        fmt.first_line_indent = Mm(first_line)
    if left is not None:
        fmt.left_indent = Mm(left)
    if text:
        run = p.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
        set_fonts(run._r, font)
    return p


def rule(container, box_mm: float, fraction: float, *, in_cell: bool = True) -> None:
    """Append an empty paragraph with a top border ``fraction`` × the box's width, centred."""
    p = para(container, size=2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        top.set(qn(k), v)
    bdr.append(top)
    ppr.insert(0, bdr)
    box = box_mm * TWIPS_PER_MM - (216 if in_cell else 0)
    indent = round(box * (1 - fraction) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(indent / 20)


def _rule_fraction(
    text: str, size: float, box_mm: float, share: float, *, in_cell: bool = True
) -> float:
    """Return the fraction of the box that makes a rule ``share`` × the text line's width."""
    from docgen.checker.metrics import text_width_pt

    box = box_mm * TWIPS_PER_MM - (216 if in_cell else 0)
    line = min(text_width_pt(text, size, bold=True) * 20, box)
    return line * share / box


def _table(doc: Document, widths_mm: list[float], rows: int):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
    return table


def _drop_first(cell) -> None:
    first = cell.paragraphs[0]
    if len(cell.paragraphs) > 1 and not first.text:
        first._p.getparent().remove(first._p)


def _page_number(p, size: float) -> None:
    p.paragraph_format.alignment = CENTER
    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(slot), FONT)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.extend([fonts, sz])
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend([rpr, text])
    field_el.append(run)
    p._p.append(field_el)


def setup_document(doc: Document, spec: Spec) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = spec.font, Pt(spec.body_size)
    set_fonts(normal.element, spec.font)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for fonts in defaults.iter(qn("w:rFonts")):
        for name in list(fonts.attrib):
            del fonts.attrib[name]
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), spec.font)
    section = doc.sections[0]
    width, height = spec.page_mm
    if spec.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
    else:
        section.page_width, section.page_height = Mm(width), Mm(height)
    top, bottom, left, right = spec.margins_mm
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    if spec.page_numbers == "header":
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        _page_number(section.header.paragraphs[0], spec.page_number_size)
    elif spec.page_numbers == "every-page":
        _page_number(section.header.paragraphs[0], spec.page_number_size)
    elif spec.page_numbers == "footer":
        section.different_first_page_header_footer = True
        _page_number(section.footer.paragraphs[0], spec.page_number_size)


def _header(doc: Document, spec: Spec) -> None:
    left_mm, right_mm = 72, 93
    table = _table(doc, [left_mm, right_mm], rows=3 if spec.date_below_number else 2)
    org, nation = table.rows[0].cells
    for line in spec.parent_lines:
        para(org, line, size=spec.issuer_size)
    for line in spec.issuer_lines:
        para(org, line, size=spec.issuer_size, bold=spec.issuer_bold)
    if spec.issuer_rule and spec.issuer_lines:
        longest = max(spec.issuer_lines, key=len)
        rule(org, left_mm, _rule_fraction(longest, spec.issuer_size, left_mm, 0.4))
    _drop_first(org)
    para(nation, spec.national, size=spec.national_size, bold=spec.national_bold)
    para(nation, spec.motto, size=spec.motto_size, bold=True)
    if spec.motto_rule:
        rule(
            nation,
            right_mm,
            _rule_fraction(spec.motto, spec.motto_size, right_mm, spec.motto_rule_fraction),
        )
    _drop_first(nation)
    number, dateline = table.rows[1].cells
    if spec.date_below_number:
        dateline = table.rows[2].cells[1]
    if spec.number_line is not None:
        para(number, spec.number_line, size=spec.number_size, italic=spec.number_italic, before=6)
    if spec.vv is not None:
        para(number, spec.vv, size=12, before=6)
    _drop_first(number)
    if spec.date_line is not None:
        para(dateline, spec.date_line, size=spec.date_size, italic=spec.date_italic, before=6)
    _drop_first(dateline)


def body_para(doc, text: str, spec: Spec, *, italic=False, bold=False):
    return para(
        doc,
        text,
        size=spec.body_size,
        bold=bold,
        italic=italic,
        align=spec.body_align,
        first_line=spec.first_line_mm,
        after=spec.after_pt,
        line=spec.line_spacing,
        font=spec.font,
    )


def _signer(doc: Document, spec: Spec) -> None:
    table = _table(doc, [80, 85], rows=1)
    left, right = table.rows[0].cells
    if spec.noi_nhan_label is not None:
        para(
            left,
            spec.noi_nhan_label,
            size=spec.noi_nhan_size,
            bold=True,
            italic=True,
            align=LEFT,
            before=12,
        )
    for line in spec.noi_nhan:
        para(left, line, size=spec.noi_nhan_item_size, align=LEFT)
    _drop_first(left)
    for line in spec.signer_lines:
        para(right, line, size=spec.signer_size, bold=spec.signer_bold, before=12)
    for _ in range(4):
        para(right, size=spec.signer_size)
    para(right, spec.signer_name, size=spec.signer_size, bold=True)
    _drop_first(right)


def ending(text: str, end_mark: bool) -> str:
    """Return ``text`` ending with "./." when asked ("…Kiên Giang." → "…Kiên Giang./.")."""
    if not end_mark:
        return text
    return text + ("/." if text.endswith(".") else "./.")


def build(spec: Spec = SPEC) -> Document:
    """Return a python-docx Document laid out like docgen's templates, per ``spec``."""
    doc = docx.Document()
    setup_document(doc, spec)
    if spec.appendix:
        line, title, kem_theo = spec.appendix
        para(doc, line, size=14, bold=True)
        para(doc, title, size=14, bold=True)
        para(doc, kem_theo, size=14, italic=True)
        rule(doc, 252, 0.3, in_cell=False)
        _data_table(doc)
        if spec.end_mark:  # Mẫu 2.1: the content ends with "./.", on its own line after a table
            para(doc, "./.", align=WD_ALIGN_PARAGRAPH.RIGHT)
        return doc
    _header(doc, spec)
    if spec.title is not None:
        para(
            doc,
            spec.title,
            size=spec.title_size,
            bold=spec.title_bold,
            align=spec.title_align,
            before=18,
        )
    if spec.summary is not None:
        para(doc, spec.summary, size=14, bold=True)
        if spec.summary_rule:
            rule(doc, 165, _rule_fraction(spec.summary, 14, 165, 0.4, in_cell=False), in_cell=False)
    if len(spec.kinh_gui) == 1:
        para(doc, f"Kính gửi: {spec.kinh_gui[0]}", size=14, before=6, after=6)
    elif spec.kinh_gui:
        para(doc, "Kính gửi:", size=14, align=LEFT, left=30, before=6)
        for item in spec.kinh_gui:
            para(doc, item, size=14, align=LEFT, left=53)
    for line in spec.basis:
        body_para(doc, line, spec, italic=spec.basis_italic)
    for i, text in enumerate(spec.body):
        last = i == len(spec.body) - 1
        heading = text.isupper()
        body_para(doc, ending(text, last and spec.end_mark), spec, bold=heading)
    if spec.table_in_landscape:
        _data_table(doc)
    _signer(doc, spec)
    return doc


def _data_table(doc: Document) -> None:
    table = doc.add_table(rows=3, cols=3)
    table.style = doc.styles["Table Grid"]
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for row, values in zip(
        table.rows,
        [("STT", "Họ và tên", "Ghi chú"), ("1", "Nguyễn Văn A", ""), ("2", "Trần Thị B", "")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            p = cell.paragraphs[0]
            if value:
                run = p.add_run(value)
                run.font.size = Pt(12)
                set_fonts(run._r, FONT)


def save(doc: Document) -> bytes:
    """Return the DOCX bytes of ``doc``."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def check(spec_or_doc: Spec | Document = SPEC) -> list[Finding]:
    """Return the findings of a Spec or a Document."""
    doc = build(spec_or_doc) if isinstance(spec_or_doc, Spec) else spec_or_doc
    return check_docx(save(doc))


def errors(findings: list[Finding]) -> set[str]:
    """Return the rule ids of the ERROR findings."""
    return {f.rule for f in findings if f.severity is Severity.ERROR}


def only_errors(findings: list[Finding], *rules: str) -> None:
    """Assert that each of ``rules`` fired as an error and that no other error did."""
    found = errors(findings)
    listing = "\n".join(f"[{f.rule}] {f.location}: {f.message}" for f in findings)
    assert found == set(rules), listing


def finding(findings: list[Finding], rule: str) -> Finding:
    """Return the single finding of ``rule``."""
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, [f.rule for f in findings]
    return matching[0]


def new_landscape_section(doc: Document) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
