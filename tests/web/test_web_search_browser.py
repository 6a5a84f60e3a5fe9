"""The search page in a real headless Chromium (issue 11 "Search page"): an archivist searches
without diacritics in upper case, sees highlighted snippets and a page thumbnail that really
loads, narrows by a facet and a filter, changes the order, pages deeper, chooses columns,
saves the search and reruns it from the saved list, and exports the list as DOCX (the
downloaded file read back); axe-clean at desktop and phone width.
"""

from __future__ import annotations

import io
import time
from datetime import datetime
from pathlib import Path

import docx
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from docgen.jobs import get_queue
from tests.helpers import api_body, api_client, issue_record
from tests.web.pages import user_named
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    WAIT,
    browser,
    check_page,
    live_url,
    shots,
    sign_in,
    wait_for,
)

PLANS, LETTERS = 14, 8  # kế hoạch and công văn issued by the console; one more plan by the API
LETTER_DAYS = {1, 3, 6, 9, 12, 15, 18, 20}  # which of the 22 console issues are công văn


def _issue(app, loaded, clock) -> dict[str, list[str]]:
    """Issue the archive's documents, oldest first; return their notations by type."""
    issued: dict[str, list[str]] = {"ke-hoach": [], "cong-van": []}
    for i in range(PLANS + LETTERS):
        clock.set(datetime(2017, 3, 1 + i, 9))
        code = "cong-van-de-nghi-2017" if i in LETTER_DAYS else "ke-hoach-2017"
        kind = "cong-van" if code.startswith("cong-van") else "ke-hoach"
        issued[kind].append(issue_record(app, loaded, clock, code).notation)
    clock.set(datetime(2017, 3, 28, 9))
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True  # the newest gets its PDF and page images
    made = api_client(app, user_named(app, "vanthu")).post(
        "/api/v1/documents", json=api_body(loaded)
    )
    assert made.status_code == 201
    assert get_queue(app).run_pending() == 1  # the renditions job, as `docgen worker` runs it
    issued["ke-hoach"].append(made.get_json()["notation"])
    return issued


def _notations(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#results .hit a.notation")]


def _count(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "#results .result-count").text


def _submit_and_wait(driver, expected_in_url: str) -> None:
    """Submit the search form (htmx swaps the results, pushes the URL) and wait for it."""
    driver.execute_script("window.__swapped = false;")
    driver.execute_script(
        "document.body.addEventListener('htmx:afterSettle', () => { window.__swapped = true; },"
        " {once: true});"
    )
    driver.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return window.__swapped") and expected_in_url in d.current_url
    )


def _open_more(driver) -> None:
    more = driver.find_element(By.CSS_SELECTOR, "details.more-filters")
    if more.get_attribute("open") is None:
        more.find_element(By.TAG_NAME, "summary").click()


def _wait_for_download(folder: Path, timeout: float = WAIT) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        done = [p for p in folder.glob("*.docx") if p.stat().st_size > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no DOCX downloaded into {folder}: {list(folder.iterdir())}")


def test_archivist_searches_narrows_orders_pages_saves_and_exports(
    app,
    live_url,  # noqa: F811
    browser,  # noqa: F811
    people,
    loaded,
    clock,
    shots,  # noqa: F811
    tmp_path,
):
    issued = _issue(app, loaded, clock)
    everything = issued["ke-hoach"] + issued["cong-van"]
    newest = issued["ke-hoach"][-1]
    sign_in(browser, live_url, "luutru", people["luutru"])

    # Upper case, no diacritics: every document, newest first, words highlighted.
    box = browser.find_element(By.NAME, "q")
    box.send_keys("DIEN HINH")
    _submit_and_wait(browser, "q=DIEN")
    assert f"{len(everything)} văn bản — trang 1/2" in _count(browser)
    shown = _notations(browser)
    assert len(shown) == 20 and shown[0] == newest
    marks = {m.text.lower() for m in browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")}
    assert {"điển", "hình"} <= marks
    thumb = browser.find_element(By.CSS_SELECTOR, "#results .hit .thumb img")
    size = WebDriverWait(browser, 120).until(
        lambda d: d.execute_script(
            "const i = arguments[0]; i.loading = 'eager';"
            "return i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;",
            thumb,
        )
    )
    assert 1.3 < size[1] / size[0] < 1.5  # page 1, A4 portrait
    check_page(browser, shots, "tim-kiem-ket-qua")

    # Oldest first, then deeper: page 2 holds the three newest, oldest of them first.
    _open_more(browser)
    Select(browser.find_element(By.ID, "f-order")).select_by_value("oldest")
    _submit_and_wait(browser, "order=oldest")
    first_page = _notations(browser)
    assert len(first_page) == 20 and "cũ nhất trước" in _count(browser)
    browser.find_element(By.CSS_SELECTOR, ".pager a[rel=next]").click()
    wait_for(browser, ".pager [aria-current=page]")
    assert browser.find_element(By.CSS_SELECTOR, ".pager [aria-current=page]").text == "2"
    second_page = _notations(browser)
    assert len(second_page) == len(everything) - 20
    assert second_page[-1] == newest and not set(first_page) & set(second_page)
    check_page(browser, shots, "tim-kiem-trang-2")

    # A facet (type: công văn), then a filter (its number) on top of it.
    browser.get(live_url + "/?q=DIEN+HINH")
    facet = browser.find_element(By.XPATH, "//aside[@class='facets']//a[text()='Công văn']")
    assert facet.find_element(By.XPATH, "../span").text == str(LETTERS)
    facet.click()
    wait_for(browser, ".facets a[aria-current=true]")
    assert "type=cong-van" in browser.current_url
    assert sorted(_notations(browser)) == sorted(issued["cong-van"])
    letter = issued["cong-van"][2]
    number_box = browser.find_element(By.ID, "f-number")
    number_box.clear()
    number_box.send_keys(letter.split("/")[0])
    _submit_and_wait(browser, "number=")
    assert _notations(browser) == [letter]

    # Columns: no thumbnail, no snippet.
    _open_more(browser)
    for key in ("thumbnail", "snippet"):
        browser.find_element(By.ID, f"col-{key}").click()
    _submit_and_wait(browser, "columns=")
    hit = browser.find_element(By.CSS_SELECTOR, "#results .hit")
    assert hit.find_elements(By.TAG_NAME, "img") == []
    assert hit.find_elements(By.CSS_SELECTOR, ".snippet") == []
    assert "Người ký:" in hit.text  # a column still chosen
    check_page(browser, shots, "tim-kiem-cot")

    # Save what is on screen (after htmx searches), then rerun it from the saved list.
    browser.find_element(By.ID, "saved-name").send_keys("Công văn điển hình")
    browser.find_element(By.CSS_SELECTOR, "form.save-search button[type=submit]").click()
    flash = wait_for(browser, ".flash")[0].text
    assert "Đã lưu tìm kiếm “Công văn điển hình”" in flash
    browser.get(live_url + "/")
    assert len(_notations(browser)) == 20  # the unfiltered archive
    browser.find_element(By.LINK_TEXT, "Công văn điển hình").click()
    wait_for(browser, "#results .hit")
    assert _notations(browser) == [letter]
    assert "type=cong-van" in browser.current_url and "columns=" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, "#results .hit img") == []
    check_page(browser, shots, "tim-kiem-da-luu")

    # The result list as DOCX, downloaded by the browser and read back.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    browser.get(live_url + "/?q=DIEN+HINH&type=cong-van")
    browser.find_element(By.CSS_SELECTOR, ".result-count").find_element(
        By.LINK_TEXT, "DOCX"
    ).click()
    listed = docx.Document(io.BytesIO(_wait_for_download(downloads).read_bytes()))
    paragraphs = [p.text for p in listed.paragraphs if p.text]
    assert "DANH SÁCH VĂN BẢN" in paragraphs
    rows = [row.cells[1].text for row in listed.tables[0].rows[2:]]
    assert rows == list(reversed(issued["cong-van"]))  # newest first, as on the page
