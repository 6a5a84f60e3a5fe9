"""The archive pages: signed-in search with or without diacritics, a document's page, its files;
another organisation's document is a 404 everywhere."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

import pytest

from tests.helpers import api_body, api_client
from tests.web.pages import sign_in, text, user_named


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.images: list[str] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        elif tag == "img":
            self.images.append(attrs.get("src", ""))
        elif tag == "mark":
            self._in_mark = True

    def handle_endtag(self, tag):
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._in_mark:
            self.marks.append(data)


def _parse(html: str) -> _Collect:
    collected = _Collect()
    collected.feed(html)
    return collected


@pytest.fixture
def issued(app, client, people, loaded) -> int:
    """Return the id of the 2017 plan, issued through the API by the UBND tỉnh's registrar."""
    response = api_client(app, user_named(app, "vanthu")).post(
        "/api/v1/documents", json=api_body(loaded)
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_the_archive_needs_sign_in(client, issued):
    for url in ("/", f"/documents/{issued}", f"/documents/{issued}/docx"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_search_finds_issued_documents_without_diacritics(client, people, issued):
    sign_in(client, "luutru", people["luutru"])
    page = client.get("/?q=dien+hinh+tien+tien")
    assert page.status_code == 200
    html = text(page)
    assert "1 văn bản" in html and "01/KH-UBND" in html and "20/03/2017" in html
    found = _parse(html)
    # no PDF rendition yet (tests make none on issue): a placeholder, not a broken image;
    # tests/archive/test_search_page.py shows the thumbnail once the rendition exists
    assert found.images == [] and "Chưa có bản PDF" in html
    assert f"/documents/{issued}/docx" in found.links and f"/documents/{issued}" in found.links
    # the words are highlighted in the original text, with their diacritics
    assert {"điển", "hình", "tiên", "tiến"} <= {m.lower() for m in found.marks}
    nothing = text(client.get("/?q=xyzzyq"))
    assert "0 văn bản" in nothing and "Chưa có văn bản nào phù hợp" in nothing


def test_an_htmx_search_gets_the_results_alone(client, people, issued):
    sign_in(client, "luutru", people["luutru"])
    fragment = text(client.get("/?q=dien+hinh", headers={"HX-Request": "true"}))
    assert "01/KH-UBND" in fragment and "<html" not in fragment and "<nav" not in fragment


def test_bad_filters_get_a_vietnamese_message(client, people):
    sign_in(client, "luutru", people["luutru"])
    html = text(client.get("/?year=abc"))
    assert 'class="error"' in html and "Kế hoạch" in html  # templates still listed


def test_the_document_page_and_its_exact_bytes(app, client, people, issued):
    sign_in(client, "chuyenvien", people["chuyenvien"])
    page = text(client.get(f"/documents/{issued}"))
    assert "01/KH-UBND" in page and "Ủy ban nhân dân tỉnh Kiên Giang" in page
    assert "còn hiệu lực" in page
    docx = client.get(f"/documents/{issued}/docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert hashlib.sha256(docx.data).hexdigest() in page  # the sealed hash is what was served


def test_another_organisations_document_is_a_404_on_every_page(app, client, people, issued):
    sign_in(client, "quantri-snv", people["quantri-snv"])
    for url in (
        f"/documents/{issued}",
        f"/documents/{issued}/docx",
        f"/documents/{issued}/pdf",
        f"/documents/{issued}/pdfa",
        f"/documents/{issued}/preview/1.png",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in text(response) or "Không có văn bản" in text(response)
        assert "01/KH-UBND" not in text(response)
    assert "0 văn bản" in text(client.get("/?q=dien+hinh"))
    assert "0 văn bản" in text(client.get("/"))


def test_a_pdf_being_made_sends_the_browser_to_the_job_progress_page(app, client, people, loaded):
    from docgen.jobs import get_queue

    app.config["DOCGEN_RENDITIONS_ON_ISSUE"] = True
    created = api_client(app, user_named(app, "vanthu")).post(
        "/api/v1/documents", json=api_body(loaded)
    )
    document_id = created.json["id"]
    sign_in(client, "luutru", people["luutru"])
    waiting = client.get(f"/documents/{document_id}/pdf")
    assert waiting.status_code == 302 and waiting.headers["Location"].startswith("/jobs/")
    progress = text(client.get(waiting.headers["Location"]))
    assert "01/KH-UBND" in progress and "<progress" in progress
    assert get_queue(app).run_pending() == 1  # what `docgen worker` does
    pdf = client.get(f"/documents/{document_id}/pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"


def test_results_beyond_the_first_page_are_reachable(app, client, people, loaded):
    registrar = api_client(app, user_named(app, "vanthu"))
    for _ in range(3):
        assert registrar.post("/api/v1/documents", json=api_body(loaded)).status_code == 201
    sign_in(client, "luutru", people["luutru"])
    first = text(client.get("/?q=dien+hinh&per_page=2"))
    assert "trang 1/2" in first and "Trang trước" not in first
    # page 2 by number (OFFSET) and "Trang sau" by keyset (after=): the same page
    following = [link for link in _parse(first).links if "&page=2" in link]
    assert len(following) == 2 and any("after=" in link for link in following)
    for link in following:
        assert "per_page=2" in link and "q=dien+hinh" in link
        second = text(client.get(link.replace("&amp;", "&")))
        assert "trang 2/2" in second and "Trang trước" in second and "Trang sau" not in second
        assert second.count('class="hit"') == 1
