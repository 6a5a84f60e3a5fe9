"""Page previews (pdftoppm) and PDF merging with bookmarks (pikepdf), on PDFs built here."""

from __future__ import annotations

import io
import struct
import subprocess

import pikepdf
import pytest
from pikepdf import Dictionary, Name

from docgen.rendering.merge import merge_pdfs
from docgen.rendering.pdf import InvalidPdf
from docgen.rendering.previews import PageNotFound, page_count, page_png

PARTS = (
    ("Kế hoạch số 05/KH-UBND", 2),
    ("Danh sách tập thể, cá nhân điển hình tiên tiến", 1),
    ("Tờ trình đề nghị khen thưởng — Sở Nội vụ", 3),
)


def make_pdf(tag: str, pages: int) -> bytes:
    """Return a PDF whose page ``n`` reads ``<tag> page n`` and is ``200 + 100·n`` pt wide."""
    document = pikepdf.new()
    font = document.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, pages + 1):
        page = document.add_blank_page(page_size=(200 + 100 * number, 400))
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        text = f"BT /F1 12 Tf 20 200 Td ({tag} page {number}) Tj ET"
        page.Contents = document.make_stream(text.encode("ascii"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk, after checking the signature."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


# --- previews --------------------------------------------------------------------------------


def test_page_count_reads_the_pdf() -> None:
    assert page_count(make_pdf("A", 3)) == 3


def test_page_png_renders_the_requested_page_at_the_requested_dpi() -> None:
    pdf = make_pdf("A", 3)
    assert png_size(page_png(pdf, 1, dpi=72)) == (300, 400)
    assert png_size(page_png(pdf, 3, dpi=72)) == (500, 400)  # page 3 is the widest
    assert png_size(page_png(pdf, 3, dpi=144)) == (1000, 800)
    assert png_size(page_png(pdf, 2)) == (445, 445)  # 80 dpi by default: ⌈400 · 80 / 72⌉


@pytest.mark.parametrize("page", [0, 4, -1])
def test_a_page_out_of_range_is_a_404_in_vietnamese(page: int) -> None:
    with pytest.raises(PageNotFound) as missing:
        page_png(make_pdf("A", 3), page)
    assert missing.value.http_status == 404
    assert missing.value.message == f"Không có trang {page}: văn bản có 3 trang."
    assert missing.value.to_dict()["details"] == {"page": page, "pages": 3}


def test_bytes_that_are_not_a_pdf_are_refused() -> None:
    with pytest.raises(InvalidPdf) as refused:
        page_png(b"PK\x03\x04 a docx, not a pdf", 1)
    assert refused.value.http_status == 422
    with pytest.raises(InvalidPdf):
        page_count(b"")


# --- merge -----------------------------------------------------------------------------------


def test_merge_keeps_every_page_in_order_under_one_bookmark_per_part() -> None:
    parts = [(label, make_pdf(f"P{i}", pages)) for i, (label, pages) in enumerate(PARTS)]
    merged = merge_pdfs(parts)
    assert page_count(merged) == 6
    text = pdf_text(merged)
    expected = ["P0 page 1", "P0 page 2", "P1 page 1", "P2 page 1", "P2 page 2", "P2 page 3"]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions)
    with pikepdf.open(io.BytesIO(merged)) as document:
        assert document.Root.PageMode == Name.UseOutlines
        with document.open_outline() as outline:
            items = list(outline.root)
            assert [item.title for item in items] == [label for label, _ in PARTS]
            first_pages = [
                document.pages.index(pikepdf.Page(item.destination[0])) for item in items
            ]
            assert all(not item.children for item in items)
    assert first_pages == [0, 2, 3]


def test_merge_names_the_part_that_is_not_a_pdf() -> None:
    with pytest.raises(InvalidPdf, match="Phần “Tờ trình” không phải là tệp PDF"):
        merge_pdfs([("Kế hoạch", make_pdf("A", 1)), ("Tờ trình", b"not a pdf")])
    with pytest.raises(ValueError):
        merge_pdfs([])
