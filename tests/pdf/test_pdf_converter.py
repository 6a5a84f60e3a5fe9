"""The warm LibreOffice converter against real soffice processes: text, fonts, PDF/A, metadata,
previews and merge of its output, bad input, health and concurrency."""

from __future__ import annotations

import io
import os
import struct
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import docx
import pikepdf
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from docgen.rendering.merge import merge_pdfs
from docgen.rendering.pdf import (
    Converter,
    DocumentUnreadable,
    PdfMetadata,
    soffice_convert,
)
from docgen.rendering.previews import page_png

pytestmark = pytest.mark.slow


SYMBOL_LINE = "Số: 05/KH-UBND"
DATE_LINE = "Kiên Giang, ngày 09 tháng 3 năm 2017"
TITLE_LINE = "Tuyên truyền các điển hình tiên tiến năm 2017"
PAGE_TWO_LINE = "Ủy ban nhân dân các huyện, thị xã, thành phố"
SIGNER_LINE = "Mai Văn Huỳnh"
METADATA = PdfMetadata(
    title="Kế hoạch tuyên truyền các phong trào thi đua yêu nước năm 2017",
    author="Ủy ban nhân dân tỉnh Kiên Giang",
    subject="Kế hoạch",
    keywords=("thi đua", "điển hình tiên tiến"),
    symbol="05/KH-UBND",
    issued=date(2017, 3, 9),
    signer="Mai Văn Huỳnh",
)


# --- documents -------------------------------------------------------------------------------


def _page_field(paragraph) -> None:
    """Append ``Trang <PAGE>`` as a real Word field (begin, instruction, separate, end)."""
    paragraph.add_run("Trang ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            result = OxmlElement("w:t")
            result.text = "1"
            run._r.append(result)


def make_docx(*, pages: int = 2, marker: str = "") -> bytes:
    """Return a Times New Roman A4 plan of ``pages`` pages with a page number in the header."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_field(section.header.paragraphs[0])
    for line in (SYMBOL_LINE, DATE_LINE, "KẾ HOẠCH", TITLE_LINE, marker):
        document.add_paragraph(line)
    for page in range(2, pages + 1):
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(f"Phần {page}. Nơi nhận:")
        document.add_paragraph(PAGE_TWO_LINE)
    document.add_paragraph("KT. CHỦ TỊCH")
    document.add_paragraph(SIGNER_LINE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- reading PDFs back -----------------------------------------------------------------------


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    """Return ``pdftotext`` output for the whole PDF or one page."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    result = subprocess.run(
        ["pdftotext", *pages, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def font_embedding(pdf: bytes) -> dict[str, bool]:
    """Return, per font name, whether its descriptor has a FontFile, FontFile2 or FontFile3."""
    embedded = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor", {})
                files = ("/FontFile", "/FontFile2", "/FontFile3")
                embedded[str(font.BaseFont)] = any(key in descriptor for key in files)
    return embedded


def page_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    """Two warm workers shared by the module's ordinary tests."""
    pool = Converter(workers=2, timeout=30)
    pool.start()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def plan() -> bytes:
    return make_docx(pages=2)


@pytest.fixture(scope="module")
def plan_pdf(converter: Converter, plan: bytes) -> bytes:
    return converter.to_pdf(plan, metadata=METADATA)


@pytest.fixture(scope="module")
def plan_pdfa(converter: Converter, plan: bytes) -> bytes:
    return converter.to_pdf(plan, pdfa=True, metadata=METADATA)


# --- content ---------------------------------------------------------------------------------


def test_pdf_carries_the_vietnamese_lines_on_two_numbered_pages(plan_pdf: bytes) -> None:
    assert plan_pdf.startswith(b"%PDF-")
    assert page_count(plan_pdf) == 2
    first, second = pdf_text(plan_pdf, 1), pdf_text(plan_pdf, 2)
    for line in (SYMBOL_LINE, DATE_LINE, "KẾ HOẠCH", TITLE_LINE):
        assert line in first.splitlines()
    assert PAGE_TWO_LINE in second.splitlines()
    assert SIGNER_LINE in second.splitlines()
    assert "Trang 1" in first and "Trang 2" in second  # the header field was evaluated


def test_every_font_is_embedded(plan_pdf: bytes, plan_pdfa: bytes) -> None:
    for pdf in (plan_pdf, plan_pdfa):
        fonts = font_embedding(pdf)
        assert any("LiberationSerif" in name for name in fonts)  # Times New Roman's stand-in
        assert all(fonts.values()), fonts


def test_pdfa_declares_part_2_conformance_b(plan_pdfa: bytes) -> None:
    with pikepdf.open(io.BytesIO(plan_pdfa)) as document:
        xmp = document.open_metadata()
        assert xmp["pdfaid:part"] == "2"
        assert xmp["pdfaid:conformance"] == "B"
        assert "/OutputIntents" in document.Root


def test_metadata_is_in_info_and_in_the_pdfa_xmp(plan_pdf: bytes, plan_pdfa: bytes) -> None:
    keywords = ", ".join(METADATA.keyword_list())
    assert "Số: 05/KH-UBND" in keywords
    assert "Ngày ban hành: 2017-03-09" in keywords
    assert "Người ký: Mai Văn Huỳnh" in keywords
    for pdf in (plan_pdf, plan_pdfa):
        with pikepdf.open(io.BytesIO(pdf)) as document:
            info = document.docinfo
            assert str(info["/Title"]) == METADATA.title
            assert str(info["/Author"]) == METADATA.author
            assert str(info["/Subject"]) == METADATA.subject
            assert str(info["/Keywords"]) == keywords
    with pikepdf.open(io.BytesIO(plan_pdfa)) as document:
        xmp = document.open_metadata()
        assert xmp["dc:title"] == METADATA.title
        assert xmp["dc:creator"] == [METADATA.author]
        assert xmp["dc:description"] == METADATA.subject
        assert xmp["pdf:Keywords"] == keywords


def test_warm_text_equals_a_fresh_soffice(converter: Converter, plan: bytes) -> None:
    warm = converter.to_pdf(plan)
    cold = soffice_convert(plan)
    assert page_count(cold) == page_count(warm) == 2
    assert pdf_text(warm) == pdf_text(cold)


def test_preview_of_a_converted_page_is_an_a4_png(plan_pdf: bytes) -> None:
    png = page_png(plan_pdf, 2, dpi=80)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width - 210 / 25.4 * 80) <= 1 and abs(height - 297 / 25.4 * 80) <= 1


def test_merged_renditions_keep_pages_and_vietnamese_bookmarks(
    plan_pdf: bytes, plan_pdfa: bytes
) -> None:
    labels = ["Kế hoạch 05/KH-UBND (PDF)", "Kế hoạch 05/KH-UBND (PDF/A-2b)"]
    merged = merge_pdfs(list(zip(labels, (plan_pdf, plan_pdfa), strict=True)))
    assert page_count(merged) == 4
    assert pdf_text(merged).count(SYMBOL_LINE) == 2
    with pikepdf.open(io.BytesIO(merged)) as document, document.open_outline() as outline:
        assert [item.title for item in outline.root] == labels


# --- bad input, health, concurrency ----------------------------------------------------------


def test_bytes_that_are_not_a_docx_are_refused(converter: Converter) -> None:
    with pytest.raises(DocumentUnreadable) as refused:
        converter.to_pdf(b"%PDF-1.7 not a docx")
    assert refused.value.http_status == 422
    before = [status["office_pid"] for status in converter.health()]
    with pytest.raises(DocumentUnreadable, match="LibreOffice không đọc được"):
        converter.to_pdf(b"PK\x03\x04 a zip header and nothing else")
    after = converter.health()
    assert [status["office_pid"] for status in after] == before  # the office survived
    assert all(status["answered"] for status in after)


def test_health_proves_each_worker_answers(converter: Converter) -> None:
    report = converter.health()
    assert [status["worker"] for status in report] == [0, 1]
    for status in report:
        assert status["state"] == "idle"
        assert status["answered"] is True
        assert 0 < status["latency_ms"] < 5000
        os.kill(status["office_pid"], 0)  # the process exists (raises if it does not)


def test_twenty_concurrent_requests_each_get_their_own_document(converter: Converter) -> None:
    documents = [make_docx(pages=1, marker=f"Văn bản kiểm thử số {i:02d}") for i in range(20)]
    before = [status["conversions"] for status in converter.health()]
    with ThreadPoolExecutor(max_workers=20) as pool:
        pdfs = list(pool.map(converter.to_pdf, documents))
    after = [status["conversions"] for status in converter.health()]
    assert sum(after) - sum(before) == 20
    assert all(done > start for start, done in zip(before, after, strict=True))  # both served
    for index, pdf in enumerate(pdfs):
        lines = pdf_text(pdf).splitlines()
        assert f"Văn bản kiểm thử số {index:02d}" in lines
        assert sum(line.startswith("Văn bản kiểm thử số") for line in lines) == 1
