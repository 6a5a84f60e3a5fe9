"""Archive-wide jobs (verify, re-index) and the job commands, run by the app's own queue."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select, text

from docgen.db import get_db
from docgen.jobs import get_queue
from docgen.jobs.renditions import make_renditions_now
from docgen.models import Job, JobKind
from docgen.policy import system_actor
from docgen.rendering.pdf import Converter
from docgen.services.search import SearchQuery, search
from tests.helpers import TEST_PASSWORD, make_user
from tests.web.pages import post_form, sign_in


def _job(app: Flask, job_id: int) -> Job:
    with get_db(app).session() as session:
        return session.get_one(Job, job_id)


def _last_job(app: Flask) -> Job:
    with get_db(app).session() as session:
        return session.scalars(select(Job).order_by(Job.id.desc())).first()


def _index_rows(app: Flask) -> int:
    table = "document_fts" if get_db(app).engine.dialect.name == "sqlite" else "document_search"
    with get_db(app).engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_verify_runs_as_a_job_and_reports_in_its_result(app: Flask, runner, issue, tamper):
    issue("ke-hoach-2017")
    issue("cong-van-de-nghi-2017")
    queued = runner.invoke(args=["jobs", "queue", "verify"])
    assert queued.exit_code == 0, queued.output
    job = _last_job(app)
    assert f"Công việc số {job.id}" in queued.output and job.kind == JobKind.VERIFY
    assert get_queue(app).run_pending() == 1
    job = _job(app, job.id)
    assert job.state == "done" and job.result["clean"] is True
    assert job.result["counts"]["documents"] == 2 and job.done == job.total > 0
    assert job.message.endswith("Kho lưu trữ toàn vẹn.")

    tamper("UPDATE document SET subject = 'đã bị sửa' WHERE id = 1")
    runner.invoke(args=["jobs", "queue", "verify"])
    get_queue(app).run_pending()
    job = _last_job(app)
    assert job.state == "done" and job.result["clean"] is False
    assert job.result["findings_total"] >= 1 and "sai lệch" in job.message
    listed = runner.invoke(args=["jobs", "list"]).output
    assert "Kiểm tra toàn vẹn kho lưu trữ" in listed and "đã xong" in listed


def test_reindex_rebuilds_the_search_index_as_a_job_and_in_the_foreground(
    app: Flask, runner, issue
):
    issue("ke-hoach-2017")
    issue("cong-van-de-nghi-2017")
    with get_db(app).engine.begin() as conn:  # the index is derived data: lose it
        if conn.dialect.name == "sqlite":
            conn.execute(text("INSERT INTO document_fts(document_fts) VALUES ('delete-all')"))
        else:
            conn.execute(text("DELETE FROM document_search"))
    query = SearchQuery(q="điển hình tiên tiến")
    with get_db(app).session() as session:
        assert search(session, query, actor=system_actor()).total == 0
    runner.invoke(args=["jobs", "queue", "reindex"])
    assert get_queue(app).run_pending() == 1
    job = _last_job(app)
    assert (job.state, job.result, job.done, job.total) == ("done", {"documents": 2}, 2, 2)
    with get_db(app).session() as session:
        assert search(session, query, actor=system_actor()).total == 2
    assert _index_rows(app) == 2
    foreground = runner.invoke(args=["reindex"])
    assert foreground.exit_code == 0, foreground.output
    assert "Đã lập lại chỉ mục tìm kiếm cho 2 văn bản." in foreground.output
    assert _index_rows(app) == 2  # rebuilt, not doubled


def test_a_failed_job_is_retried_from_the_command_line(app: Flask, runner, issue):
    document = issue("ke-hoach-2017")
    with Converter(workers=1, soffice="/nonexistent/soffice") as missing:
        app.config["DOCGEN_CONVERTER"] = missing
        (failed,) = make_renditions_now(app, [document.id], actor=system_actor())
    assert failed.state == "failed" and "Không tìm thấy LibreOffice" in failed.error
    refused = runner.invoke(args=["jobs", "retry", "99"])
    assert refused.exit_code == 1 and "Không có công việc số 99" in refused.output
    retried = runner.invoke(args=["jobs", "retry", str(failed.id)])
    assert retried.exit_code == 0 and "đã vào hàng đợi" in retried.output
    assert _job(app, failed.id).state == "queued"
    again = runner.invoke(args=["jobs", "retry", str(failed.id)])
    assert again.exit_code == 1 and "không thể chạy lại" in again.output


def test_the_job_page_offers_a_retry_of_a_failed_job(app: Flask, issue):
    document = issue("ke-hoach-2017")
    with Converter(workers=1, soffice="/nonexistent/soffice") as missing:
        app.config["DOCGEN_CONVERTER"] = missing
        (failed,) = make_renditions_now(app, [document.id], actor=system_actor())
    make_user(app, "luutru", organisation="ubnd-tinh", roles=("archivist",))
    make_user(app, "chuyenvien", organisation="ubnd-tinh", roles=("drafter",))
    reader = app.test_client()  # reads the document, so sees its job, but may not run it
    sign_in(reader, "chuyenvien", TEST_PASSWORD)
    seen = reader.get(f"/jobs/{failed.id}").get_data(as_text=True)
    assert "bị lỗi" in seen and "Chạy lại" not in seen
    assert post_form(reader, f"/jobs/{failed.id}/retry", {}).status_code == 403
    assert _job(app, failed.id).state == "failed"
    browser = app.test_client()
    sign_in(browser, "luutru", TEST_PASSWORD)
    page = browser.get(f"/jobs/{failed.id}").get_data(as_text=True)
    assert "bị lỗi" in page and "Không tìm thấy LibreOffice" in page and "Chạy lại" in page
    assert "hx-trigger" not in page  # a failed job does not poll
    refused = browser.post(f"/jobs/{failed.id}/retry")  # no CSRF token
    assert refused.status_code == 400 and _job(app, failed.id).state == "failed"
    retried = post_form(browser, f"/jobs/{failed.id}/retry", {})
    assert retried.status_code == 303 and retried.headers["Location"] == f"/jobs/{failed.id}"
    assert _job(app, failed.id).state == "queued"
    polling = browser.get(f"/jobs/{failed.id}", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1500ms"' in polling.get_data(as_text=True)
