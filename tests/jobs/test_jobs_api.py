"""Renditions as a job through the API and the job page, run here by the app's own queue.

The queue is real (huey on SQLite in the test's instance folder); ``run_pending`` runs the
queued tasks in this process, as ``docgen worker`` would. LibreOffice is real too.
"""

from __future__ import annotations

import subprocess

import pytest
from flask import Flask
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.jobs import get_queue
from docgen.jobs.archive import queue_archive_job
from docgen.models import Job, JobKind, Rendition
from docgen.policy import system_actor
from tests.conftest import TEST_NOW
from tests.helpers import TEST_PASSWORD, api_body, api_client, make_user
from tests.web.pages import sign_in


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


@pytest.fixture
def on_issue(app: Flask) -> Flask:
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    return app


def test_issuing_queues_the_renditions_and_gets_answer_202_until_they_exist(on_issue, api, loaded):
    app = on_issue
    created = api.post("/api/v1/documents", json=api_body(loaded))
    assert created.status_code == 201
    document_id = created.json["id"]
    with get_db(app).session() as session:  # the job committed with the document
        job = session.scalars(select(Job)).one()
        assert (job.kind, job.state, job.params) == ("renditions", "queued", {"document_id": 1})
        assert job.actor == "văn.thư" and job.organisation_id == "ubnd-tinh"
    waiting = api.get(f"/api/v1/documents/{document_id}/pdf")
    assert waiting.status_code == 202
    assert waiting.headers["Location"] == f"/api/v1/jobs/{job.id}" == waiting.json["job"]
    assert waiting.headers["Retry-After"] == "2" and waiting.json["state"] == "queued"
    assert api.get(f"/api/v1/documents/{document_id}/preview/1.png").status_code == 202
    status = api.get(f"/api/v1/jobs/{job.id}").json
    assert (status["state"], status["done"], status["total"]) == ("queued", 0, 2)
    assert status["links"]["page"] == f"/jobs/{job.id}" and "pdf" not in status["links"]
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 1  # no second job

    assert get_queue(app).run_pending() == 1  # what `docgen worker` does

    status = api.get(f"/api/v1/jobs/{job.id}").json
    assert (status["state"], status["done"], status["total"]) == ("done", 2, 2)
    assert status["message"] == "Đã tạo xong bản PDF và PDF/A."
    assert status["links"]["pdf"] == f"/api/v1/documents/{document_id}/pdf"
    pdf = api.get(status["links"]["pdf"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Số: 01/KH-UBND" in _text(pdf.data)
    assert api.get(status["links"]["pdfa"]).status_code == 200
    assert api.get(f"/api/v1/documents/{document_id}/preview/1.png").mimetype == "image/png"
    with get_db(app).session() as session:
        kinds = session.scalars(select(Rendition.kind).order_by(Rendition.kind)).all()
        assert kinds == ["pdf", "pdfa"]


def test_a_document_without_a_job_is_404_until_one_is_requested_and_gets_only_one(app, api, loaded):
    # renditions on issue are off (the tests' default): a GET must not queue anything
    document_id = api.post("/api/v1/documents", json=api_body(loaded)).json["id"]
    missing = api.get(f"/api/v1/documents/{document_id}/pdfa")
    assert missing.status_code == 404 and missing.json["code"] == "rendition_missing"
    assert "chưa có bản PDF" in missing.json["message"]
    request_url = f"/api/v1/documents/{document_id}/renditions"
    assert missing.json["details"]["request"] == request_url
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0
    first = api.post(request_url, json={})
    second = api.post(request_url, json={})
    assert first.status_code == second.status_code == 202
    assert first.json["job"] == second.json["job"] == first.headers["Location"]
    waiting = api.get(f"/api/v1/documents/{document_id}/pdf")
    assert waiting.status_code == 202 and waiting.json["job"] == first.json["job"]
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 1
        assert session.scalar(select(func.count()).select_from(Rendition)) == 0


def test_issuing_commits_when_the_queue_is_down_and_the_job_waits(app, api, loaded):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    app.config["DOCGEN_QUEUE_URL"] = "redis://127.0.0.1:9/0"  # nothing listens on port 9
    created = api.post("/api/v1/documents", json=api_body(loaded))
    assert created.status_code == 201
    with get_db(app).session() as session:
        job = session.scalars(select(Job)).one()
        assert job.state == "queued"
    status = api.get(f"/api/v1/jobs/{job.id}").json
    assert status["state"] == "queued" and status["queue_available"] is False
    browser = app.test_client()
    sign_in(browser, "văn.thư", TEST_PASSWORD)
    page = browser.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Hàng đợi công việc chưa sẵn sàng" in page


def test_a_job_is_visible_to_its_user_its_admins_and_the_readers_of_what_it_makes(
    on_issue, api, loaded
):
    app = on_issue
    api.post("/api/v1/documents", json=api_body(loaded))
    url = "/api/v1/jobs/1"
    assert api.get(url).status_code == 200
    colleague = make_user(app, "vanthu2", organisation="ubnd-tinh", roles=("registrar",))
    admin = make_user(app, "quantri", organisation="ubnd-tinh", roles=("admin",))
    archivist = make_user(app, "luutru", organisation="ubnd-tinh", roles=("archivist",))
    stranger = make_user(app, "quantri-snv", organisation="snv", roles=("admin",))
    assert api_client(app, colleague).get(url).status_code == 200  # reads the document
    with get_db(app).session() as session:  # an archive-wide job is not about a document
        job = queue_archive_job(session, JobKind.VERIFY, actor=system_actor(), now=TEST_NOW)
        session.commit()
    assert api_client(app, colleague).get(f"/api/v1/jobs/{job.id}").status_code == 404
    assert api_client(app, admin).get(url).status_code == 200
    assert api_client(app, archivist).get(url).status_code == 200
    hidden = api_client(app, stranger).get(url)
    assert hidden.status_code == 404 and hidden.json["code"] == "not_found"
    assert "công việc" in hidden.json["message"]
    assert app.test_client().get(url).status_code == 401
    assert api.get("/api/v1/jobs/99").status_code == 404


def test_the_job_panel_polls_while_running_and_stops_when_done(on_issue, api, loaded):
    app = on_issue
    api.post("/api/v1/documents", json=api_body(loaded))
    browser = app.test_client()
    assert sign_in(browser, "văn.thư", TEST_PASSWORD).status_code in (302, 303)
    fragment = browser.get("/jobs/1", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html
    assert 'hx-get="/jobs/1"' in html and 'hx-trigger="every 1500ms"' in html
    assert '<progress id="job-1-progress" max="2" value="0">' in html
    assert "Chờ tạo bản PDF, PDF/A của văn bản số 01/KH-UBND." in html
    page = browser.get("/jobs/1").get_data(as_text=True)  # without JavaScript: a whole page
    assert "<html" in page and '<a href="/jobs/1">Tải lại' in page

    get_queue(app).run_pending()

    done = browser.get("/jobs/1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in done and "hx-get" not in done  # polling stops
    assert '<progress id="job-1-progress" max="2" value="2">' in done
    assert "đã xong" in done and "Tải lại" not in done
    assert browser.get("/jobs/99").status_code == 404
