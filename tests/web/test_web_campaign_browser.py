"""Issue 10's end-to-end test in real Chromium, from a district's Excel list to the dossier PDF.

canbo-kienluong imports five nominees from an XLSX (dry run, then "Nhập"), sends the package:
the cover công văn is signed by chutich-kienluong and issued by canbo-kienluong (registrar
too), so the package is submitted on time. thiduakt sees UBND huyện Kiên Lương at 05/05 and
on time on the dashboard, accepts the package and selects the five in place (htmx). The tờ
trình is drafted from the selection, approved by truongban and issued by vanthu-btdkt; then
"Lập hồ sơ" queues the dossier job, whose progress bar the page shows while the worker (this
test, in a thread) runs it; the merged PDF is downloaded with the browser's cookies and read
back (pdftotext for the number line, the "Kèm theo" line and the names; pikepdf for the
bookmarks). axe runs at desktop and phone width on the package, dashboard and dossier pages;
screenshots go to ``$DOCGEN_SCREENSHOTS`` when set.
"""

from __future__ import annotations

import io
import re
import subprocess
import threading
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest
import requests
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from docgen.jobs import get_queue
from docgen.services.clock import VIETNAM
from tests.campaigns.xlsx_files import GROUP, PERSON, xlsx
from tests.web.nominations.nomination_pages import nominees, package_of
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

WAIT = 180  # LibreOffice renders and converts on a machine shared with other helpers
CLERK, CHAIRMAN = "canbo-kienluong", "chutich-kienluong"
SIGNER = "ct-ubnd-kien-luong-mau"  # chutich-kienluong's signer record
ORG = "ubnd-kien-luong"
NAMES = ["Hợp tác xã Thuận Phát", "Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng"]
BEFORE_DEADLINE = datetime(2017, 4, 18, 9, 0, tzinfo=VIETNAM)  # the deadline ends 19/4/2017
BOARD_DAY = datetime(2017, 4, 24, 9, 0, tzinfo=VIETNAM)


def _until(driver, check, timeout: float = WAIT):
    return WebDriverWait(
        driver, timeout, poll_frequency=0.3, ignored_exceptions=[StaleElementReferenceException]
    ).until(check)


def _as(driver, base: str, username: str, password: str) -> None:
    if driver.find_elements(By.CSS_SELECTOR, ".who button"):
        sign_out(driver)
    sign_in(driver, base, username, password)


def _click(driver, css: str) -> None:
    """Click ``css`` and wait for the page it leads to."""
    _follow(driver, driver.find_element(By.CSS_SELECTOR, css))


_follow = follow  # click and wait for the next page (tests/web/test_web_browser.py)


def _main(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def _flash(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".flashes").text


def _cookies(driver) -> dict[str, str]:
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def _issued_notation(driver) -> str:
    """Return the number the issuance's flash announces ("Đã ban hành văn bản số …")."""
    found = re.search(r"Đã ban hành văn bản số (\S+?)\.?$", _flash(driver), re.M)
    assert found, _flash(driver)
    return found.group(1)


def _workbook(folder: Path) -> Path:
    """Write the five nominees into the project's XLSX template (a collective and four people)."""
    rows = [[GROUP[0], NAMES[0], *GROUP[2:]]]
    for name, gender in zip(NAMES[1:], ("Nữ", "Nam", "Nữ", "Nam"), strict=True):
        row = list(PERSON)
        row[1], row[3] = name, gender
        rows.append(row)
    path = folder / "danh-sach-kien-luong.xlsx"
    path.write_bytes(xlsx(rows))
    return path


def _sign_and_issue(driver, base: str, people, draft_url: str, signer: str, registrar: str):
    """Send the draft for signature (as the user signed in), approve it as ``signer`` and
    issue it as ``registrar``; return the issued number."""
    driver.get(draft_url)
    _click(driver, "#workflow-panel form[action$='/submit'] button")
    assert "Trình ký" in driver.find_element(By.CSS_SELECTOR, ".workflow-state").text
    _as(driver, base, signer, people[signer])
    driver.get(draft_url)
    _click(driver, "#workflow-panel form[action$='/approve'] button")
    assert "Đã duyệt" in driver.find_element(By.CSS_SELECTOR, ".workflow-state").text
    _as(driver, base, registrar, people[registrar])
    driver.get(draft_url)
    _click(driver, "#workflow-panel a[href$='/issue']")
    _click(driver, ".issue-form button[type=submit]")
    return _issued_notation(driver)


def _organisation_sends(
    driver, base: str, app, people, folder: Path, pictures: Path
) -> tuple[int, str]:
    """Steps 1 and 2: import, send, sign, issue; return the campaign's id and the number of
    the letter the package was sent with."""
    _as(driver, base, CLERK, people[CLERK])
    driver.get(base + "/nominations/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "điển hình tiên tiến").click()
    wait_for(driver, "#state-heading")
    campaign_id = int(driver.current_url.rstrip("/").rsplit("/", 1)[1])
    assert "chưa gửi" in _main(driver)
    driver.find_element(By.LINK_TEXT, "Nhập từ tệp Excel").click()
    driver.find_element(By.ID, "file").send_keys(str(_workbook(folder)))
    _click(driver, "main form button[type=submit]")
    assert "5 dòng, 0 dòng có lỗi" in driver.find_element(By.ID, "result-heading").text
    assert "Mọi dòng đều hợp lệ." in _main(driver)
    assert nominees(app, ORG) == []  # the dry run saved nothing
    _click(driver, "form[action$='/import/confirm'] button[type=submit]")
    assert "Đã nhập 5 tập thể, cá nhân" in _flash(driver)
    page = _main(driver)
    assert "Danh sách giới thiệu (5)" in page
    assert "Cần ít nhất 05 — đã nhập 05, đạt chỉ tiêu" in page
    assert all(name in page for name in NAMES)

    # 2. "Gửi hồ sơ" drafts the cover letter; the clerk names the signer and sends it
    _click(driver, "form[action$='/send'] button[type=submit]")
    assert "Đã soạn công văn gửi hồ sơ" in _flash(driver)
    draft_url = driver.current_url
    assert re.search(r"/drafting/\d+$", draft_url), draft_url
    if not Select(driver.find_element(By.ID, "draft-signer")).first_selected_option.get_attribute(
        "value"
    ):
        Select(driver.find_element(By.ID, "draft-signer")).select_by_value(SIGNER)
        _until(driver, lambda d: "Đã lưu" in d.find_element(By.ID, "save-status").text)
        _until(driver, lambda d: "chưa chọn" not in d.find_element(By.ID, "workflow-panel").text)
    notation = _sign_and_issue(driver, base, people, draft_url, CHAIRMAN, CLERK)
    assert package_of(app, ORG).late is False

    driver.get(f"{base}/nominations/{campaign_id}")
    state = driver.find_element(By.ID, "state-heading").text
    assert "Đã gửi" in state and "Trễ hạn" not in state
    assert "(đúng hạn)" in _main(driver)
    assert f"Công văn gửi hồ sơ số {notation} ngày 18/04/2017" in _main(driver)
    check_page(driver, pictures, "e2e-nominations-package-sent")
    _follow(driver, driver.find_element(By.PARTIAL_LINK_TEXT, f"Công văn gửi hồ sơ số {notation}"))
    assert re.search(r"/documents/\d+$", driver.current_url), driver.current_url
    assert notation in _main(driver)  # the archived letter it was sent with
    return campaign_id, notation


def _board_selects(
    driver, base: str, people, campaign_id: int, letter: str, pictures: Path
) -> None:
    """Step 3: the dashboard, the package accepted, five selected in place."""
    _as(driver, base, "thiduakt", people["thiduakt"])
    board = f"{base}/board/campaigns/{campaign_id}"
    driver.get(board)
    row = wait_for(driver, f"tr:has(a[href$='/packages/{ORG}'])")[0]
    assert "Kiên Lương" in row.text
    assert "Đạt (05/05)" in row.text and "Đúng hạn" in row.text, row.text
    check_page(driver, pictures, "e2e-board-dashboard")
    row.find_element(By.CSS_SELECTOR, f"a[href$='/packages/{ORG}']").click()
    wait_for(driver, ".nominee-card")
    assert f"Số {letter} ngày 18/04/2017" in _main(driver)  # the board sees the cover letter
    _click(driver, "form[action$='/accept'] button")
    driver.execute_script("window.__notReloaded = true")
    for n in range(1, 6):
        driver.find_elements(By.CSS_SELECTOR, ".nominee-card:not(.selected) form button")[0].click()
        _until(driver, lambda d, n=n: (
            f"Đã chọn {n:02d}" in d.find_element(By.ID, "selection-counter").text
            and len(d.find_elements(By.CSS_SELECTOR, ".nominee-card.selected")) == n
        ))  # fmt: skip
    assert driver.execute_script("return window.__notReloaded === true")  # swapped in place
    assert "Trong khoảng xét chọn" in driver.find_element(By.ID, "selection-counter").text
    check_page(driver, pictures, "e2e-board-package-selected")


def _watch_the_job(driver, app) -> list[tuple[int, int]]:
    """Run the queued dossier job in a thread (as ``docgen worker`` would) while the page's
    panel polls; return the (value, max) pairs its progress bar showed, in order."""
    panel = wait_for(driver, ".job-panel progress")[0]
    assert panel.get_attribute("value") == "0"  # queued: nothing runs until the worker starts
    assert "Lập hồ sơ trình Trung ương" in driver.find_element(By.CSS_SELECTOR, ".job-panel").text
    failures: list[BaseException] = []

    def work() -> None:
        try:
            while get_queue(app).run_pending():
                pass
        except BaseException as exc:  # re-raised in the test's thread below
            failures.append(exc)

    driver.execute_script("window.__notReloaded = true")
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    seen: list[tuple[int, int]] = []

    def finished(d) -> bool:
        bar = d.find_element(By.CSS_SELECTOR, ".job-panel progress")
        pair = (int(bar.get_attribute("value")), int(bar.get_attribute("max")))
        if not seen or seen[-1] != pair:
            seen.append(pair)
        return "đã xong" in d.find_element(By.CSS_SELECTOR, ".job-panel .job-state").text

    _until(driver, finished, timeout=300)
    worker.join(timeout=60)
    assert not failures, failures
    assert driver.execute_script("return window.__notReloaded === true")  # htmx polled in place
    return seen


def _outline(pdf: bytes) -> list[tuple[str, list[str]]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc, doc.open_outline() as outline:
        return [(top.title, [c.title for c in top.children]) for top in outline.root]


def _pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True, timeout=120)  # fmt: skip
    return out.stdout.decode()


@pytest.mark.slow
def test_from_an_excel_list_to_the_dossier_pdf(
    app,
    clock,
    live_url,  # noqa: F811
    browser,  # noqa: F811
    people,
    shots,  # noqa: F811
    tmp_path,
):
    base = live_url
    clock.set(BEFORE_DEADLINE)
    campaign_id, letter = _organisation_sends(browser, base, app, people, tmp_path, shots)

    clock.set(BOARD_DAY)
    _board_selects(browser, base, people, campaign_id, letter, shots)

    # 4. the tờ trình from the selection, signed and issued by the board's people
    dossier_url = f"{base}/board/campaigns/{campaign_id}/dossier"
    browser.get(dossier_url)
    assert "Đã chọn 05 tập thể, cá nhân" in _main(browser)
    assert "Trong khoảng cho phép" in _main(browser)
    _click(browser, "form[action$='/dossier/submission'] button")
    draft_url = browser.current_url
    assert re.search(r"/drafting/\d+$", draft_url), draft_url
    submission = _sign_and_issue(browser, base, people, draft_url, "truongban", "vanthu-btdkt")
    assert "/TTr-" in submission

    _as(browser, base, "thiduakt", people["thiduakt"])
    browser.get(dossier_url)
    assert f"Tờ trình đã ban hành: Số {submission} ngày 24/04/2017" in _main(browser)
    _click(browser, "form[action$='/dossier/build'] button")
    assert "job=" in browser.current_url
    seen = _watch_the_job(browser, app)
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == 8, seen  # 5 extracts + 3 steps
    assert [v for v, _m in seen] == sorted(v for v, _m in seen), seen  # never goes back
    check_page(browser, shots, "e2e-dossier-built")

    browser.find_element(By.LINK_TEXT, "Xem hồ sơ trình Trung ương").click()
    link = wait_for(browser, "a[href$='/pdf']")[0]
    assert f"Tờ trình số {submission}" in _main(browser)
    check_page(browser, shots, "e2e-dossier-detail")
    response = requests.get(link.get_attribute("href"), cookies=_cookies(browser), timeout=120)
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"

    text = _pdf_text(response.content)
    lines = [line.strip() for line in text.splitlines()]
    assert any(re.search(rf"Số: {re.escape(submission)}(\s|$)", line) for line in lines), text
    flat = " ".join(text.split())
    cite = f"Kèm theo Tờ trình số {submission} ngày 24 tháng 4 năm 2017"
    assert flat.count(cite) >= 6, flat  # the appendix and each of the five trích ngang
    for name in NAMES:
        assert name in flat, name

    outline = _outline(response.content)
    assert [title for title, _children in outline] == [
        f"Tờ trình số {submission}", "Danh sách (phụ lục)", "Trích ngang thành tích",
    ], outline  # fmt: skip
    assert [children for _title, children in outline[:2]] == [[], []]
    extracts = outline[2][1]
    assert len(extracts) == 5 and sorted(extracts) == sorted(NAMES), extracts
