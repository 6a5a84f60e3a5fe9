"""The board's campaign forms: create a campaign (errors next to the fields, nothing saved),
copy 2017 to 2018, and change the deadline reading on the dashboard; who may and may not."""

from __future__ import annotations

import re
from datetime import datetime

from selenium.webdriver.common.by import By
from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import AuditEvent, Campaign, CampaignParticipant, OrganisationRow
from docgen.services.clock import VIETNAM
from tests.helpers import make_user
from tests.web.pages import post_form, sign_in, text
from tests.web.test_web_browser import browser, check_page, live_url, shots, wait_for  # noqa: F401
from tests.web.test_web_browser import sign_in as browser_sign_in

CODE_2017 = "dien-hinh-2017"


def _campaign_id(app, code: str = CODE_2017) -> int:
    with get_db(app).session() as session:
        return session.scalars(select(Campaign.id).where(Campaign.code == code)).one()


def _campaign_count(app) -> int:
    with get_db(app).session() as session:
        return session.scalar(select(func.count(Campaign.id)))


def _districts(app) -> list[str]:
    with get_db(app).session() as session:
        query = select(OrganisationRow.code).where(OrganisationRow.kind == "district")
        return sorted(session.scalars(query))


def _valid(**extra: object) -> dict[str, object]:
    return {
        "code": "dien-hinh-2018",
        "title": "Giới thiệu điển hình tiên tiến năm 2018",
        "year": "2018",
        "nominations_due": "15/5/2018",
        "selection_due": "25/05/2018",
        "deadline_reading": "before",
        "quota_district": "3",
        "selection_min": "4",
        "selection_max": "8",
        **extra,
    }


def _field_error(page: str, field: str) -> str:
    """Return the message shown under ``field`` (its aria-describedby target)."""
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert match, f"no message next to {field}"
    return match.group(1)


def test_a_form_with_errors_says_what_is_wrong_next_to_each_field(app, client, people):
    before = _campaign_count(app)
    sign_in(client, "thiduakt", people["thiduakt"])
    form = text(client.get("/board/campaigns/new"))
    assert 'name="quota_district"' in form and 'value="2018"' in form  # next year by default
    assert 'value="ubnd-kien-luong" id="p-ubnd-kien-luong" checked' in form  # 2017's quota
    bad = _valid(title="  ", nominations_due="31/02/2018", selection_min="9",
                 plan_number="99/KH-UBND", plan_year="2018")  # fmt: skip
    response = post_form(client, "/board/campaigns/new", bad)
    page = text(response)
    assert response.status_code == 422
    assert _field_error(page, "title") == "Tên đợt thi đua bắt buộc, tối đa 300 ký tự."
    assert "31/02/2018" in _field_error(page, "nominations_due")
    assert "không có thật" in _field_error(page, "nominations_due")
    assert "tối thiểu ≤ số chọn tối đa" in _field_error(page, "selection_min")
    assert _field_error(page, "plan_number") == "Không tìm thấy văn bản số 99/KH-UBND năm 2018."
    assert "Có 4 mục cần sửa; chưa có gì được lưu" in page
    assert '<a href="#nominations_due">' in page
    # what was typed comes back
    assert 'value="31/02/2018"' in page and 'value="dien-hinh-2018"' in page
    assert 'value="99/KH-UBND"' in page
    assert _campaign_count(app) == before

    late = _valid(nominations_due="20/4/2017", selection_due="10/5/2018")
    page = text(post_form(client, "/board/campaigns/new", late))
    assert "trước năm của đợt thi đua (2018)" in _field_error(page, "nominations_due")
    backwards = _valid(nominations_due="20/5/2018", selection_due="10/5/2018")
    page = text(post_form(client, "/board/campaigns/new", backwards))
    assert "không được trước hạn gửi danh sách" in _field_error(page, "selection_due")
    assert _campaign_count(app) == before


def test_a_valid_campaign_appears_with_its_deadline_and_quotas(app, client, people, clock):
    clock.set(datetime(2018, 5, 1, 9, 0, tzinfo=VIETNAM))
    sign_in(client, "thiduakt", people["thiduakt"])
    # nothing ticked: every organisation of a group that has a quota (the districts)
    response = post_form(client, "/board/campaigns/new", _valid(refuse_late="y"))
    assert response.status_code == 303
    campaign_id = _campaign_id(app, "dien-hinh-2018")
    assert response.headers["Location"].endswith(f"/board/campaigns/{campaign_id}")
    with get_db(app).session() as session:
        row = session.get(Campaign, campaign_id)
        assert (row.organisation_id, row.refuse_late, row.selection_min) == ("btdkt", True, 4)
        chosen = session.scalars(
            select(CampaignParticipant.organisation_id).where(
                CampaignParticipant.campaign_id == campaign_id
            )
        )
        assert sorted(chosen) == _districts(app)
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Đã tạo đợt thi đua “Giới thiệu điển hình tiên tiến năm 2018”." in page
    assert "trước <strong>00:00 15/05/2018</strong>" in page
    assert "đến hết ngày <strong>14/05/2018</strong>" in page
    assert "Hồ sơ gửi sau hạn <strong>bị từ chối</strong>" in page
    assert page.count("Thiếu 03 (đã có 00/03)") == len(_districts(app))
    assert "Kiên Lương" in page
    index = text(client.get("/board/"))
    assert "Tạo đợt thi đua mới" in index
    assert f"/board/campaigns/{campaign_id}" in index and "năm 2018" in index


def test_ticked_participants_are_the_ones_addressed(app, client, people):
    sign_in(client, "thiduakt", people["thiduakt"])
    data = {**_valid(), "participants": ["ubnd-kien-luong", "snv"]}
    assert post_form(client, "/board/campaigns/new", data).status_code == 303
    campaign_id = _campaign_id(app, "dien-hinh-2018")
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert page.count("Thiếu 03 (đã có 00/03)") == 1  # Kiên Lương: a district
    assert "Không giao chỉ tiêu" in page  # the Sở Nội vụ: no quota for departments


def test_copy_2017_to_2018_moves_the_deadlines_and_keeps_the_quotas(app, client, people, clock):
    clock.set(datetime(2018, 4, 1, 9, 0, tzinfo=VIETNAM))
    sign_in(client, "thiduakt", people["thiduakt"])
    source = _campaign_id(app)
    form = text(client.get(f"/board/campaigns/{source}/copy"))
    assert "Sao chép sang năm khác" in form and 'value="2018"' in form
    response = post_form(client, f"/board/campaigns/{source}/copy", {"year": "2018", "code": ""})
    assert response.status_code == 303
    copy = _campaign_id(app, "dien-hinh-2018")
    assert response.headers["Location"].endswith(f"/board/campaigns/{copy}")
    page = text(client.get(f"/board/campaigns/{copy}"))
    assert "ngày <strong>20/04/2018</strong>" in page  # the nominations deadline
    assert "Thiếu 05 (đã có 00/05)" in page and "Thiếu 02 (đã có 00/02)" in page
    with get_db(app).session() as session:
        from docgen.services import campaigns as svc

        new, old = session.get(Campaign, copy), session.get(Campaign, source)
        assert [d.day.isoformat() for d in svc.deadlines(session, new)] == [
            "2018-04-20",
            "2018-04-25",
        ]
        assert svc.minimum_by_kind(svc.quotas(session, new)) == svc.minimum_by_kind(
            svc.quotas(session, old)
        )
        assert svc.participants(session, new) == svc.participants(session, old)
    # the same code again is a message next to the code, nothing saved
    again = post_form(client, f"/board/campaigns/{source}/copy", {"year": "2018", "code": ""})
    assert again.status_code == 422
    assert "Đã có đợt thi đua mã “dien-hinh-2018”." in _field_error(text(again), "code")
    bad_year = post_form(client, f"/board/campaigns/{source}/copy", {"year": "20x8"})
    assert "4 chữ số" in _field_error(text(bad_year), "year")


def test_the_settings_form_switches_the_reading_and_the_deadline_moves(app, client, people):
    sign_in(client, "thiduakt", people["thiduakt"])
    campaign_id = _campaign_id(app)
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "trước <strong>00:00 20/04/2017</strong>" in page  # the end of 19/4
    assert "đến hết ngày <strong>19/04/2017</strong>" in page
    url = f"/board/campaigns/{campaign_id}/settings"
    response = post_form(client, url, {"reading": "through", "refuse_late": "y"})
    assert response.status_code == 303
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Đã lưu cách tính hạn" in page
    assert "trước <strong>00:00 21/04/2017</strong>" in page  # the end of 20/4
    assert "đến hết ngày <strong>20/04/2017</strong>" in page
    assert "Hồ sơ gửi sau hạn <strong>bị từ chối</strong>" in page
    with get_db(app).session() as session:
        row = session.get(Campaign, campaign_id)
        assert (row.deadline_reading, row.refuse_late) == ("through", True)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "campaign_settings")
        ).one()
        assert event.actor == "thiduakt"
        assert event.details["before"] == {"reading": "before", "refuse_late": False}
    tampered = post_form(client, url, {"reading": "sometime"})
    assert tampered.status_code == 303
    with get_db(app).session() as session:
        assert session.get(Campaign, campaign_id).deadline_reading == "through"


def test_another_organisers_board_gets_404_and_others_403_or_login(app, client, people):
    campaign_id = _campaign_id(app)
    make_user(app, "td.snv", organisation="snv", roles=("board",), password="mật-khẩu-dài-9")
    sign_in(client, "td.snv", "mật-khẩu-dài-9")
    assert client.get(f"/board/campaigns/{campaign_id}/copy").status_code == 404
    copy = post_form(client, f"/board/campaigns/{campaign_id}/copy", {"year": "2018"})
    assert copy.status_code == 404
    settings = post_form(client, f"/board/campaigns/{campaign_id}/settings", {"reading": "through"})
    assert settings.status_code == 404
    assert client.get("/board/campaigns/999999/copy").status_code == 404

    other = app.test_client()
    sign_in(other, "canbo-kienluong", people["canbo-kienluong"])  # a participant's drafter
    assert other.get("/board/campaigns/new").status_code == 403
    assert other.get(f"/board/campaigns/{campaign_id}/copy").status_code == 403
    forbidden = post_form(other, f"/board/campaigns/{campaign_id}/settings", {"reading": "x"})
    assert forbidden.status_code == 403

    anonymous = app.test_client()
    for url in ("/board/campaigns/new", f"/board/campaigns/{campaign_id}/copy"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    with get_db(app).session() as session:
        row = session.get(Campaign, campaign_id)
        assert (row.deadline_reading, row.refuse_late) == ("before", False)
        assert session.scalar(select(func.count(Campaign.id))) == 1


def test_the_forms_in_a_browser_at_desktop_and_phone_width(live_url, browser, shots, people):  # noqa: F811
    """The new-campaign form with its errors, the copy form and the dashboard's settings box:
    axe-clean, no sideways scrolling (screenshots under DOCGEN_SCREENSHOTS)."""
    browser_sign_in(browser, live_url, "thiduakt", people["thiduakt"])
    browser.get(live_url + "/board/")
    browser.find_element(By.LINK_TEXT, "Tạo đợt thi đua mới").click()
    wait_for(browser, "#nominations_due")
    check_page(browser, shots, "campaign-new")
    browser.find_element(By.ID, "code").send_keys("dien-hinh-2018")
    browser.find_element(By.ID, "nominations_due").send_keys("31/02/2018")
    browser.find_element(By.CSS_SELECTOR, ".campaign-form button[type=submit]").click()
    summary = wait_for(browser, "#error-summary")[0].text
    assert "Tên đợt thi đua bắt buộc" in summary and "31/02/2018" in summary
    check_page(browser, shots, "campaign-new-errors")
    browser.get(live_url + "/board/")
    browser.find_element(By.PARTIAL_LINK_TEXT, "năm 2017").click()
    wait_for(browser, "#settings-title")
    browser.find_element(By.CSS_SELECTOR, "input[name=reading][value=through]").click()
    browser.find_element(By.CSS_SELECTOR, ".campaign-settings button[type=submit]").click()
    flash = wait_for(browser, ".flash")[0].text
    assert "Đã lưu cách tính hạn" in flash
    assert (
        "đến hết ngày 20/04/2017"
        in browser.find_element(By.ID, "settings-title").find_element(By.XPATH, "..").text
    )
    check_page(browser, shots, "campaign-dashboard-settings")
    browser.find_element(By.LINK_TEXT, "Sao chép sang năm khác").click()
    wait_for(browser, "#year")
    check_page(browser, shots, "campaign-copy")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    assert "Đã sao chép" in wait_for(browser, ".flash")[0].text
    assert "ngày 20/04/2018" in browser.page_source.replace("<strong>", "").replace("</strong>", "")
