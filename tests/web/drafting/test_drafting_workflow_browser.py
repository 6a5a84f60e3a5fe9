"""The signing panel in real Chromium: the drafter sends the draft from its page, the signer
returns it with a comment, the drafter resends it, the signer approves, the registrar reads
the confirmation and issues. The workflow pages are checked with axe at desktop and phone
width and screenshot (``$DOCGEN_SCREENSHOTS`` to keep them)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.web.drafting.test_drafting_workflow import COMMENT, _draft, _new_draft
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    browser,
    check_page,
    follow,
    live_url,
    shots,
    sign_in,
    sign_out,
    wait_for,
)


def _click(driver, css: str) -> None:
    follow(driver, driver.find_element(By.CSS_SELECTOR, css))


def _as(driver, base: str, people: dict[str, str], username: str) -> None:
    if driver.find_elements(By.CSS_SELECTOR, ".who button"):
        sign_out(driver)
    sign_in(driver, base, username, people[username])


@pytest.mark.slow
def test_the_signing_panel_in_a_browser(app, live_url, browser, people, loaded, shots):  # noqa: F811
    draft_id = _new_draft(app, loaded)
    panel = "#workflow-panel"
    _as(browser, live_url, people, "chuyenvien")
    browser.get(f"{live_url}/drafting/{draft_id}")  # the draft's page, with the panel on it
    wait_for(browser, panel)
    browser.find_element(By.CSS_SELECTOR, panel).screenshot(
        str(shots / "workflow-panel-drafter.png")
    )
    _click(browser, f"{panel} form[action$='/submit'] button")
    assert _draft(app, draft_id).state == "trinh_ky"

    _as(browser, live_url, people, "lanhdao")
    browser.get(f"{live_url}/drafting/waiting")
    check_page(browser, shots, "waiting-signer")
    browser.get(f"{live_url}/drafting/{draft_id}/workflow")
    wait_for(browser, panel)
    check_page(browser, shots, "workflow-signer")
    browser.find_element(By.CSS_SELECTOR, f"{panel} textarea[name=comment]").send_keys(COMMENT)
    _click(browser, f"{panel} form[action$='/return'] button")
    assert _draft(app, draft_id).last_comment == COMMENT

    _as(browser, live_url, people, "chuyenvien")
    browser.get(f"{live_url}/drafting/{draft_id}/workflow")
    assert COMMENT in browser.find_element(By.CSS_SELECTOR, ".signer-comment").text
    check_page(browser, shots, "workflow-returned")
    _click(browser, f"{panel} form[action$='/submit'] button")

    _as(browser, live_url, people, "lanhdao")
    browser.get(f"{live_url}/drafting/{draft_id}/workflow")
    _click(browser, f"{panel} form[action$='/approve'] button")
    assert _draft(app, draft_id).state == "da_duyet"

    _as(browser, live_url, people, "vanthu")
    browser.get(f"{live_url}/drafting/{draft_id}/workflow")
    _click(browser, f"{panel} a[href$='/issue']")
    page = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "Kiên Giang, ngày 20 tháng 3 năm 2017" in page and "số sẽ được cấp khi ban hành" in page
    check_page(browser, shots, "issue-confirmation")
    _click(browser, ".issue-form button[type=submit]")
    assert (
        "Đã ban hành văn bản số 01/KH-UBND."
        in browser.find_element(By.CSS_SELECTOR, ".flashes").text
    )
    check_page(browser, shots, "issued-document")
    assert _draft(app, draft_id).state == "da_ban_hanh"
