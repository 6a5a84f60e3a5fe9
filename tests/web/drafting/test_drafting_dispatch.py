"""The phát hành page: the registrar lists the recipients, marks some as sent (plain form posts),
sees what is unsent, downloads envelopes and the Sổ gửi; others get 404 / 403; bad input and a
lost CSRF token give a message, never a 500."""

from __future__ import annotations

import io
import re

import docx
from flask import Flask

from docgen.db import get_db
from docgen.models import DispatchRecord
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from tests.helpers import make_user
from tests.web.pages import post_form, sign_in, text


def _issue(app: Flask, clock, loaded, code: str = "ke-hoach-2017", **overrides) -> int:
    request = IssueRequest(**{**loaded.document(code).request(), **overrides})
    with get_db(app).session() as session:
        document = issue_document(session, request, actor=system_actor("kiểm thử"), clock=clock,
                                  renderer=get_renderer(app))  # fmt: skip
        session.commit()
        return document.id


def _client(app: Flask, people, username: str):
    client = app.test_client()
    assert sign_in(client, username, people[username]).status_code == 302
    return client


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _records(app: Flask) -> int:
    with get_db(app).session() as session:
        return session.query(DispatchRecord).count()


def test_registrar_marks_recipients_sent_and_sees_what_is_unsent(app, people, loaded, clock):
    document_id = _issue(app, clock, loaded)
    client = _client(app, people, "vanthu")
    archive_page = text(client.get(f"/documents/{document_id}"))
    assert f"/drafting/documents/{document_id}/dispatch" in archive_page
    url = f"/drafting/documents/{document_id}/dispatch"
    page = client.get(url)
    assert page.status_code == 200
    html = text(page)
    assert "Ban TĐKT, Sở Nội vụ" in html and "Như trên" not in html
    assert "10 / 10 nơi nhận" in html and 'value="20/03/2017"' in html  # today by default
    done = post_form(client, url, {"positions": ["1", "9"], "channel": "giay",
                                   "sent_on": "20/03/2017", "action": "sent"})  # fmt: skip
    assert done.status_code == 303, text(done)[:1500]
    after = text(client.get(url))
    assert "8 / 10 nơi nhận" in after and "Đã ghi gửi 2 nơi nhận." in after
    row = re.search(r'<tr class="sent" id="recipient-9">.*?</tr>', after, re.S)
    assert row and "Đã gửi ngày 20/03/2017 (giấy)" in row.group(0) and "vanthu" in row.group(0)
    undone = post_form(client, url, {"positions": "1", "action": "unsent"})
    assert undone.status_code == 303
    assert "9 / 10 nơi nhận" in text(client.get(url))
    assert _records(app) == 3  # two marks and one withdrawal: rows added, none changed


def test_bad_input_is_a_message_next_to_the_field(app, people, loaded, clock):
    document_id = _issue(app, clock, loaded)
    client = _client(app, people, "vanthu")
    url = f"/drafting/documents/{document_id}/dispatch"
    cases = [
        ({"positions": "1", "channel": "giay", "sent_on": "31/02/2017"}, "không phải ngày"),
        ({"positions": "1", "channel": "giay", "sent_on": "<b>{{ 7*7 }}</b>"}, "{{ 7*7 }}"),
        ({"positions": "1", "channel": "giay", "sent_on": "25/03/2017"}, "ở tương lai"),
        ({"channel": "giay"}, "Chưa chọn nơi nhận nào"),
        ({"positions": "abc", "channel": "giay"}, "không hợp lệ"),
        ({"positions": "1", "channel": "bồ câu"}, "Chọn hình thức gửi"),
    ]
    for data, words in cases:
        response = post_form(client, url, data)
        assert response.status_code == 422, (data, response.status_code)
        assert words in text(response), (data, text(response)[:3000])
        assert "<b>" not in text(response)
    assert "&lt;b&gt;{{ 7*7 }}&lt;/b&gt;" in text(post_form(client, url, cases[1][0]))
    # a lost CSRF token: nothing is written, the choices come back
    lost = client.post(url, data={"positions": "3", "channel": "dien-tu"})
    assert lost.status_code == 400
    assert 'id="pos-3" checked' in text(lost) and "CSRF" in text(lost)
    assert _records(app) == 0


def test_envelopes_and_post_book_download(app, people, loaded, clock):
    document_id = _issue(app, clock, loaded)
    client = _client(app, people, "vanthu")
    url = f"/drafting/documents/{document_id}/dispatch"
    post_form(client, url, {"positions": ["9", "10"], "channel": "giay", "action": "sent"})
    post_form(client, url, {"positions": "2", "channel": "dien-tu", "action": "sent"})
    envelopes = client.get(f"{url}/envelopes.docx")
    assert envelopes.status_code == 200
    assert "attachment" in envelopes.headers["Content-Disposition"]
    printed = _docx_text(envelopes.data)
    assert printed.count("Số/ký hiệu văn bản: 01/KH-UBND") == 9  # all but the electronic one
    assert "Ban TĐKT Trung ương (Hà Nội, TP. HCM)" not in printed
    one = _docx_text(client.get(f"{url}/envelopes.docx?positions=9").data)
    assert one.count("Kính gửi:") == 1 and "Ban TĐKT, Sở Nội vụ" in one
    book = client.get("/drafting/dispatch/post-book.docx?from=20/03/2017&to=20/03/2017")
    assert book.status_code == 200
    book_text = _docx_text(book.data)
    assert "SỔ GỬI VĂN BẢN ĐI BƯU ĐIỆN" in book_text
    assert "Ban TĐKT, Sở Nội vụ; LĐVP, P.VHXH" in book_text  # paper only: not the e-mailed one
    bad = client.get("/drafting/dispatch/post-book.docx?from=21/03/2017&to=20/03/2017")
    assert bad.status_code == 422 and "trước" in text(bad)
    wrong = client.get("/drafting/dispatch/post-book.docx?from=hôm-nay")
    assert wrong.status_code == 422 and "không phải ngày" in text(wrong)


def test_who_may_open_the_dispatch_page(app, people, loaded, clock):
    document_id = _issue(app, clock, loaded)
    url = f"/drafting/documents/{document_id}/dispatch"
    drafter = _client(app, people, "chuyenvien")
    assert drafter.get(url).status_code == 403
    assert "dispatch-link" not in text(drafter.get(f"/documents/{document_id}"))
    assert post_form(drafter, url, {"positions": "1", "channel": "giay"}).status_code == 403
    make_user(
        app, "vanthu-snv", organisation="snv", roles=("registrar",), password="docgen-vanthu-snv"
    )
    people["vanthu-snv"] = "docgen-vanthu-snv"
    outsider = _client(app, people, "vanthu-snv")
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"{url}/envelopes.docx").status_code == 404
    assert post_form(outsider, url, {"positions": "1", "channel": "giay"}).status_code == 404
    assert outsider.get("/drafting/documents/999999/dispatch").status_code == 404
    assert _records(app) == 0
