"""The live preview panel of a draft: page images of the saved version (real LibreOffice),
the page count, the format check in Vietnamese, stale versions, incomplete drafts, and who may
see it."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.runtime import get_renderer
from docgen.services import drafts
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.chain import plain
from tests.helpers import make_user
from tests.web.pages import sign_in, text

SAMPLE_SIGNER = "cvp-ubnd-tinh-tuq-mau"  # the sample account "lanhdao" signs as this record
HX = {"HX-Request": "true"}
_IMG = re.compile(r'<img src="([^"]+)"')
_CHECK = re.compile(r'hx-get="([^"]+/check[^"]*)"')
_PNG = b"\x89PNG\r\n\x1a\n"


def _client(app: Flask, people: dict[str, str], username: str):
    client = app.test_client()
    assert sign_in(client, username, people[username]).status_code in (302, 303)
    return client


def _actor(app: Flask, username: str):
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


def _new_draft(app: Flask, loaded, **overrides: Any) -> int:
    """Return the id of a new draft of the 2017 plan by chuyenvien (version 1)."""
    request = loaded.document("ke-hoach-2017").request()
    values = {
        "template": request["template"],
        "data": plain(request["fields"]),
        "signer": SAMPLE_SIGNER,
        "recipients": request["recipients"],
        "unit": request["unit"],
        **overrides,
    }
    with get_db(app).session() as session:
        draft = drafts.create_draft(
            session, actor=_actor(app, "chuyenvien"), renderer=get_renderer(app),
            now=app.extensions["docgen.clock"].now(), **values,
        )  # fmt: skip
        session.commit()
        return draft.id


def _save(app: Flask, draft_id: int, version: int, **changes: Any) -> int:
    with get_db(app).session() as session:
        draft = drafts.update_draft(
            session, draft_id, actor=_actor(app, "chuyenvien"), version=version,
            now=app.extensions["docgen.clock"].now(), **changes,
        )  # fmt: skip
        session.commit()
        return draft.version


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(_PNG), png[:16]
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _pdf_text(pdf: Path, page: int) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, check=True)  # fmt: skip
    return " ".join(out.stdout.decode("utf-8").split())


def _cache(app: Flask) -> Path:
    return Path(app.instance_path) / "preview-cache"


@pytest.mark.slow
def test_the_panel_shows_every_page_of_the_saved_draft_and_its_check(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    response = client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX)
    assert response.status_code == 200, text(response)[:500]
    assert response.headers["X-Preview-Version"] == "1"
    html = text(response)
    assert 'data-version="1"' in html
    pages = int(re.search(r'data-pages="(\d+)"', html).group(1))
    assert f"{pages} trang" in html
    sources = _IMG.findall(html)
    assert len(sources) == pages >= 2
    for n, src in enumerate(sources, start=1):
        assert f"/preview/1/{n}.png" in src
        image = client.get(src.replace("&amp;", "&"))
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert _png_size(image.data) == (662, 936)  # A4 portrait at 80 dpi
    # the cached PDF is the one the images come from: page 1 holds the plan's summary
    [pdf] = list(_cache(app).glob("*.pdf"))
    first = _pdf_text(pdf, 1)
    assert "Tuyên truyền các phong trào thi đua yêu nước" in first
    assert "KẾ HOẠCH" in first
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(rf"^Pages:\s+{pages}$", out, re.M)
    # the format check loads with its own request (never delays page 1), in Vietnamese with
    # its rule: a draft has no number or date yet
    assert "Kiểm tra thể thức" in html and "PL1.II.3.draft" not in html
    check_url = _CHECK.search(html).group(1).replace("&amp;", "&")
    check = client.get(check_url, headers=HX)
    assert check.status_code == 200, text(check)[:500]
    assert "PL1.II.3.draft" in text(check)
    assert "Bản dự thảo chưa có số, ngày ban hành" in text(check)
    assert list(_cache(app).glob("*-check.json"))  # checked once per content
    # an unchanged draft is not converted again: the same files answer, marked as cached
    before = {p.name: p.stat().st_mtime_ns for p in _cache(app).glob("*.pdf")}
    again = client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX)
    assert again.status_code == 200 and _IMG.findall(text(again)) == sources
    assert {p.name: p.stat().st_mtime_ns for p in _cache(app).glob("*.pdf")} == before
    # without htmx the same URL is a page of its own (works without JavaScript)
    page = client.get(f"/drafting/{draft_id}/preview")
    assert (
        page.status_code == 200 and "<html" in text(page) and len(_IMG.findall(text(page))) == pages
    )
    assert "PL1.II.3.draft" in text(page)  # the check inline: no request needed


@pytest.mark.slow
def test_a_newer_save_makes_the_older_request_stale(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    assert client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX).status_code == 200
    data = plain(loaded.document("ke-hoach-2017").request()["fields"])
    data["summary"] = "Tuyên truyền điển hình tiên tiến năm 2017 (bản sửa)"
    assert _save(app, draft_id, 1, data=data) == 2
    stale = client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX)
    assert stale.status_code == 204 and stale.data == b""  # htmx swaps nothing
    assert stale.headers["X-Preview-Stale"] == "2"
    assert client.get(f"/drafting/{draft_id}/preview?version=3", headers=HX).status_code == 404
    fresh = client.get(f"/drafting/{draft_id}/preview?version=2", headers=HX)
    assert fresh.status_code == 200 and 'data-version="2"' in text(fresh)
    assert "/preview/2/1.png" in text(fresh)
    # version 1's page 1 stays cached (the page may still show it until the swap)
    assert client.get(f"/drafting/{draft_id}/preview/1/1.png").status_code == 200
    assert client.get(f"/drafting/{draft_id}/preview/2/99.png").status_code == 404
    # and the new version's page 1 prints the new summary
    pdfs = {p: _pdf_text(p, 1) for p in _cache(app).glob("*.pdf")}
    assert any("(bản sửa)" in t for t in pdfs.values())


@pytest.mark.slow
def test_an_incomplete_draft_previews_with_visible_placeholders(app, people, loaded):
    draft_id = _new_draft(app, loaded, data={"summary": "", "body": []}, signer=None,
                          recipients=None)  # fmt: skip
    client = _client(app, people, "chuyenvien")
    response = client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX)
    assert response.status_code == 200, text(response)[:500]
    html = text(response)
    assert "Còn thiếu: Trích yếu nội dung, Nội dung kế hoạch, Người ký, Nơi nhận" in html
    assert len(_IMG.findall(html)) >= 1
    [pdf] = list(_cache(app).glob("*.pdf"))
    first = _pdf_text(pdf, 1)
    assert "[Chưa nhập: Trích yếu nội dung]" in first
    assert "[Chưa nhập: Nội dung kế hoạch]" in first


def test_a_draft_that_cannot_render_lists_its_problems(app, people, loaded):
    bad = [{"kind": "chương", "text": "Một đoạn"}]  # an unknown block kind: never guessed
    draft_id = _new_draft(app, loaded, data={"summary": "Kế hoạch thử", "body": bad})
    client = _client(app, people, "chuyenvien")
    response = client.get(f"/drafting/{draft_id}/preview?version=1", headers=HX)
    assert response.status_code == 200, text(response)[:500]
    html = text(response)
    assert "Chưa tạo được ảnh trang" in html
    assert "Nội dung kế hoạch" in html and "loại đoạn “chương” không hợp lệ" in html
    assert "<img" not in html
    assert client.get(f"/drafting/{draft_id}/preview/1/1.png").status_code == 404


def test_another_organisation_gets_404_and_anonymous_signs_in(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    outsider = _client(app, people, "thiduakt")  # board of btdkt, not a drafting role
    urls = (f"/drafting/{draft_id}/preview?version=1", f"/drafting/{draft_id}/preview/1/1.png")
    for url in urls:
        assert outsider.get(url, headers=HX).status_code in (403, 404)
    make_user(app, "vt.snv", organisation="snv", roles=("registrar",), password="docgen-vt.snv")
    other = _client(app, {"vt.snv": "docgen-vt.snv"}, "vt.snv")
    for url in urls:
        assert other.get(url, headers=HX).status_code == 404
    anonymous = app.test_client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
