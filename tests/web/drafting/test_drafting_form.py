"""The drafting form's pages: bad input in every field type, autosave, conflicts, lists and
filters, another organisation (404), delete, duplicate, and a lost CSRF token."""

from __future__ import annotations

import html
import json

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Draft
from tests.helpers import make_user
from tests.web.drafting.drafting_pages import new_draft, version_of
from tests.web.pages import csrf_token, post_form, sign_in, text

JINJA = "{{ 7*7 }}"
HTML = "<b>x</b>"


def signed_in(client, people, username="chuyenvien"):
    sign_in(client, username, people[username])
    return client


def stored(app: Flask, draft_id: int) -> Draft:
    with get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        session.expunge(draft)
        return draft


# (field input, posted value, message expected next to it) — one per field type, trích ngang
# (text, int, choice, list, table) and báo cáo (blocks, table, text too long).
BAD = [
    ("trich-ngang", "f.full_name", "", "Thiếu trường bắt buộc “Tên tập thể / Họ và tên”"),
    ("trich-ngang", "f.full_name", "Ắ" * 301, "dài 301 ký tự, tối đa 300"),
    ("trich-ngang", "f.full_name", "Nguyễn\x07Văn A", "ký tự chuông (BEL)"),
    ("trich-ngang", "f.birth_year", "một chín bảy lăm", "phải là số nguyên"),
    ("trich-ngang", "f.birth_year", "1800", "phải ≥ 1900"),
    ("trich-ngang", "f.gender", "Khác", "phải là một trong: Nam, Nữ"),
    ("trich-ngang", "f.achievements-0", "Dòng\x0bhai", "dấu tab dọc"),
    ("trich-ngang", "f.awards-0-year", "31/02/2017", "phải là số nguyên"),
    ("bao-cao", "f.body-0-text", "Đoạn\x00một", "ký tự NUL"),
    ("bao-cao", "f.figures-0-value", "x" * 51, "dài 51 ký tự, tối đa 50"),
]


@pytest.mark.parametrize("template,name,value,message", BAD)
def test_bad_input_shows_a_message_next_to_the_field_and_keeps_it(
    app, client, people, template, name, value, message
):
    signed_in(client, people)
    url, draft_id = new_draft(client, template)
    page = text(client.get(url))
    form = {"version": version_of(page), name: value}
    if name.startswith("f.awards") or name.startswith("f.figures"):
        form[name.rsplit("-", 1)[0] + ("-form" if "awards" in name else "-label")] = "Bằng khen"
    response = post_form(client, url, form)
    assert response.status_code == 200, text(response)[:2000]
    page = text(response)
    field_id = "in-" + name[2:]
    assert f'id="{field_id}-error"' in page, f"no message next to {name}"
    error = page.split(f'id="{field_id}-error">', 1)[1].split("</p>", 1)[0]
    assert message in html.unescape(error)
    assert f'href="#{field_id}"' in page  # the summary at the top links to the field
    assert html.escape(value)[:60] in page  # what was typed is still in the page, as typed
    data = stored(app, draft_id).data  # saved as typed, even when wrong
    assert data, "the typed data was not saved"


def test_a_wrong_date_is_refused_with_its_message(app, client, people, tmp_path):
    from werkzeug.datastructures import MultiDict

    from docgen.rendering.fields import FieldSpec, FieldType, check_fields
    from docgen.web.drafting.formdata import data_from_form, form_view

    spec = FieldSpec("met_on", "Ngày họp", FieldType.DATE, required=True)
    data = data_from_form([spec], MultiDict({"f.met_on": "31/02/2017"}))
    problems = check_fields([spec], data)[1]
    views, stray = form_view([spec], data, problems)
    assert views[0].cell.value == "31/02/2017" and "không phải ngày hợp lệ" in views[0].error
    assert not stray


def test_html_and_jinja_are_stored_and_printed_literally(app, client, people):
    signed_in(client, people)
    url, draft_id = new_draft(client, "cong-van")
    page = text(client.get(url))
    saved = post_form(
        client,
        url,
        {
            "version": version_of(page),
            "f.summary": f"về {JINJA} {HTML}",
            "f.body-0-kind": "para",
            "f.body-0-text": f"{HTML} & {JINJA}",
        },
    )
    assert saved.status_code == 303
    data = stored(app, draft_id).data
    assert data["summary"] == f"về {JINJA} {HTML}"
    assert data["body"] == [{"kind": "para", "text": f"{HTML} & {JINJA}"}]
    page = text(client.get(url))
    assert "&lt;b&gt;x&lt;/b&gt; &amp; {{ 7*7 }}" in page and "<b>x</b>" not in page
    assert "49" not in page.split('name="f.summary"', 1)[1][:200]


def test_autosave_saves_answers_the_version_and_refuses_a_stale_one(app, client, people):
    signed_in(client, people)
    url, draft_id = new_draft(client, "to-trinh")
    token = csrf_token(client, url)
    headers = {"X-CSRFToken": token, "HX-Request": "true"}
    first = client.post(f"{url}/autosave", headers=headers,
                        data={"version": "1", "f.summary": "Về việc khen thưởng ắ"})  # fmt: skip
    assert first.status_code == 200
    assert json.loads(first.headers["HX-Trigger"]) == {"draft-saved": {"version": 2}}
    assert "Đã lưu lúc 09:00" in text(first) and 'id="draft-version" value="2"' in text(first)
    assert stored(app, draft_id).data["summary"] == "Về việc khen thưởng ắ"
    # another tab still holds version 1: refused, said plainly, nothing overwritten
    stale = client.post(f"{url}/autosave", headers=headers,
                        data={"version": "1", "f.summary": "Bản cũ"})  # fmt: skip
    assert stale.status_code == 409 and "HX-Trigger" not in stale.headers
    assert "vừa được người khác thay đổi" in text(stale)
    assert stored(app, draft_id).data["summary"] == "Về việc khen thưởng ắ"
    # the full form keeps what was typed and offers to save it over the newer version
    page = post_form(client, url, {"version": "1", "f.summary": "Bản cũ"})
    assert page.status_code == 409 and 'value="Bản cũ"' in text(page)
    assert 'id="draft-version" value="2"' in text(page) and "chưa được lưu" in text(page)


def test_csrf_lost_post_keeps_the_input_and_saves_nothing(app, client, people):
    signed_in(client, people)
    url, draft_id = new_draft(client, "ke-hoach")
    lost = client.post(
        url,
        data={
            "version": "1",
            "f.summary": "Kế hoạch ắ ữ",
            "f.body-0-kind": "dash",
            "f.body-0-text": "- Gạch ợ",
        },
    )
    assert lost.status_code == 400
    page = text(lost)
    assert 'value="Kế hoạch ắ ữ"' in page and ">- Gạch ợ</textarea>" in page
    assert "mã bảo vệ (CSRF)" in page
    assert stored(app, draft_id).data == {}


def test_lists_filters_and_empty_states(app, client, people):
    signed_in(client, people)
    assert "Bạn chưa có dự thảo nào" in text(client.get("/drafting/"))
    url, _draft_id = new_draft(client, "to-trinh")
    post_form(client, url, {"version": "1", "f.summary": "Về việc đề nghị ắ"})
    signed_in(client, people, "vanthu")
    new_draft(client, "cong-van")
    page = text(client.get("/drafting/"))
    assert "Về việc đề nghị ắ" in page and "Tờ trình" in page and "Soạn thảo" in page
    assert "Trần Thị Mẫu" in page or "chuyenvien" in page
    only_cv = text(client.get("/drafting/?template=cong-van"))
    assert "Về việc đề nghị ắ" not in only_cv and "Công văn</td>" in only_cv
    mine = text(client.get("/drafting/?scope=mine"))
    assert "Về việc đề nghị ắ" not in mine
    by_author = text(client.get("/drafting/?author=chuyenvien"))
    assert "Về việc đề nghị ắ" in by_author and "Công văn</td>" not in by_author
    none = text(client.get("/drafting/?state=da_duyet"))
    assert "Về việc đề nghị ắ" not in none and "Không có dự thảo nào khác" in none
    bad_state = client.get("/drafting/?state=xyz")
    assert bad_state.status_code == 200 and "Trạng thái lọc không hợp lệ" in text(bad_state)
    assert "Về việc đề nghị ắ" in text(bad_state)  # every state shown instead
    bad_template = client.get("/drafting/?template=khong-co")
    assert bad_template.status_code == 200 and "Mẫu văn bản lọc không có" in text(bad_template)


def test_another_organisations_draft_is_a_404_on_every_route(app, client, people):
    signed_in(client, people)
    url, _draft_id = new_draft(client, "to-trinh")
    make_user(
        app, "cv.snv", organisation="snv", roles=("drafter", "registrar"), password="mật-khẩu-dài-1"
    )
    other = app.test_client()
    sign_in(other, "cv.snv", "mật-khẩu-dài-1")
    token = csrf_token(other, "/drafting/")
    assert other.get(url).status_code == 404
    assert other.get(f"{url}/delete").status_code == 404
    for path in ("", "/autosave", "/duplicate", "/delete"):
        response = other.post(url + path, data={"csrf_token": token, "version": "1"},
                              headers={"X-CSRFToken": token})  # fmt: skip
        assert response.status_code == 404, path
    assert "Về việc" not in text(other.get("/drafting/"))


def test_delete_asks_first_then_hides_the_draft(app, client, people):
    signed_in(client, people)
    url, draft_id = new_draft(client, "to-trinh")
    confirm = client.get(f"{url}/delete")
    assert confirm.status_code == 200 and "Xóa dự thảo số" in text(confirm)
    assert stored(app, draft_id).deleted_at is None  # a GET deletes nothing
    stale = post_form(client, f"{url}/delete", {"version": "7"})
    assert stale.status_code == 409 and stored(app, draft_id).deleted_at is None
    done = post_form(client, f"{url}/delete", {"version": "1"})
    assert done.status_code == 303 and stored(app, draft_id).deleted_at is not None
    assert client.get(url).status_code == 404


def test_duplicate_makes_a_new_draft_with_the_same_content(app, client, people):
    signed_in(client, people)
    url, _draft_id = new_draft(client, "to-trinh")
    post_form(client, url, {"version": "1", "f.summary": "Về việc nhân bản ữ",
                            "signer": "cvp-ubnd-tinh-tuq-mau"})  # fmt: skip
    copy = post_form(client, f"{url}/duplicate", {})
    assert copy.status_code == 303 and copy.headers["Location"] != url
    new_id = int(copy.headers["Location"].rsplit("/", 1)[1])
    twin = stored(app, new_id)
    assert twin.data == {"summary": "Về việc nhân bản ữ", "basis": [], "body": []}
    assert twin.signer == "cvp-ubnd-tinh-tuq-mau" and twin.version == 1


def test_a_signer_reads_the_form_but_cannot_save(app, client, people):
    signed_in(client, people)
    url, _ = new_draft(client, "to-trinh")
    signed_in(client, people, "lanhdao")
    page = text(client.get(url))
    assert "Bạn chỉ xem được dự thảo này" in page and "Lưu dự thảo</button>" not in page
    assert post_form(client, url, {"version": "1", "f.summary": "x"}).status_code == 403


def test_similar_document_from_an_issued_one_and_404_for_another_organisation(
    app, client, people, clock, loaded
):
    from docgen.policy import system_actor
    from docgen.runtime import get_renderer
    from docgen.services.issuance import IssueRequest, issue_document

    with get_db(app).session() as session:  # the 2017 plan, issued by ubnd-tinh
        document = issue_document(
            session, IssueRequest(**loaded.document("ke-hoach-2017").request()),
            actor=system_actor("kiểm thử"), clock=clock, renderer=get_renderer(app),
        )  # fmt: skip
        session.commit()
        session.expunge(document)
    signed_in(client, people)
    made = post_form(client, f"/drafting/from-document/{document.id}", {})
    assert made.status_code == 303
    twin = stored(app, int(made.headers["Location"].rsplit("/", 1)[1]))
    assert twin.template == document.template and twin.data["summary"]
    make_user(app, "cv.btdkt", organisation="btdkt", roles=("drafter",), password="mật-khẩu-dài-2")
    other = app.test_client()
    sign_in(other, "cv.btdkt", "mật-khẩu-dài-2")
    refused = post_form(other, f"/drafting/from-document/{document.id}", {})
    assert refused.status_code == 404


def test_a_line_break_typed_inside_a_paragraph_joins_its_lines(app, client, people):
    signed_in(client, people)
    url, draft_id = new_draft(client, "ke-hoach")
    post_form(client, url, {
        "version": "1", "f.body-0-kind": "para", "f.body-0-text": "Dòng một,\r\n  dòng hai.",
    })  # fmt: skip
    assert stored(app, draft_id).data["body"] == [{"kind": "para", "text": "Dòng một, dòng hai."}]


def test_the_saved_time_is_the_clerks_clock_not_utc(app, client, people, clock):
    from datetime import UTC, datetime

    clock.set(datetime(2017, 3, 20, 2, 5, tzinfo=UTC))  # 09:05 in Asia/Ho_Chi_Minh
    signed_in(client, people)
    url, _draft_id = new_draft(client, "to-trinh")
    headers = {"X-CSRFToken": csrf_token(client, url), "HX-Request": "true"}
    saved = client.post(f"{url}/autosave", headers=headers,
                        data={"version": "1", "f.summary": "Về việc thử giờ"})  # fmt: skip
    assert "Đã lưu lúc 09:05" in text(saved)
