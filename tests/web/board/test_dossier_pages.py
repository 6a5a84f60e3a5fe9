"""The dossier's pages: the selection check and "Soạn tờ trình", "Lập hồ sơ" as a job, the
dossier page, downloads byte for byte (recorded), scope (another organiser: 404), and the
UBND tỉnh's drafter reaching the dossier and drafting the công văn to the central council."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.jobs.dossier import build_and_store
from docgen.jobs.runner import run_job
from docgen.models import (
    AuditEvent,
    Blob,
    DocumentAccess,
    Dossier,
    Draft,
    Job,
    JobKind,
    RecipientListRow,
)
from docgen.runtime import get_converter, get_renderer
from tests.campaigns.dossier_setup import issue_submission, people, select_nominees
from tests.helpers import make_user
from tests.web.pages import post_form, sign_in, text


@pytest.fixture
def campaign_id(app: Flask, people, clock) -> int:  # people: the sample accounts exist
    return select_nominees(app, clock, 5)


@pytest.fixture
def dossier_id(app: Flask, campaign_id: int, clock) -> int:
    issue_submission(app, clock, campaign_id)
    with get_db(app).session() as session:
        dossier, _built = build_and_store(
            session, campaign_id, actor=people(app)["thiduakt"], renderer=get_renderer(app),
            converter=get_converter(app), now=clock.now,
        )  # fmt: skip
        return dossier.id


def test_the_board_checks_the_selection_and_drafts_the_submission(app, client, people,
                                                                  campaign_id):  # fmt: skip
    sign_in(client, "thiduakt", people["thiduakt"])
    page = text(client.get(f"/board/campaigns/{campaign_id}/dossier"))
    assert "Đã chọn <strong>05</strong>" in page and "Trong khoảng cho phép" in page
    assert "Lập hồ sơ sau khi tờ trình được trình ký" in page
    response = post_form(client, f"/board/campaigns/{campaign_id}/dossier/submission", {})
    assert response.status_code == 303 and "/drafting/" in response.location
    with get_db(app).session() as session:
        draft = session.scalars(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.template, draft.organisation_id) == ("to-trinh", "btdkt")
    again = post_form(client, f"/board/campaigns/{campaign_id}/dossier/submission", {},
                      follow_redirects=True)  # fmt: skip
    assert f"đã có tờ trình đang soạn (dự thảo số {draft.id})" in text(again)
    with get_db(app).session() as session:  # no second draft
        assert session.scalars(select(Draft).order_by(Draft.id.desc())).first().id == draft.id
    refused = post_form(client, f"/board/campaigns/{campaign_id}/dossier/build", {},
                        follow_redirects=True)  # fmt: skip
    assert "Chưa có tờ trình nào của đợt thi đua đã được ban hành" in text(refused)


def test_building_from_the_page_queues_a_dossier_job_shown_with_its_panel(
    app, client, people, campaign_id, clock
):
    issue_submission(app, clock, campaign_id)
    sign_in(client, "thiduakt", people["thiduakt"])
    response = post_form(client, f"/board/campaigns/{campaign_id}/dossier/build", {})
    assert response.status_code == 303 and "job=" in response.location
    page = text(client.get(response.location))
    assert "Lập hồ sơ trình Trung ương" in page and "job-panel" in page
    with get_db(app).session() as session:
        job = session.scalars(select(Job).where(Job.kind == JobKind.DOSSIER)).one()
        assert job.params["campaign_id"] == campaign_id
    run_job(app, job.id)  # what the worker does
    done = text(client.get(response.location))
    assert "đã xong" in done and "Xem hồ sơ trình Trung ương" in done
    with get_db(app).session() as session:
        job = session.get(Job, job.id)
        dossier = session.get(Dossier, job.result["dossier_id"])
        assert (job.done, job.total) == (8, 8) and dossier.job_id == job.id
        assert dossier.merged_pages == job.result["pages"]


def test_the_dossier_page_lists_parts_and_downloads_again_byte_for_byte(app, client, people,
                                                                        dossier_id):  # fmt: skip
    sign_in(client, "thiduakt", people["thiduakt"])
    page = text(client.get(f"/board/dossiers/{dossier_id}"))
    assert "Tờ trình số 01/TTr-BTĐKT" in page and "Trích ngang thành tích" in page
    assert "02-phu-luc-danh-sach.pdf" in page and "Nguyễn Văn Mẫu 1" in page
    with get_db(app).session() as session:
        dossier = session.get(Dossier, dossier_id)
        merged = session.get(Blob, dossier.merged_sha256).content
        archive = session.get(Blob, dossier.zip_sha256).content
    first = client.get(f"/board/dossiers/{dossier_id}/pdf")
    second = client.get(f"/board/dossiers/{dossier_id}/pdf")
    assert first.data == second.data == merged
    assert client.get(f"/board/dossiers/{dossier_id}/zip").data == archive
    with get_db(app).session() as session:  # the tờ trình's use log names each download
        rows = session.execute(
            select(DocumentAccess.kind, DocumentAccess.detail, DocumentAccess.actor).where(
                DocumentAccess.document_id == dossier.submission_document_id
            )
        ).all()
        assert sorted(rows) == [("download", "hồ sơ PDF", "thiduakt")] * 2 + [
            ("download", "hồ sơ ZIP", "thiduakt")
        ]
        assert not session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "dossier_download"))  # fmt: skip


def test_another_organiser_and_an_outsider_get_a_404(app, client, people, dossier_id,
                                                     campaign_id):  # fmt: skip
    make_user(
        app, "ban.khac", organisation="snv", roles=("board", "drafter"), password="docgen-ban-khac"
    )
    sign_in(client, "ban.khac", "docgen-ban-khac")
    assert client.get(f"/board/campaigns/{campaign_id}/dossier").status_code == 404
    assert client.get(f"/board/dossiers/{dossier_id}").status_code == 404
    assert client.get(f"/board/dossiers/{dossier_id}/zip").status_code == 404
    response = post_form(client, f"/board/campaigns/{campaign_id}/dossier/build", {})
    assert response.status_code == 404
    client.post("/logout", data={})
    other = app.test_client()
    sign_in(other, "canbo-kienluong", people["canbo-kienluong"])
    assert other.get(f"/board/dossiers/{dossier_id}").status_code == 404


def test_the_provinces_drafter_reaches_the_dossier_and_drafts_the_council_letter(
    app, people, dossier_id
):
    client = app.test_client()
    sign_in(client, "chuyenvien", people["chuyenvien"])
    desk = text(client.get("/drafting/"))
    assert "Hồ sơ trình Trung ương gửi đến (1)" in desk
    listing = text(client.get("/board/dossiers"))
    assert f"/board/dossiers/{dossier_id}" in listing
    page = text(client.get(f"/board/dossiers/{dossier_id}"))
    assert "Soạn công văn gửi Hội đồng Thi đua - Khen thưởng Trung ương" in page
    response = post_form(client, f"/board/dossiers/{dossier_id}/council", {})
    assert response.status_code == 303 and "/drafting/" in response.location
    with get_db(app).session() as session:
        draft = session.scalars(select(Draft).order_by(Draft.id.desc())).first()
        assert (draft.template, draft.organisation_id) == ("cong-van", "ubnd-tinh")
        body = " ".join(b["text"] for b in draft.data["body"])
        assert "Tờ trình số 01/TTr-BTĐKT ngày 24 tháng 4 năm 2017" in body
        assert "Nguyễn Văn Mẫu 1" in body
        listed = session.get(RecipientListRow, draft.recipients)
        assert [e["name"] for e in listed.noi_nhan] == ["Ban TĐKT Trung ương",
                                                         "Ban TĐKT, Sở Nội vụ"]  # fmt: skip
    again = post_form(client, f"/board/dossiers/{dossier_id}/council", {}, follow_redirects=True)
    assert f"đang soạn (dự thảo số {draft.id})" in text(again)
