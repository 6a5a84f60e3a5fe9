"""The recipients widget in real Chromium: adding rows, the named list's preview, the mode
switch, no CSP refusal and no serious axe violation on the lists page."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    browser,
    check_page,
    live_url,
    shots,
    sign_in,
    wait_for,
)


def test_lists_page_adds_rows_and_saves(live_url, browser, people, shots):  # noqa: F811
    sign_in(browser, live_url, "vanthu", people["vanthu"])
    browser.get(live_url + "/drafting/recipient-lists/new")
    add = wait_for(browser, '[data-rl-add="noi_nhan"]')[0]
    assert add.is_displayed()  # the script shows the add buttons
    before = len(browser.find_elements(By.CSS_SELECTOR, '[data-rl-rows="noi_nhan"] > li'))
    add.click()
    rows = browser.find_elements(By.CSS_SELECTOR, '[data-rl-rows="noi_nhan"] > li')
    assert len(rows) == before + 1
    last = browser.find_element(By.ID, f"noi_nhan-{before}-name")
    browser.find_element(By.ID, "name").send_keys("Gửi các huyện")
    browser.find_element(By.ID, "noi_nhan-0-name").send_keys("TT. HĐND tỉnh")
    last.send_keys("Ban TĐKT, Sở Nội vụ")
    browser.find_element(By.ID, f"noi_nhan-{before}-copies").send_keys("5")
    browser.find_element(By.ID, "archive").send_keys("VHXH")
    check_page(browser, shots, "recipient-list-new")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, ".flash")
    assert "- Ban TĐKT, Sở Nội vụ (5b);" in browser.find_element(By.TAG_NAME, "main").text


def test_drafting_widget_switches_mode_and_previews_the_list(live_url, browser, people):  # noqa: F811
    sign_in(browser, live_url, "chuyenvien", people["chuyenvien"])
    browser.get(live_url + "/drafting/new")
    picker = "//form[input[@name='template' and @value='cong-van']]//button"
    browser.find_element(By.XPATH, picker).click()
    wait_for(browser, "[data-recipients]")
    compose = browser.find_element(By.CSS_SELECTOR, '[data-rl-mode="compose"]')
    listed = browser.find_element(By.CSS_SELECTOR, '[data-rl-mode="list"]')
    assert listed.is_displayed() and not compose.is_displayed()
    Select(browser.find_element(By.ID, "in-recipients")).select_by_value("cong-van-de-nghi-2017")
    preview = browser.find_element(By.CSS_SELECTOR, '[data-rl-preview="cong-van-de-nghi-2017"]')
    assert preview.is_displayed() and "- Như trên;" in preview.text
    browser.find_element(By.ID, "rl-mode-compose").click()
    assert compose.is_displayed() and not listed.is_displayed()
