"""The bao-cao template's optional by-group table: absent, the sample record renders byte for
byte as with the template built without it; present, its rows print and pass the checker."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from docgen.checker import check_docx, has_errors
from docgen.rendering.builder import _normalise_zip, _report
from docgen.rendering.documents import DocumentRenderer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "bao-cao-6-thang-2017"


def _render(templates: Path, records, **fields) -> bytes:
    request = records.document(SAMPLE).request()
    renderer = DocumentRenderer(templates)
    prepared = renderer.prepare(
        records, "bao-cao", issuer=request["issuer"], signer=request["signer"],
        recipients=request["recipients"], fields={**request["fields"], **fields},
        unit=request.get("unit"),
    )  # fmt: skip
    return renderer.render(prepared, number=None, issue_date=None, year=2017).docx


def _document_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


@pytest.fixture
def without_breakdown(tmp_path: Path) -> Path:
    """Return a templates folder whose bao-cao is built as before the by-group table."""
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", folder)
    document = docx.Document()
    _report(breakdown=False)(document)
    raw = io.BytesIO()
    document.save(raw)
    (folder / "bao-cao.docx").write_bytes(_normalise_zip(raw.getvalue()))
    return folder


def test_the_sample_record_renders_exactly_as_before(records, without_breakdown):
    before = _document_xml(_render(without_breakdown, records))
    now = _document_xml(_render(ROOT / "templates", records))
    assert now == before
    assert "Số liệu theo nhóm".encode() not in now


def test_the_breakdown_rows_print_and_pass_the_checker(records):
    rows = [
        {"group": "Sở, ban, ngành cấp tỉnh", "addressed": "21", "on_time": "05", "late": "01",
         "missing": "15", "nominees": "13 (04/09)", "attainment": "05/21 (23,8%)"},
        {"group": "Tổng cộng", "addressed": "21", "nominees": "13 (04/09)"},
    ]  # fmt: skip
    data = _render(ROOT / "templates", records, breakdown=rows)
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Nhóm cơ quan, đơn vị")
    cells = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert cells == [
        ["1", "Sở, ban, ngành cấp tỉnh", "21", "05", "01", "15", "13 (04/09)", "05/21 (23,8%)"],
        ["2", "Tổng cộng", "21", "", "", "", "13 (04/09)", ""],
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.index("Số liệu theo nhóm cơ quan, đơn vị:") < text.index("II. PHƯƠNG HƯỚNG")
    assert not has_errors(check_docx(data)), check_docx(data)
