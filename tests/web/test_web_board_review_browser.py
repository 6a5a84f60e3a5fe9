"""The board's review in a real browser: selecting five nominees swaps each card and the counter
in place (htmx, no reload); the package, selection, return and dashboard pages pass axe at
desktop and phone width without sideways scrolling (screenshots under DOCGEN_SCREENSHOTS)."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from docgen.db import get_db
from docgen.models import Campaign
from docgen.services import reviews
from tests.campaigns.conftest import actor_named
from tests.campaigns.review_fixtures import nominate
from tests.helpers import make_user
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    WAIT,
    browser,
    check_page,
    live_url,
    shots,
    sign_in,
    wait_for,
)


def _campaign(app) -> int:
    make_user(app, "cv.snv", organisation="snv", roles=("drafter",))
    with get_db(app).session() as session:
        campaign = session.scalars(select(Campaign).where(Campaign.code == "dien-hinh-2017")).one()
        session.rollback()  # the read ends: the nominations below begin as writers
        nominate(session, campaign.id, actor_named(app, "cv.snv"), 6, collectives=2)
        reviews.accept_package(session, campaign.id, "snv", actor=actor_named(app, "thiduakt"),
                               now=campaign.created_at)  # fmt: skip
        nominate(session, campaign.id, actor_named(app, "canbo-kienluong"), 3)
        session.commit()
        return campaign.id


def test_the_board_selects_five_in_place_and_the_pages_pass(
    app,
    live_url,  # noqa: F811
    browser,  # noqa: F811
    people,
    shots,  # noqa: F811
):
    campaign_id = _campaign(app)
    sign_in(browser, live_url, "thiduakt", people["thiduakt"])
    base = f"{live_url}/board/campaigns/{campaign_id}"
    browser.get(f"{base}/packages/snv")
    wait_for(browser, ".nominee-card")
    marker = browser.execute_script("return window.__notReloaded = true")
    assert marker is True
    for n in range(1, 6):
        button = browser.find_elements(By.CSS_SELECTOR, ".nominee-card:not(.selected) form button")[
            0
        ]
        button.click()
        WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException]).until(
            lambda d, n=n: (
                f"Đã chọn {n:02d} (yêu cầu" in d.find_element(By.ID, "selection-counter").text
                and len(d.find_elements(By.CSS_SELECTOR, ".nominee-card.selected")) == n
            )
        )
    assert browser.execute_script("return window.__notReloaded === true")  # swapped, not reloaded
    assert len(browser.find_elements(By.CSS_SELECTOR, ".nominee-card.selected")) == 5
    assert "Trong khoảng xét chọn" in browser.find_element(By.ID, "selection-counter").text
    check_page(browser, shots, "board-package")
    browser.get(f"{base}/selection")
    wait_for(browser, "#selection-counter")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[id^=selected-]")) == 5
    check_page(browser, shots, "board-selection")
    browser.get(f"{base}/packages/ubnd-kien-luong/return")
    wait_for(browser, "#reason")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, "#reason-error")  # the browser sends the empty reason (novalidate)
    check_page(browser, shots, "board-return")
    browser.get(base)
    wait_for(browser, ".review-block")
    assert "Đã chọn 05" in browser.find_element(By.ID, "selection-counter").text
    check_page(browser, shots, "board-dashboard")
