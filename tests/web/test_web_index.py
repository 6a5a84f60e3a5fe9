"""The archive's front page: search with or without diacritics, previews and downloads linked."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.helpers import api_body


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


def test_front_page_finds_issued_documents_without_diacritics(client, loaded):
    created = client.post("/api/v1/documents", json=api_body(loaded)).json
    page = client.get("/?q=dien+hinh+tien+tien")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "1 văn bản" in html and "01/KH-UBND" in html
    found = _parse(html)
    assert f"/api/v1/documents/{created['id']}/preview/1.png" in found.images
    assert f"/api/v1/documents/{created['id']}/docx" in found.links
    # the words are highlighted in the original text, with their diacritics
    assert {"điển", "hình", "tiên", "tiến"} <= {m.lower() for m in found.marks}
    nothing = client.get("/?q=xyzzyq").get_data(as_text=True)
    assert "0 văn bản" in nothing and "Chưa có văn bản nào phù hợp" in nothing


def test_front_page_reports_bad_filters_in_vietnamese(client, loaded):
    html = client.get("/?year=abc").get_data(as_text=True)
    assert 'class="error"' in html and "Kế hoạch" in html  # templates still listed
