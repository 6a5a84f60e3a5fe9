"""Issue 9's end-to-end test in real Chromium: a công văn COMPOSED THROUGH THE FORM.

chuyenvien picks Công văn in the template picker, types a summary and a body holding
``& < > " '`` and every Vietnamese tone mark, chooses the signer and the recipients in the
page, sees the preview images change after typing, and sends the draft for signature;
lanhdao returns it with a comment; chuyenvien sees the comment, fixes the text in the form
and resends; lanhdao approves; vanthu issues from the confirmation and downloads the PDF,
whose number line, date line and typed characters are read back with pdftotext.

On the way, the refusals as a browser meets them: the drafter has no issue button and a
direct POST is a 403, a signer linked to another signer record cannot approve (403), and a
user of another organisation gets a 404 for the draft. axe runs (desktop and phone width)
on the edit page, the waiting list, the signer's view and the issue confirmation; their
screenshots go to ``$DOCGEN_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from docgen.jobs import get_queue
from tests.helpers import make_user
from tests.web.drafting.drafting_pages import TONES
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

SPECIAL = "& < > \" '"
MARKS = "Ắ ằ ẳ ẵ ặ — Ờ ở ỡ ợ — Ừ ử ữ ự — Ỹ ỷ ỵ ý ỳ"
SUMMARY = f"giới thiệu điển hình tiên tiến {SPECIAL} {MARKS}"
BODY = f"Đề nghị các đơn vị giới thiệu điển hình {SPECIAL} tiêu biểu: {TONES}"
SECOND = "Hồ sơ gửi về Ban Thi đua - Khen thưởng tỉnh (Sở Nội vụ)"
FIX = "Thời hạn gửi hồ sơ trước ngày 20/4/2017 & ghi rõ “đơn vị chủ trì”"
COMMENT = "Bổ sung thời hạn gửi hồ sơ <trước ngày 20/4> & ghi rõ “đơn vị chủ trì”."
SIGNER = "cvp-ubnd-tinh-tuq-mau"  # lanhdao's signer record
LIST = "cong-van-de-nghi-2017"  # a named recipient list of the UBND tỉnh
WAIT = 120  # autosave, a pause, then LibreOffice on a machine shared with other helpers


def _until(driver, check, timeout: float = WAIT):
    return WebDriverWait(driver, timeout, poll_frequency=0.3).until(check)


def _as(driver, base: str, username: str, password: str) -> None:
    if driver.find_elements(By.CSS_SELECTOR, ".who button"):
        sign_out(driver)
    sign_in(driver, base, username, password)


def _click(driver, css: str) -> None:
    follow(driver, driver.find_element(By.CSS_SELECTOR, css))


def _settled_preview(driver, after: int = 1) -> tuple[int, str]:
    """Wait until the form has saved a version newer than ``after`` and the panel shows
    that version with page 1 loaded; return the version and page 1's address.

    The autosave answers with ``draft-saved`` (the form's ``data-version``); the panel then
    asks for that version, so "shown == saved" means the preview is of what is stored.
    """

    def ready(d):
        state = d.execute_script(
            "const f = document.getElementById('draft-form');"
            "const p = document.getElementById('draft-preview');"
            "const v = f.getAttribute('data-version');"
            'const r = p.querySelector(`.preview-result[data-version="${v}"]`);'
            "const img = r && r.querySelector('img');"
            "const busy = document.querySelector('#draft-form.htmx-request');"
            "return !busy && img && img.complete && img.naturalWidth > 0"
            "  ? [parseInt(v, 10), img.getAttribute('src')] : null;"
        )
        if state and state[0] <= after:
            return False
        return state or False

    version, src = _until(driver, ready)
    return version, src


def _png(base: str, driver, src: str) -> bytes:
    """Return the bytes of ``src`` fetched with the browser's session cookie."""
    response = requests.get(base + src, cookies=_cookies(driver), timeout=60)
    assert response.status_code == 200 and response.content[:4] == b"\x89PNG", src
    return response.content


def _cookies(driver) -> dict[str, str]:
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def _status(driver, url: str, method: str = "GET", **form: str) -> int:
    """Return the HTTP status the browser's own session gets for ``url`` (CSRF token sent)."""
    return driver.execute_async_script(
        "const [url, method, form, done] = arguments;"
        "const token = document.querySelector('meta[name=\"csrf-token\"]').content;"
        "const init = {method, credentials: 'same-origin', redirect: 'manual'};"
        "if (method === 'POST') {"
        "  init.body = new URLSearchParams({...form, csrf_token: token});"
        "}"
        "fetch(url, init).then(r => done(r.status), e => done(String(e)));",
        url,
        method,
        form,
    )


def _pdf_text(data: bytes, folder: Path) -> str:
    path = folder / "issued.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return out.stdout


def _flat(text: str) -> str:
    """Return ``text`` with every run of white space (line breaks too) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def _bare(text: str) -> str:
    """Return ``text`` without any white space."""
    return re.sub(r"\s+", "", text)


def _compose(driver, base: str, folder: Path) -> int:
    """chuyenvien composes the công văn through the form; return the draft's id."""
    driver.find_element(By.LINK_TEXT, "Soạn thảo").click()
    wait_for(driver, "h1")
    driver.get(base + "/drafting/new")  # "Soạn thảo" lists drafts; the picker is "new"
    picker = "//form[input[@name='template' and @value='cong-van']]//button"
    driver.find_element(By.XPATH, picker).click()
    form = wait_for(driver, "#draft-form")[0]
    draft_id = int(form.get_attribute("data-draft-id"))
    Select(driver.find_element(By.ID, "draft-signer")).select_by_value(SIGNER)
    units = Select(driver.find_element(By.ID, "draft-unit"))
    unit = next(o.get_attribute("value") for o in units.options if o.get_attribute("value"))
    units.select_by_value(unit)
    Select(driver.find_element(By.ID, "in-recipients")).select_by_value(LIST)
    driver.find_element(By.ID, "in-summary").send_keys(SUMMARY)
    driver.find_element(By.ID, "in-body-0-text").send_keys(BODY)
    add = driver.find_element(By.CSS_SELECTOR, "[data-add-row='in-body']")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", add)
    add.click()
    texts = driver.find_elements(By.CSS_SELECTOR, "ol[data-rows='body'] > li [id$='-text']")
    assert len(texts) == 2
    texts[-1].send_keys(SECOND)
    first_version, first_src = _settled_preview(driver)
    first_png = _png(base, driver, first_src)

    # typing more changes what is stored, and the preview follows it
    driver.find_element(By.ID, "in-summary").send_keys(" năm 2017")
    version, src = _settled_preview(driver, after=first_version)
    assert version > first_version and src != first_src
    assert f"/preview/{version}/1.png" in src
    assert _png(base, driver, src) != first_png  # a new page image, not the same one renamed
    check_page(driver, folder, "e2e-edit-page")
    return draft_id


@pytest.mark.slow
def test_composed_cong_van_is_signed_issued_and_read_back(
    app,
    live_url,  # noqa: F811
    browser,  # noqa: F811
    people,
    shots,  # noqa: F811
    tmp_path,
):
    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    base = live_url
    make_user(app, "chutich", roles=("signer",), signer="mai-van-huynh")
    make_user(app, "da.nang", organisation="snv", roles=("drafter", "registrar", "signer"),
              signer="gd-snv-mau", password="mật khẩu snv 2017")  # fmt: skip

    # 1. the drafter composes and sends it for signature
    _as(browser, base, "chuyenvien", people["chuyenvien"])
    draft_id = _compose(browser, base, shots)
    page = f"{base}/drafting/{draft_id}"
    browser.get(page)  # reloaded: what the form shows now is what was stored
    assert browser.find_element(By.ID, "in-summary").get_attribute("value") == (
        SUMMARY + " năm 2017"
    )
    assert browser.find_element(By.ID, "in-body-0-text").get_attribute("value") == BODY
    _click(browser, "#workflow-panel form[action$='/submit'] button")
    assert "Trình ký" in browser.find_element(By.CSS_SELECTOR, ".workflow-state").text

    # 2. another organisation's user does not see that the draft exists
    _as(browser, base, "da.nang", "mật khẩu snv 2017")
    browser.get(page)
    assert _status(browser, page) == 404
    assert str(draft_id) not in browser.find_element(By.TAG_NAME, "h1").text

    # 3. a signer linked to another signer record may not approve it
    _as(browser, base, "chutich", "mật khẩu thử nghiệm 2017")
    browser.get(page)
    assert not browser.find_elements(By.CSS_SELECTOR, "#workflow-panel form[action$='/approve']")
    assert _status(browser, f"{page}/approve", "POST", version="2") == 403

    # 4. the signer finds it waiting and returns it with a comment
    _as(browser, base, "lanhdao", people["lanhdao"])
    browser.get(f"{base}/drafting/waiting")
    check_page(browser, shots, "e2e-waiting")
    browser.find_element(By.CSS_SELECTOR, f"table a[href$='/drafting/{draft_id}']").click()
    panel = wait_for(browser, "#workflow-panel")[0]
    assert "Trình ký" in panel.text
    assert wait_for(browser, "#preview-body .preview-result img")
    check_page(browser, shots, "e2e-signer-view")
    browser.find_element(By.ID, f"return-comment-{draft_id}").send_keys(COMMENT)
    _click(browser, "#workflow-panel form[action$='/return'] button")

    # 5. the drafter reads the comment, fixes the text in the form and resends
    _as(browser, base, "chuyenvien", people["chuyenvien"])
    browser.get(page)
    assert COMMENT in browser.find_element(By.CSS_SELECTOR, ".signer-comment").text
    body = browser.find_element(By.ID, "in-body-1-text")
    body.clear()
    body.send_keys(FIX)
    _until(browser, lambda d: "Đã lưu" in d.find_element(By.ID, "save-status").text)
    browser.find_element(By.CSS_SELECTOR, "#draft-form .save-bar button[type=submit]").click()
    wait_for(browser, ".flash")
    assert browser.find_element(By.ID, "in-body-1-text").get_attribute("value") == FIX
    _click(browser, "#workflow-panel form[action$='/submit'] button")

    # 6. the signer approves
    _as(browser, base, "lanhdao", people["lanhdao"])
    browser.get(page)
    _click(browser, "#workflow-panel form[action$='/approve'] button")
    assert "Đã duyệt" in browser.find_element(By.CSS_SELECTOR, ".workflow-state").text

    # 7. the drafter cannot issue: no button, and a direct POST is refused
    _as(browser, base, "chuyenvien", people["chuyenvien"])
    browser.get(page)
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href$='/issue']")
    version = browser.find_element(By.ID, "draft-version").get_attribute("value")
    assert _status(browser, f"{page}/issue", "POST", version=version) == 403

    # 8. the registrar confirms and issues; the PDF is made by the worker while the page waits
    _as(browser, base, "vanthu", people["vanthu"])
    browser.get(page)
    _click(browser, "#workflow-panel a[href$='/issue']")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Kiên Giang, ngày 20 tháng 3 năm 2017" in main
    assert "số sẽ được cấp khi ban hành" in main
    check_page(browser, shots, "e2e-issue-confirmation")
    _click(browser, ".issue-form button[type=submit]")
    flash = browser.find_element(By.CSS_SELECTOR, ".flashes").text
    notation = re.search(r"số (01/UBND-\S+?)\.?$", flash)
    assert notation, flash
    progress = browser.find_element(By.CSS_SELECTOR, "#document-files").text
    assert "đang tạo" in progress  # the job has not run yet: the page says so
    assert get_queue(app).run_pending() >= 1  # the renditions job, as `docgen worker` runs it
    link = _until(
        browser,
        lambda d: d.find_elements(By.XPATH, "//section[@id='document-files']//a[text()='PDF']"),
    )[0]
    response = requests.get(link.get_attribute("href"), cookies=_cookies(browser), timeout=60)
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    check_page(browser, shots, "e2e-issued-document")

    text = _pdf_text(response.content, tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    assert any(re.search(rf"Số: {re.escape(notation.group(1))}\b", line) for line in lines), text
    assert any("Kiên Giang, ngày 20 tháng 3 năm 2017" in line for line in lines), text
    flat = _flat(text)
    assert f"điển hình {SPECIAL} tiêu biểu" in flat  # the body line, spaces and all
    # LibreOffice squeezes the spaces of full justified lines so narrow that pdftotext drops
    # them: the typed characters are compared in order with white space left out.
    bare = _bare(text)
    for typed in (MARKS, TONES, FIX, SUMMARY + " năm 2017"):
        assert _bare(typed) in bare, typed
    assert _bare(SECOND) not in bare  # the paragraph the drafter replaced after the return
    assert "Các sở, ban, ngành, đoàn thể cấp tỉnh" in flat  # the chosen Kính gửi list
