"""PDF, PDF/A and page previews through the API, made by the real (warm) LibreOffice."""

from __future__ import annotations

import io
import struct
import subprocess

import pikepdf
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.jobs import get_queue
from docgen.models import Rendition
from tests.helpers import api_body

_plan = api_body  # the 2017 plan, as the API takes it


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_issuing_makes_pdf_and_pdfa_right_after_the_commit(app, api, loaded):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    created = api.post("/api/v1/documents", json=_plan(loaded)).json
    assert get_queue(app).run_pending() == 1  # the renditions job, as `docgen worker` runs it
    with get_db(app).session() as s:
        kinds = s.scalars(select(Rendition.kind).where(Rendition.document_id == created["id"]))
        assert sorted(kinds) == ["pdf", "pdfa"]
    pdf = api.get(f"/api/v1/documents/{created['id']}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _text(pdf.data)
    assert "Số: 01/KH-UBND" in text and created["date_line"] in text
    assert "KẾ HOẠCH" in text and "Mai Văn Huỳnh" in text
    again = api.get(
        f"/api/v1/documents/{created['id']}/pdf", headers={"If-None-Match": pdf.headers["ETag"]}
    )
    assert again.status_code == 304
    pdfa = api.get(f"/api/v1/documents/{created['id']}/pdfa")
    with pikepdf.open(io.BytesIO(pdfa.data)) as archived:
        meta = archived.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    described = api.get(f"/api/v1/documents/{created['id']}").json
    assert described is not None


def test_renditions_are_queued_on_request_and_never_made_twice(app, api, loaded):
    created = api.post("/api/v1/documents", json=_plan(loaded)).json
    assert api.get(f"/api/v1/documents/{created['id']}/pdf").status_code == 404  # none queued
    assert api.post(f"/api/v1/documents/{created['id']}/renditions", json={}).status_code == 202
    waiting = api.get(f"/api/v1/documents/{created['id']}/pdf")
    assert waiting.status_code == 202 and waiting.headers["Location"] == waiting.json["job"]
    assert api.get(f"/api/v1/documents/{created['id']}/pdf").json["job"] == waiting.json["job"]
    assert get_queue(app).run_pending() == 1
    first = api.get(f"/api/v1/documents/{created['id']}/pdf")
    second = api.get(f"/api/v1/documents/{created['id']}/pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    with get_db(app).session() as s:
        count = s.scalar(select(func.count()).select_from(Rendition))
    assert count == 2  # one PDF, one PDF/A


def test_page_previews_of_issued_documents_and_drafts(app, api, loaded):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    created = api.post("/api/v1/documents", json=_plan(loaded)).json
    assert api.get(f"/api/v1/documents/{created['id']}/preview/1.png").status_code == 202
    get_queue(app).run_pending()
    page1 = api.get(f"/api/v1/documents/{created['id']}/preview/1.png")
    assert page1.status_code == 200 and page1.mimetype == "image/png"
    width, height = _png_size(page1.data)
    assert height > width  # A4 portrait
    missing = api.get(f"/api/v1/documents/{created['id']}/preview/99.png")
    assert missing.status_code == 404 and "trang" in missing.json["message"].lower()
    draft = api.post("/api/v1/drafts/preview/2.png", json=_plan(loaded))
    assert draft.status_code == 200 and _png_size(draft.data)[1] > 0


def test_draft_as_pdf(api, loaded):
    response = api.post("/api/v1/drafts?format=pdf", json=_plan(loaded))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert "Số: /KH-UBND" in text  # a draft has no number yet
    bad = api.post("/api/v1/drafts?format=odt", json=_plan(loaded))
    assert bad.status_code == 400 and bad.json["code"] == "bad_request"
