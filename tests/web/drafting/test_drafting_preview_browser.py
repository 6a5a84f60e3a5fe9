"""The preview panel in a real headless Chromium: page images appear beside the form, and
after typing (autosave → "draft-saved") the panel shows the new version's pages."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.web.drafting.test_drafting_preview import _new_draft
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    browser,
    live_url,
    shots,
    sign_in,
    wait_for,
)

WAIT = 90  # an autosave, a pause, then a real LibreOffice conversion on a busy machine


def _loaded_images(driver_, version: int) -> list:
    """Return the panel's page images of ``version`` once the first has loaded."""

    def ready(driver):
        images = driver.find_elements(
            By.CSS_SELECTOR, f'#preview-body .preview-result[data-version="{version}"] img'
        )
        first = images[0] if images else None
        loaded = first is not None and driver.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth", first
        )
        return images if loaded else False

    return WebDriverWait(driver_, WAIT).until(ready)


@pytest.mark.slow
def test_the_preview_follows_the_saved_draft(app, people, loaded, live_url, browser, shots):  # noqa: F811
    draft_id = _new_draft(app, loaded)
    sign_in(browser, live_url, "chuyenvien", people["chuyenvien"])
    browser.get(f"{live_url}/drafting/{draft_id}")
    images = _loaded_images(browser, 1)
    assert len(images) >= 2
    assert "Kiểm tra thể thức" in browser.find_element(By.ID, "draft-preview").text
    # the format check arrives with its own request, after the pages
    WebDriverWait(browser, WAIT).until(
        lambda d: "PL1.II.3.draft" in d.find_element(By.ID, "draft-preview").text
    )
    assert browser.execute_script("return arguments[0].naturalWidth", images[0]) == 662
    browser.save_screenshot(str(shots / "drafting-preview-v1.png"))
    summary = browser.find_element(By.ID, "in-summary")
    summary.send_keys(" (đã sửa)")
    images = _loaded_images(browser, 2)
    assert "/preview/2/1.png" in images[0].get_attribute("src")
    panel = browser.find_element(By.ID, "draft-preview")
    assert panel.get_attribute("data-shown") == "2"
    browser.save_screenshot(str(shots / "drafting-preview-v2.png"))
    panel.screenshot(str(shots / "drafting-preview-panel.png"))
    refused = [
        e["message"] for e in browser.get_log("browser") if "Security Policy" in e["message"]
    ]
    assert refused == []
