"""Integrity pages: "Kiểm tra toàn vẹn" of one document, the verification reports, and the
alert a failed verification shows on every archivist page until it is acknowledged."""

from __future__ import annotations

from datetime import datetime

from docgen.jobs.scheduled import run_scheduled_verify
from docgen.services.clock import VIETNAM
from tests.archive.conftest import run_tampered
from tests.helpers import issue_record
from tests.web.pages import post_form, sign_in, text


def _issue(app, loaded, clock, code: str = "ke-hoach-2017") -> int:
    return issue_record(app, loaded, clock, code).id


def test_a_document_integrity_check_says_what_it_checked_and_finds_a_change(
    app, client, people, loaded, clock
):
    document_id = _issue(app, loaded, clock)
    sign_in(client, "luutru", people["luutru"])
    url = f"/documents/{document_id}/integrity"
    clean = post_form(client, url, {}, headers={"HX-Request": "true"})
    assert clean.status_code == 200
    page = text(clean)
    assert "Toàn vẹn: không phát hiện thay đổi" in page and "Băm lại tệp DOCX" in page
    assert "<html" not in page  # an htmx fragment

    run_tampered(
        app, "UPDATE document SET subject = 'Sửa lén' WHERE id = :i", params={"i": document_id}
    )
    changed = text(post_form(client, url, {}))
    assert "Phát hiện 1 sai lệch" in changed and "subject" in changed
    assert "<html" in changed  # without htmx: a whole page


def test_another_organisation_gets_404_for_a_document_integrity_check(
    app, client, people, loaded, clock
):
    document_id = _issue(app, loaded, clock)
    sign_in(client, "quantri-snv", people["quantri-snv"])
    assert post_form(client, f"/documents/{document_id}/integrity", {}).status_code == 404


def test_a_failed_nightly_verify_alerts_archivists_until_acknowledged(
    app, client, people, loaded, clock
):
    document_id = _issue(app, loaded, clock)
    run_tampered(
        app, "UPDATE document SET subject = 'Sửa lén' WHERE id = :i", params={"i": document_id}
    )
    clock.set(datetime(2017, 3, 21, 3, 30, tzinfo=VIETNAM))
    job_id = run_scheduled_verify(app)
    sign_in(client, "luutru", people["luutru"])
    front = text(client.get("/"))
    assert "phát hiện 1 sai lệch trong kho lưu trữ" in front
    assert f"/verifications/{job_id}" in front
    listing = text(client.get("/verifications"))
    assert "1 sai lệch" in listing and "kiểm tra theo lịch" in listing

    empty = post_form(client, f"/verifications/{job_id}", {"note": " "})
    assert empty.status_code == 200 and "Hãy ghi việc đã làm" in text(empty)
    done = post_form(client, f"/verifications/{job_id}", {"note": "Đã khôi phục từ bản sao lưu"})
    assert done.status_code == 302
    report = text(client.get(f"/verifications/{job_id}"))
    assert "Đã xác nhận bởi" in report and "Đã khôi phục từ bản sao lưu" in report
    assert "sai lệch trong kho lưu trữ" not in text(client.get("/"))


def test_a_drafter_sees_no_alert_and_cannot_open_the_reports(app, client, people, loaded, clock):
    document_id = _issue(app, loaded, clock)
    run_tampered(
        app, "UPDATE document SET subject = 'Sửa lén' WHERE id = :i", params={"i": document_id}
    )
    clock.set(datetime(2017, 3, 21, 3, 30, tzinfo=VIETNAM))
    run_scheduled_verify(app)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    assert "sai lệch trong kho lưu trữ" not in text(client.get("/"))
    assert client.get("/verifications").status_code == 403


def test_verify_now_queues_a_job_and_shows_its_progress_page(app, client, people, loaded, clock):
    _issue(app, loaded, clock)
    sign_in(client, "luutru", people["luutru"])
    started = post_form(client, "/verifications", {})
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    job_page = text(client.get(started.headers["Location"]))
    assert "Kiểm tra toàn vẹn kho lưu trữ" in job_page


def test_a_transfer_export_from_the_page_downloads_its_zip(app, client, people, loaded, clock):
    import io
    import zipfile

    from docgen.jobs.runner import run_job

    _issue(app, loaded, clock)
    sign_in(client, "luutru", people["luutru"])
    assert "Đóng gói" in text(client.get("/transfer"))
    bad = post_form(client, "/transfer", {"year": "hai nghìn"})
    assert "Năm phải là bốn chữ số" in text(bad)
    empty = post_form(client, "/transfer", {"year": "2016"})
    assert "năm 2016" in text(empty)
    started = post_form(client, "/transfer", {"year": "2017"})
    assert started.status_code == 302
    job_id = int(started.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    run_job(app, job_id)
    page = text(client.get(f"/jobs/{job_id}"))
    assert "Tải tệp giao nộp (ZIP)" in page
    download = client.get(f"/transfer/{job_id}.zip")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    download.close()  # the file the response streamed
    assert "manifest.json" in names and "muc-luc-van-ban.docx" in names
    sign_in(client, "chuyenvien", people["chuyenvien"])
    assert client.get(f"/transfer/{job_id}.zip").status_code == 403  # not an archivist
    sign_in(client, "quantri-snv", people["quantri-snv"])
    assert client.get(f"/transfer/{job_id}.zip").status_code == 404  # another organisation's
