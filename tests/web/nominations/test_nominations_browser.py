"""The nominations desk in a real browser: the package page, the nominee form with its
messages, and an import dry run — each axe-clean, without sideways scrolling at desktop and
phone width (screenshots under $DOCGEN_SCREENSHOTS)."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.campaigns.xlsx_files import GROUP, person, xlsx
from tests.web.nominations.nomination_pages import CLERK, campaign_id, client_of, nominees
from tests.web.nominations.nomination_pages import group as group_values
from tests.web.nominations.nomination_pages import person as person_values
from tests.web.pages import post_form
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    browser,
    check_page,
    live_url,
    shots,
    sign_in,
    wait_for,
)


def test_desk_pages_in_a_browser(app, people, live_url, browser, shots, tmp_path):  # noqa: F811
    cid = campaign_id(app)
    clerk = client_of(app, people, CLERK)
    for values in (group_values(), person_values(), person_values("Trần Văn Bình", gender="Nam")):
        assert post_form(clerk, f"/nominations/{cid}/nominees/new", values).status_code == 303
    sign_in(browser, live_url, CLERK, people[CLERK])

    browser.get(f"{live_url}/nominations/{cid}")
    wait_for(browser, "table")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "Cần ít nhất 05 — đã nhập 03, còn thiếu 02" in body
    check_page(browser, shots, "nominations-package")

    browser.get(f"{live_url}/nominations/{cid}/nominees/new")
    browser.find_element(By.ID, "birth_year").send_keys("năm tám mươi")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, ".field-error")
    assert "Chưa ghi tên." in browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.ID, "birth_year").get_attribute("value") == "năm tám mươi"
    check_page(browser, shots, "nominations-nominee-form")

    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx([person(1), person(2, c2="năm xưa"), GROUP]))
    browser.get(f"{live_url}/nominations/{cid}/import")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, "#result-heading")
    assert "3 dòng, 1 dòng có lỗi" in browser.find_element(By.ID, "result-heading").text
    check_page(browser, shots, "nominations-import-dry-run")
    assert len(nominees(app)) == 3  # the dry run saved nothing
