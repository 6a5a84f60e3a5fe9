"""The search page (facets, thumbnails, columns, saved searches), its filters in the API and the
CLI's new options, on real issued documents."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import unescape

import pytest

from docgen.db import get_db
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from docgen.services.renditions import store_rendition
from tests.helpers import api_client, make_user
from tests.web.pages import post_form, sign_in, text

RECORDS = ("ke-hoach-2017", "cong-van-de-nghi-2017", "to-trinh-2017", "bao-cao-6-thang-2017")
PASSWORD = "mật-khẩu-kiểm-thử-dài"


@pytest.fixture
def archive(app, clock, loaded) -> list[int]:
    """Return the ids of the four recorded documents, issued on 20-23/03/2017."""
    ids = []
    with get_db(app).session() as session:
        for day, code in enumerate(RECORDS, start=20):
            clock.set(datetime(2017, 3, day, 9))
            document = issue_document(
                session, IssueRequest(**loaded.document(code).request()),
                actor=system_actor("vt"), clock=clock, renderer=get_renderer(app),
            )  # fmt: skip
            session.commit()
            ids.append(document.id)
    return ids


@pytest.fixture
def archivist(app, client, loaded):
    user = make_user(app, "luutru.kt", roles=("archivist",), password=PASSWORD)
    sign_in(client, "luutru.kt", PASSWORD)
    return user


def _links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def test_the_page_shows_facets_with_counts_that_filter(client, archive, archivist):
    html = text(client.get("/?q=dien+hinh"))
    assert "2 văn bản" in html or "4 văn bản" in html
    facets = html.split('class="facets"', 1)[1].split("</aside>", 1)[0]
    assert "Năm" in facets and "Loại văn bản" in facets and "Tình trạng" in facets
    assert re.search(r"Kế hoạch</a> <span class=\"count\">1</span>", facets)
    year = next(h for h in _links(facets) if "year=2017" in h)
    assert "q=dien+hinh" in year
    narrowed = text(client.get(year))
    assert "× Bỏ lọc" in narrowed
    kind = next(h for h in _links(facets) if "type=ke-hoach" in h)
    only_plan = text(client.get(kind))
    assert "1 văn bản" in only_plan and "01/KH-UBND" in only_plan


def test_thumbnails_once_the_pdf_exists_lazy_loaded(app, client, clock, archive, archivist):
    with get_db(app).session() as session:
        store_rendition(
            session, archive[0], "pdf", b"%PDF-1.4 kiem thu", pages=1,
            actor=system_actor("a"), now=clock.now(),
        )  # fmt: skip
        session.commit()
    html = text(client.get("/?q=dien+hinh"))
    images = re.findall(r'<img loading="lazy"[^>]*src="([^"]+)"', html)
    assert images == [f"/documents/{archive[0]}/preview/1.png"]
    assert html.count("Chưa có bản PDF") >= 1  # the others: a placeholder, no broken image


def test_chosen_columns(client, archive, archivist):
    html = text(client.get("/?q=dien+hinh&columns=number&columns=unit"))
    assert "Đơn vị soạn thảo:" in html and "Người ký:" not in html
    assert "<img" not in html and "Chưa có bản PDF" not in html
    default = text(client.get("/?q=dien+hinh"))
    assert "Người ký:" in default and "Đơn vị soạn thảo:" not in default


def test_saved_search_round_trip(app, client, archive, archivist):
    query = "q=dien+hinh&year=2017&order=oldest&columns=number&columns=date&page=3&after=9"
    saved = post_form(client, "/searches", {"name": "  Thi đua 2017 ", "query": query})
    assert saved.status_code == 302
    target = saved.headers["Location"]
    assert "page=" not in target and "after=" not in target  # never a stale page
    assert "order=oldest" in target and target.count("columns=") == 2
    html = text(client.get(target))
    assert "Đã lưu tìm kiếm “Thi đua 2017”." in html
    link = next(h for h in _links(html) if h.startswith("/?") and "order=oldest" in h)
    assert text(client.get(link)).count('class="hit no-thumb"') >= 1
    # saving the same name replaces it; an empty name is refused with a message
    post_form(client, "/searches", {"name": "Thi đua 2017", "query": "q=thi+dua"})
    refused = client.get(post_form(client, "/searches", {"name": " ", "query": ""}).location)
    assert "Tên tìm kiếm phải có từ 1 đến 100 ký tự." in text(refused)
    html = text(client.get("/"))
    assert html.count(">Thi đua 2017</a>") == 1 and "/?q=thi+dua" in html
    saved_id = int(re.search(r'action="/searches/(\d+)/delete"', html).group(1))
    # another user's saved search: not found, and not listed
    other = app.test_client()
    make_user(app, "luutru.snv", organisation="snv", roles=("archivist",), password=PASSWORD)
    sign_in(other, "luutru.snv", PASSWORD)
    assert "Thi đua 2017" not in text(other.get("/"))
    assert post_form(other, f"/searches/{saved_id}/delete", {}).status_code == 404
    gone = post_form(client, f"/searches/{saved_id}/delete", {}, follow_redirects=True)
    assert "Đã xóa tìm kiếm đã lưu." in text(gone) and "Thi đua 2017" not in text(gone)


def test_api_order_after_and_unit(app, archive, loaded):
    """An snv registrar sees the two snv documents (to-trinh, bao-cao) and no other."""
    api = api_client(app, make_user(app, "vt.snv", organisation="snv", roles=("registrar",)))
    newest = api.get("/api/v1/documents?per_page=1").json
    assert newest["total"] == 2 and newest["total_exact"] is True
    assert [i["id"] for i in newest["items"]] == [archive[3]]
    assert newest["next_after"] == archive[3] and newest["order"] == "newest"
    rest = api.get(f"/api/v1/documents?per_page=1&after={newest['next_after']}").json
    assert [i["id"] for i in rest["items"]] == [archive[2]] and rest["next_after"] is None
    oldest = api.get("/api/v1/documents?order=oldest").json
    assert [i["id"] for i in oldest["items"]] == archive[2:]
    bad = api.get("/api/v1/documents?order=best")
    assert bad.status_code == 400 and "order" in bad.json["details"]["fields"]
    relevance = api.get("/api/v1/documents?q=xet+chon&order=relevance").json
    assert relevance["items"][0]["id"] == archive[2] and relevance["items"][0]["score"] == 2.0
    assert api.get("/api/v1/documents?unit=KHONG-CO").json["total"] == 0


def test_cli_filters_and_order(runner, archive):
    out = runner.invoke(args=["search", "dien", "hinh", "--order", "oldest", "--json"])
    assert out.exit_code == 0, out.output
    ids = [i["id"] for i in json.loads(out.output)["items"]]
    assert ids == sorted(ids) and len(ids) >= 2
    out = runner.invoke(args=["search", "--number", "QĐ", "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["total"] == 0
    out = runner.invoke(args=["search", "--per-page", "2"])
    assert out.exit_code == 0 and f"Trang sau: --after {archive[2]}" in out.output
    out = runner.invoke(args=["search", "--per-page", "2", "--after", str(archive[2])])
    assert f"[{archive[1]}]" in out.output and f"[{archive[3]}]" not in out.output
    out = runner.invoke(args=["search", "--order", "relevance", "xet", "chon", "--json"])
    assert json.loads(out.output)["items"][0]["id"] == archive[2]
