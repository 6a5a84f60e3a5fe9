"""Every template renders from its sample record, passes the format checker, converts to PDF."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from docgen.checker import Severity, check_docx
from docgen.records import load_records

ROOT = Path(__file__).resolve().parents[2]
RECORDS = load_records(ROOT / "records")
SAMPLES = sorted(RECORDS.documents.values(), key=lambda d: d.code)


def _render(renderer, record, *, issued: bool):
    prepared = renderer.prepare(RECORDS, **record.request())
    year = record.year or (record.issue_date.year if record.issue_date else 2017)
    if issued:
        number = 9 if prepared.numbered else None
        return prepared, renderer.render(prepared, number=number, issue_date=date(year, 4, 9))
    return prepared, renderer.render(prepared, number=None, issue_date=None, year=year)


def test_every_template_has_a_recorded_sample(renderer):
    # register books and dispatch forms are filled from the archive, not from a record
    forms = {spec.code for spec in renderer.templates if spec.layout == "register"}
    assert {d.template for d in SAMPLES} >= set(renderer.templates.codes()) - forms


@pytest.mark.parametrize("record", SAMPLES, ids=lambda d: d.code)
@pytest.mark.parametrize("issued", [False, True], ids=["draft", "issued"])
def test_rendered_sample_passes_the_format_checker(renderer, record, issued):
    prepared, rendered = _render(renderer, record, issued=issued)
    errors = [f for f in check_docx(rendered.docx) if f.severity == Severity.ERROR]
    assert errors == [], "\n".join(f"[{f.rule}] {f.location}: {f.message}" for f in errors)
    if issued and prepared.numbered:
        assert f"Số: 09/{prepared.symbol}" in rendered.text
        assert "ngày 09 tháng 4 năm" in rendered.text


@pytest.fixture(scope="module")
def pdf_texts(renderer, tmp_path_factory) -> dict[str, str]:
    """Convert every sample (issued) with one LibreOffice run; return code → pdftotext text."""
    tmp = tmp_path_factory.mktemp("pdf")
    sources = []
    for record in SAMPLES:
        _, rendered = _render(renderer, record, issued=True)
        path = tmp / f"{record.code}.docx"
        path.write_bytes(rendered.docx)
        sources.append(str(path))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    texts = {}
    for record in SAMPLES:
        pdf = tmp / f"{record.code}.pdf"
        texts[record.code] = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    return texts


@pytest.mark.parametrize("record", SAMPLES, ids=lambda d: d.code)
def test_sample_converts_to_pdf_with_its_key_lines(renderer, record, pdf_texts):
    prepared, rendered = _render(renderer, record, issued=True)
    text = " ".join(pdf_texts[record.code].split())
    if prepared.numbered:
        assert f"Số: 09/{prepared.symbol}" in text
    if prepared.spec.layout != "appendix":
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert rendered.date_line in text
    if prepared.title:
        assert prepared.title in text
    if rendered.signer_name:
        assert rendered.signer_name in text
