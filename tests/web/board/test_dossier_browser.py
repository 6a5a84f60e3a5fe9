"""The dossier's pages in a browser: axe-clean and without sideways scrolling at desktop and
phone width (screenshots in ``DOCGEN_SCREENSHOTS``); the bookmarks listed on the page."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from docgen.db import get_db
from docgen.jobs.dossier import build_and_store
from docgen.runtime import get_converter, get_renderer
from tests.campaigns.dossier_setup import issue_submission, select_nominees
from tests.campaigns.dossier_setup import people as actors
from tests.web.test_web_browser import (  # noqa: F401  (fixtures)
    browser,
    check_page,
    live_url,
    shots,
    sign_in,
    wait_for,
)


def test_the_dossier_pages_in_a_browser(app, clock, people, live_url, browser, shots):  # noqa: F811
    campaign_id = select_nominees(app, clock, 5)
    sign_in(browser, live_url, "thiduakt", people["thiduakt"])
    browser.get(f"{live_url}/board/campaigns/{campaign_id}/dossier")
    wait_for(browser, "#selection-heading")
    check_page(browser, shots, "dossier-selection")
    issue_submission(app, clock, campaign_id)
    with get_db(app).session() as session:
        dossier, _built = build_and_store(
            session, campaign_id, actor=actors(app)["thiduakt"], renderer=get_renderer(app),
            converter=get_converter(app), now=clock.now,
        )  # fmt: skip
        dossier_id = dossier.id
    browser.get(f"{live_url}/board/dossiers/{dossier_id}")
    items = wait_for(browser, ".dossier-outline > li")
    assert [i.text.split(" (trang")[0] for i in items][:2] == [
        "Tờ trình số 01/TTr-BTĐKT", "Danh sách (phụ lục)",
    ]  # fmt: skip
    assert len(browser.find_elements(By.CSS_SELECTOR, ".dossier-outline ol li")) == 5
    check_page(browser, shots, "dossier-page")
