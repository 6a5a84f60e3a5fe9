"""PDF and PDF/A renditions of issued documents: real LibreOffice, stored, chained, verified."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator

import pikepdf
import pytest
from flask import Flask

from docgen.db import get_db
from docgen.policy import system_actor
from docgen.rendering.pdf import Converter
from docgen.services.archive import blob_bytes, get_rendition
from docgen.services.renditions import KINDS, convert, store_rendition
from docgen.services.verify import verify_archive


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    conv = Converter(workers=1, timeout=120)
    yield conv
    conv.close()


def make(session, document_id: int, kind: str, converter: Converter, now) -> object:
    """Return the stored rendition of ``kind`` as the renditions job makes it: convert, store."""
    pdf, pages = convert(session, document_id, kind, converter=converter)
    rendition = store_rendition(
        session, document_id, kind, pdf, pages=pages, actor=system_actor("a"), now=now
    )
    session.commit()
    return rendition


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_issued_plan_gets_pdf_and_pdfa_that_say_what_it_is(app: Flask, issue, converter, clock):
    document = issue("ke-hoach-2017")
    with get_db(app).session() as session:
        pdf, pdfa = (make(session, document.id, kind, converter, clock.now()) for kind in KINDS)
        pdf_bytes = blob_bytes(session, pdf.blob_sha256)
        pdfa_bytes = blob_bytes(session, pdfa.blob_sha256)
    text = pdf_text(pdf_bytes)
    assert "Số: 01/KH-UBND" in text
    assert "Kiên Giang, ngày 20 tháng 3 năm 2017" in text
    assert "KẾ HOẠCH" in text
    assert "KT. CHỦ TỊCH" in text and "Mai Văn Huỳnh" in text
    assert pdf.page_count == pdfa.page_count == len(pikepdf.open(io.BytesIO(pdf_bytes)).pages)
    assert pdf.page_count >= 4  # the 2017 plan runs to five pages
    with pikepdf.open(io.BytesIO(pdfa_bytes)) as archived:
        meta = archived.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        assert archived.docinfo["/Title"] == document.subject
        assert "01/KH-UBND" in str(archived.docinfo["/Keywords"])
        for page in archived.pages:
            for font in page.resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts", [font])
                for f in descendants:
                    descriptor = f.get("/FontDescriptor")
                    if descriptor is not None:
                        assert any(
                            k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                        )


def test_rendition_is_made_once_and_verify_covers_it(app: Flask, issue, converter, clock, tamper):
    document = issue("ke-hoach-2017")
    with get_db(app).session() as session:
        first = make(session, document.id, "pdf", converter, clock.now())
        again = store_rendition(
            session, document.id, "pdf", b"%PDF-other", pages=1, actor=system_actor("b"),
            now=clock.now(),
        )  # fmt: skip
        assert again.id == first.id and again.blob_sha256 == first.blob_sha256
        report = verify_archive(session)
        assert report.findings == [] and report.renditions == 1
        sha = first.blob_sha256
    tamper(
        "UPDATE rendition SET page_count = page_count + 1 WHERE blob_sha256 = :sha",
        params={"sha": sha},
    )
    with get_db(app).session() as session:
        findings = verify_archive(session).findings
    assert any(f.field == "page_count" for f in findings), findings
    with get_db(app).session() as session:
        assert get_rendition(session, document.id, "pdfa") is None
