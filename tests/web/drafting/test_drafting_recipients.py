"""Recipients through the pages: named lists (create, validate, edit, delete, refused when an
issued document names them; 404 for another organisation, 403 for a drafter) and the widget
of the drafting form composing a công văn's Kính gửi and Nơi nhận."""

from __future__ import annotations

import re

from flask import Flask

from docgen.db import get_db
from docgen.models import Draft, RecipientListRow
from docgen.policy import system_actor
from docgen.runtime import get_renderer
from docgen.services.issuance import IssueRequest, issue_document
from tests.web.drafting.drafting_pages import new_draft, version_of
from tests.web.pages import csrf_token, post_form, sign_in, text

LISTS = "/drafting/recipient-lists"


def _client(app: Flask, people: dict[str, str], username: str):
    client = app.test_client()
    assert sign_in(client, username, people[username]).status_code in (302, 303)
    return client


def _list_form(**extra: str) -> dict[str, str]:
    return {
        "name": "Gửi các sở <b>& huyện</b>",
        "kinh_gui-0": "Các sở, ban, ngành tỉnh",
        "kinh_gui-1": "UBND các huyện, thị xã, thành phố",
        "noi_nhan-0-name": "Ban TĐKT, Sở Nội vụ",
        "noi_nhan-0-copies": "5",
        "noi_nhan-0-organisation": "btdkt",
        "noi_nhan-1-name": "LĐVP, P.VHXH",
        "archive": "VHXH",
        **extra,
    }


def test_registrar_creates_edits_and_deletes_a_list(app: Flask, people):
    client = _client(app, people, "vanthu")
    bad = post_form(client, f"{LISTS}/new", _list_form(**{
        "noi_nhan-1-name": "ban tđkt, sở nội vụ", "noi_nhan-2-name": "Sở Y tế",
        "noi_nhan-2-copies": "0", "archive_copies": "x"}))  # fmt: skip
    page = text(bad)
    assert bad.status_code == 422
    assert "“ban tđkt, sở nội vụ” đã ghi ở dòng 1" in page
    assert "không phải “0”" in page and "không phải “x”" in page
    assert 'value="Sở Y tế"' in page  # nothing typed is lost
    assert 'id="noi_nhan-2-copies-error"' in page
    made = post_form(client, f"{LISTS}/new", _list_form())
    assert made.status_code == 302, text(made)[:1500]
    url = made.headers["Location"]
    code = url.rsplit("/", 1)[1]
    page = text(client.get(url))
    assert "Gửi các sở &lt;b&gt;&amp; huyện&lt;/b&gt;" in page  # escaped, never markup
    assert "- Như trên;" in page and "- Ban TĐKT, Sở Nội vụ (5b);" in page
    assert "- Lưu: VT, VHXH." in page
    assert code in text(client.get(LISTS))
    edited = post_form(client, url, _list_form(name="Đổi tên", **{"noi_nhan-0-copies": "7"}))
    assert edited.status_code == 302
    with get_db(app).session() as session:
        row = session.get(RecipientListRow, code)
        assert row.name == "Đổi tên" and row.noi_nhan[0]["copies"] == 7
        assert row.organisation == "ubnd-tinh"
    gone = post_form(client, f"{url}/delete", {})
    assert gone.status_code == 302
    assert client.get(url).status_code == 404


def test_other_organisation_gets_404_drafter_403_shared_is_read_only(app: Flask, people):
    owner = _client(app, people, "vanthu")
    url = post_form(owner, f"{LISTS}/new", _list_form()).headers["Location"]
    other = _client(app, people, "quantri-snv")
    assert other.get(url).status_code == 404
    assert post_form(other, url, _list_form(name="chiếm")).status_code == 404
    assert post_form(other, f"{url}/delete", {}).status_code == 404
    assert url.rsplit("/", 1)[1] not in text(other.get(LISTS))
    drafter = _client(app, people, "chuyenvien")
    assert drafter.get(LISTS).status_code == 403
    assert post_form(drafter, url, _list_form(name="x")).status_code == 403
    admin = _client(app, people, "quantri")  # the organisation's admin manages it too
    assert admin.get(url).status_code == 200
    shared = owner.get(f"{LISTS}/ke-hoach-2017")
    assert shared.status_code == 200 and "chỉ xem được" in text(shared)
    assert 'name="noi_nhan-0-name"' not in text(shared)
    assert post_form(owner, f"{LISTS}/ke-hoach-2017", _list_form()).status_code == 403
    copied = post_form(owner, f"{LISTS}/ke-hoach-2017/copy", {})
    assert copied.status_code == 302
    assert "(bản sao)" in text(owner.get(copied.headers["Location"]))


def test_a_list_an_issued_document_names_cannot_change(app: Flask, people, loaded, clock):
    client = _client(app, people, "vanthu")
    url = post_form(client, f"{LISTS}/new", _list_form()).headers["Location"]
    code = url.rsplit("/", 1)[1]
    request = IssueRequest(**{**loaded.document("cong-van-de-nghi-2017").request(),
                              "recipients": code, "signer": "mai-van-huynh"})  # fmt: skip
    with get_db(app).session() as session:
        issue_document(session, request, actor=system_actor("kiểm thử"), clock=clock,
                       renderer=get_renderer(app))  # fmt: skip
        session.commit()
    page = text(client.get(url))
    assert "1 văn bản đã ban hành" in page and 'name="noi_nhan-0-name"' not in page
    refused = post_form(client, url, _list_form(name="Sửa sau khi ban hành"))
    assert refused.status_code == 409 and "Hãy tạo bản sao" in text(refused)
    assert post_form(client, f"{url}/delete", {}).status_code == 409
    with get_db(app).session() as session:
        assert session.get(RecipientListRow, code).name != "Sửa sau khi ban hành"


def _draft_form(page: str, **fields: str) -> dict[str, str]:
    data = {
        "version": version_of(page),
        "summary": "giới thiệu điển hình tiên tiến năm 2017",
        "recipients_mode": "compose",
        "recipients-kinh_gui-0": "Các sở, ban, ngành, đoàn thể cấp tỉnh",
        "recipients-kinh_gui-1": "UBND các huyện, thị xã, thành phố",
        "recipients-noi_nhan-0-name": "Ban TĐKT, Sở Nội vụ",
        "recipients-noi_nhan-0-copies": "5",
        "recipients-noi_nhan-1-name": "TT. HĐND tỉnh",
        "recipients-noi_nhan-2-name": "LĐVP, P.VHXH",
        "recipients-archive": "VHXH",
    }
    return {**data, **fields}


def test_the_drafting_form_composes_recipients(app: Flask, people):
    client = _client(app, people, "chuyenvien")
    url, draft_id = new_draft(client, "cong-van")
    page = text(client.get(url))
    assert 'name="recipients_mode"' in page and "- Như trên;" in page
    assert '<datalist id="rl-names">' in page and "Ban TĐKT" in page
    bad = client.post(url, data={**_draft_form(page, **{"recipients-noi_nhan-1-copies": "0b"}),
                                 "csrf_token": csrf_token(client, url)})  # fmt: skip
    shown = text(bad)
    assert 'id="recipients-noi_nhan-1-copies-error"' in shown and "không phải “0b”" in shown
    assert 'value="LĐVP, P.VHXH"' in shown  # what was typed comes back
    page = text(client.get(url))
    saved = client.post(url, data={**_draft_form(page), "csrf_token": csrf_token(client, url)})
    assert saved.status_code in (200, 302, 303), text(saved)[:1500]
    with get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        row = session.get(RecipientListRow, draft.recipients)
        assert row.draft_id == draft_id and [e["name"] for e in row.noi_nhan] == [
            "Ban TĐKT, Sở Nội vụ", "TT. HĐND tỉnh", "LĐVP, P.VHXH"]  # fmt: skip
        assert row.kinh_gui == ["Các sở, ban, ngành, đoàn thể cấp tỉnh",
                                "UBND các huyện, thị xã, thành phố"]  # fmt: skip
    page = text(client.get(url))
    assert re.search(r'id="rl-mode-compose" name="recipients_mode" value="compose" checked', page)
    assert 'value="TT. HĐND tỉnh"' in page
    picked = client.post(url, data={**_draft_form(page, recipients_mode="list",
                                                  recipients="cong-van-de-nghi-2017"),
                                    "csrf_token": csrf_token(client, url)})  # fmt: skip
    assert picked.status_code in (200, 302, 303)
    with get_db(app).session() as session:
        assert session.get(Draft, draft_id).recipients == "cong-van-de-nghi-2017"
    page = text(client.get(url))
    assert "- Các doanh nghiệp thuộc Khối thi đua của tỉnh." in page  # the list's preview
