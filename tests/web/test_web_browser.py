"""The pages in a real headless Chromium: sign-in, each role's navigation, sign-out, htmx,
the archive's search and previews, and axe-core at desktop and phone width.

Screenshots go to ``$DOCGEN_SCREENSHOTS`` when set (to look at them), else to the test's
temporary folder.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from docgen.jobs import get_queue
from tests.helpers import api_body, api_client
from tests.web.pages import user_named
from tests.web.test_web_shell import EXPECTED_NAV

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
DESKTOP, PHONE = (1366, 768), (390, 844)
WAIT = 30


@pytest.fixture
def live_url(app, people) -> Iterator[str]:
    """Serve the test app on a free loopback port for the browser."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser(tmp_path) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to see CSP refusals
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    yield driver
    driver.quit()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("DOCGEN_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_for(browser, css: str):
    """Return the elements matching ``css`` once there is at least one."""
    return WebDriverWait(browser, WAIT).until(lambda d: d.find_elements(By.CSS_SELECTOR, css))


def follow(browser, element) -> None:
    """Click ``element`` and wait for the NEXT page (its flash, error or heading): the old
    page's heading must not satisfy the wait, or a test reads the database before the POST
    that the click sent has been answered."""
    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, WAIT).until(lambda d: old.id != d.find_element(By.TAG_NAME, "html").id)
    wait_for(browser, ".flash, .form-error, h1")


def sign_in(browser, base: str, username: str, password: str) -> None:
    browser.get(base + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, ".flash, .form-error")


def sign_out(browser) -> None:
    browser.find_element(By.CSS_SELECTOR, ".who button").click()
    wait_for(browser, "#username")


def navigation(browser) -> set[str]:
    return {a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav .nav a")}


def serious_violations(browser) -> list[str]:
    """Return axe-core's serious and critical violations of the page as it is now."""
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check_page(browser, shots: Path, name: str) -> None:
    """Check the page at desktop and phone width: axe-clean, no sideways scrolling; shoot it."""
    refused = [
        e["message"] for e in browser.get_log("browser") if "Security Policy" in e["message"]
    ]
    assert refused == [], name  # nothing the page needs is blocked by its own CSP
    for width, height in (DESKTOP, PHONE):
        browser.set_window_size(width, height)
        assert serious_violations(browser) == [], (name, width)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, width, overflow)
        # the whole page, top to bottom: a window as tall as the document
        tall = browser.execute_script("return document.documentElement.scrollHeight")
        browser.set_window_size(width, max(height, tall + 150))
        browser.execute_script("window.scrollTo(0, 0)")
        png = browser.get_screenshot_as_png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        (shots / f"{name}-{width}x{height}.png").write_bytes(png)
    browser.set_window_size(*DESKTOP)


def test_each_role_sees_only_its_navigation_and_signs_out(live_url, browser, people):
    browser.get(live_url + "/login")
    assert navigation(browser) == set()
    for username, expected in EXPECTED_NAV.items():
        sign_in(browser, live_url, username, people[username])
        assert navigation(browser) == expected, username
        who = browser.find_element(By.CSS_SELECTOR, ".who").text
        assert "Đăng xuất" in who
        sign_out(browser)
        assert "Đã đăng xuất." in browser.find_element(By.CSS_SELECTOR, ".flashes").text
        assert navigation(browser) == set()
        browser.get(live_url + "/")  # the archive asks to sign in again
        assert browser.current_url.startswith(live_url + "/login")


def test_a_wrong_password_and_a_disabled_account_get_the_same_refusal(live_url, browser, people):
    messages = []
    for username, password in (
        ("vanthu", "sai-mat-khau-roi"),
        ("nghiviec", people["nghiviec"]),  # disabled: its right password does not help
    ):
        sign_in(browser, live_url, username, password)
        messages.append(browser.find_element(By.CSS_SELECTOR, ".form-error").text)
        assert browser.find_element(By.ID, "username").get_attribute("value") == username
        assert browser.find_element(By.ID, "password").get_attribute("value") == ""
        assert navigation(browser) == set()
    assert messages == ["Tên đăng nhập hoặc mật khẩu không đúng."] * 2


def test_sign_in_page_shell_and_admin_pass_axe_at_desktop_and_phone_width(
    live_url, browser, people, shots
):
    browser.get(live_url + "/login")
    check_page(browser, shots, "dang-nhap")
    sign_in(browser, live_url, "vanthu", "sai-mat-khau-roi")
    check_page(browser, shots, "dang-nhap-loi")
    sign_in(browser, live_url, "quantri", people["quantri"])
    check_page(browser, shots, "tra-cuu")
    browser.get(live_url + "/admin/users")
    check_page(browser, shots, "quan-tri")
    browser.find_element(By.LINK_TEXT, "chuyenvien").click()
    wait_for(browser, "dl.facts")
    check_page(browser, shots, "quan-tri-nguoi-dung")
    browser.get(live_url + "/admin/users/new")
    browser.find_element(By.ID, "username").send_keys("& < > \" '")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, ".field-error")
    check_page(browser, shots, "them-nguoi-dung-loi")
    browser.get(live_url + "/password")
    check_page(browser, shots, "doi-mat-khau")


def test_the_admin_disables_a_user_in_place_with_htmx(live_url, browser, people):
    sign_in(browser, live_url, "quantri", people["quantri"])
    browser.get(live_url + "/admin/users")
    browser.execute_script("window.notReloaded = true")
    row = browser.find_element(By.XPATH, "//tr[.//a[text()='luutru']]")
    row_id = row.get_attribute("id")
    row.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, WAIT).until(  # read by id: the swap replaces the row element
        lambda d: (
            "đã khóa" in d.execute_script(f"return document.getElementById('{row_id}').textContent")
        )
    )
    assert browser.execute_script("return window.notReloaded") is True  # swapped, not reloaded
    sign_out(browser)
    sign_in(browser, live_url, "luutru", people["luutru"])
    assert "không đúng" in browser.find_element(By.CSS_SELECTOR, ".form-error").text


def test_archivist_searches_without_diacritics_and_sees_the_first_page(
    app, live_url, browser, people, loaded, shots
):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    issued = api_client(app, user_named(app, "vanthu")).post(
        "/api/v1/documents", json=api_body(loaded)
    )
    assert issued.status_code == 201
    assert get_queue(app).run_pending() == 1  # the renditions job, as `docgen worker` runs it
    sign_in(browser, live_url, "luutru", people["luutru"])
    box = browser.find_element(By.NAME, "q")
    box.send_keys("dien hinh tien tien")
    box.submit()
    hit = wait_for(browser, ".hit mark")[0].find_element(By.XPATH, "ancestor::article")
    assert "q=dien%20hinh%20tien%20tien" in browser.current_url  # htmx pushed the URL
    assert "01/KH-UBND" in hit.text and "Mai Văn Huỳnh" in hit.text
    marks = {m.text.lower() for m in hit.find_elements(By.TAG_NAME, "mark")}
    assert {"điển", "tiến"} <= marks
    preview = hit.find_element(By.TAG_NAME, "img")
    # the preview is page 1 rendered by LibreOffice + pdftoppm: it must really load, A4 portrait
    size = WebDriverWait(browser, 120).until(
        lambda d: d.execute_script(
            "const i = arguments[0];"
            "return i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;",
            preview,
        )
    )
    width, height = size
    assert 1.3 < height / width < 1.5
    check_page(browser, shots, "ket-qua-tra-cuu")
