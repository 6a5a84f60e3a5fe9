"""The dashboard's "Soạn báo cáo": the form drafts the report (as thiduakt) and lands on the
drafting desk; refreshing a report whose figures moved; another organiser's campaign is a 404."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from docgen.db import get_db
from docgen.models import Campaign, Draft
from docgen.services import nominations as noms
from docgen.services.clock import VIETNAM
from tests.campaigns.conftest import actor_named, individual
from tests.helpers import make_user
from tests.web.pages import post_form, sign_in, text

JUNE = datetime(2017, 6, 20, 9, 0, tzinfo=VIETNAM)


def _campaign_id(app) -> int:
    with get_db(app).session() as session:
        return session.scalars(select(Campaign.id).where(Campaign.code == "dien-hinh-2017")).one()


def _drafts(app) -> list[Draft]:
    with get_db(app).session() as session:
        rows = list(session.scalars(select(Draft).where(Draft.template == "bao-cao")))
        session.expunge_all()
        return rows


def test_the_form_drafts_the_report_and_opens_the_desk(app, client, people, clock):
    clock.set(JUNE)
    campaign_id = _campaign_id(app)
    sign_in(client, "thiduakt", people["thiduakt"])
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Soạn báo cáo" in page and 'value="h1"' in page and 'value="year"' in page
    response = post_form(client, f"/board/campaigns/{campaign_id}/reports", {"period": "h1"})
    assert response.status_code == 303
    (draft,) = _drafts(app)
    assert response.headers["Location"].endswith(f"/drafting/{draft.id}")
    assert draft.organisation_id == "btdkt" and draft.data["summary"].endswith(
        "6 tháng đầu năm 2017"
    )
    assert draft.data["figures"] == []  # nothing sent yet: the report will say so
    desk = text(client.get(response.headers["Location"]))
    assert "Trong kỳ báo cáo chưa có cơ quan, đơn vị nào gửi hồ sơ giới thiệu" in desk
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Đúng với hồ sơ hiện tại" in page

    # A package arrives: the dashboard says the figures moved, and one click refreshes them.
    clerk = make_user(app, "cv.snv", organisation="snv", roles=("drafter",))
    with get_db(app).session() as session:
        actor = actor_named(app, clerk.username)
        for name in ("Nguyễn Văn An", "Trần Thị Bình"):
            noms.add_nomination(session, campaign_id, individual(name), actor=actor, now=JUNE)
        noms.submit_package(session, campaign_id, actor=actor, now=JUNE)
        session.commit()
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Số liệu đã thay đổi" in page
    url = f"/board/campaigns/{campaign_id}/reports/{draft.id}/refresh"
    response = post_form(client, url, {"version": draft.version})
    assert response.status_code == 303
    (draft,) = _drafts(app)
    figures = {r["label"]: r["value"] for r in draft.data["figures"]}
    assert figures["- Gửi trễ hạn"] == "01" and figures["- Cá nhân"] == "02"  # after 20/4
    assert "Đúng với hồ sơ hiện tại" in text(client.get(f"/board/campaigns/{campaign_id}"))


def test_a_bad_period_is_refused_without_a_draft(app, client, people):
    campaign_id = _campaign_id(app)
    sign_in(client, "thiduakt", people["thiduakt"])
    response = post_form(client, f"/board/campaigns/{campaign_id}/reports", {"period": "q3"},
                         follow_redirects=True)  # fmt: skip
    assert "Chọn kỳ báo cáo" in text(response) and _drafts(app) == []


def test_another_organisers_campaign_is_a_404(app, client, people):
    campaign_id = _campaign_id(app)
    make_user(app, "ban-snv", organisation="snv", roles=("board", "drafter"),
              password="mật-khẩu-dài-9")  # fmt: skip
    sign_in(client, "ban-snv", "mật-khẩu-dài-9")
    response = post_form(client, f"/board/campaigns/{campaign_id}/reports", {"period": "h1"})
    assert response.status_code == 404 and _drafts(app) == []
    sign_in(client, "chuyenvien", people["chuyenvien"])  # a drafter, not the board: 403
    response = post_form(client, f"/board/campaigns/{campaign_id}/reports", {"period": "h1"})
    assert response.status_code == 403


def test_a_board_member_without_drafting_is_told_why(app, client, people):
    campaign_id = _campaign_id(app)
    make_user(app, "xem-ban", organisation="btdkt", roles=("board",), password="mật-khẩu-dài-9")
    sign_in(client, "xem-ban", "mật-khẩu-dài-9")
    response = post_form(client, f"/board/campaigns/{campaign_id}/reports", {"period": "year"},
                         follow_redirects=True)  # fmt: skip
    assert "Soạn báo cáo cần vai trò Chuyên viên" in text(response) and _drafts(app) == []


def test_the_report_forms_need_their_csrf_token(app, client, people):
    campaign_id = _campaign_id(app)
    sign_in(client, "thiduakt", people["thiduakt"])
    for url in (f"/board/campaigns/{campaign_id}/reports",
                f"/board/campaigns/{campaign_id}/reports/1/refresh"):  # fmt: skip
        response = client.post(url, data={"period": "h1", "version": "1"})
        assert response.status_code == 400 and "CSRF" in text(response)
    assert _drafts(app) == []
    assert client.get(f"/board/campaigns/{campaign_id}/reports").status_code == 405
