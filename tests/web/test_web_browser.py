"""The archive's front page in a real headless Chromium: search, results, rendered page previews."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from tests.helpers import api_body

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,1000",
)


@pytest.fixture
def live_url(app, loaded) -> Iterator[str]:
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
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium'}")
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    yield driver
    driver.quit()


def test_archivist_searches_without_diacritics_and_sees_the_first_page(
    app, client, loaded, live_url, browser
):
    assert client.post("/api/v1/documents", json=api_body(loaded)).status_code == 201
    browser.get(live_url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys("dien hinh tien tien")
    box.submit()
    wait = WebDriverWait(browser, 120)
    hit = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".hit"))[0]
    assert "01/KH-UBND" in hit.text and "Mai Văn Huỳnh" in hit.text
    marks = {m.text.lower() for m in hit.find_elements(By.TAG_NAME, "mark")}
    assert {"điển", "tiến"} <= marks
    preview = hit.find_element(By.TAG_NAME, "img")
    # the preview is page 1 rendered by LibreOffice + pdftoppm: it must really load, A4 portrait
    size = wait.until(
        lambda d: d.execute_script(
            "const i = arguments[0];"
            "return i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null;",
            preview,
        )
    )
    width, height = size
    assert 1.3 < height / width < 1.5
    assert browser.get_screenshot_as_png()[:8] == b"\x89PNG\r\n\x1a\n"
