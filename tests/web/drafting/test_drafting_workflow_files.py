"""After ban hành from the page: the renditions job is queued with the document, and the
document page shows its progress until DOCX, PDF and PDF/A are all offered."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.jobs.runner import run_job
from docgen.models import Job
from tests.web.drafting.test_drafting_workflow import _approved, _client, _step
from tests.web.pages import text


@pytest.mark.slow
def test_the_document_page_offers_the_renditions_once_the_job_made_them(
    app, people, loaded, tmp_path
):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    draft_id = _approved(app, people, loaded)
    registrar = _client(app, people, "vanthu")
    issued = _step(registrar, draft_id, "issue", 3)
    assert issued.status_code == 303
    with get_db(app).session() as session:  # the job committed with the document
        job = session.scalars(select(Job)).one()
        assert (job.kind, job.state, job.params["document_id"]) == ("renditions", "queued", 1)

    page = text(registrar.get(issued.headers["Location"]))
    assert "Đã ban hành văn bản số 01/KH-UBND." in page
    assert 'PDF: <span class="muted">đang tạo…' in page and "/documents/1/pdf" not in page
    assert 'hx-trigger="every 1500ms"' in page and "part=files" in page
    assert f"/jobs/{job.id}" in page

    run_job(app, job.id)  # what the worker does (LibreOffice)

    part = registrar.get("/documents/1?part=files", headers={"HX-Request": "true"})
    fragment = text(part)
    assert part.status_code == 200 and fragment.lstrip().startswith("{#") is False
    assert "<html" not in fragment and 'id="document-files"' in fragment
    for kind in ("docx", "pdf", "pdfa"):
        assert f'href="/documents/1/{kind}"' in fragment, kind
    assert "hx-trigger" not in fragment and "đang tạo" not in fragment  # polling stops

    pdf = registrar.get("/documents/1/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf.data)
    words = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout  # fmt: skip
    assert "Số: 01/KH-UBND" in words and "ngày 20 tháng 3 năm 2017" in words
