"""The nominations desk's pages as the district's clerk, its chairman, the board and others:
the list of campaigns, the package, the nominee form with bad input, attachments, and who
may see or change what (another organisation's objects are 404, the board reads only)."""

from __future__ import annotations

import io
import re

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from docgen.db import get_db
from docgen.models import NominationAttachment
from docgen.models.campaigns import PackageState
from docgen.services import nominations as noms
from tests.conftest import TEST_NOW
from tests.helpers import make_user
from tests.web.nominations.nomination_pages import (
    CHAIRMAN,
    CLERK,
    actor_named,
    campaign_id,
    client_of,
    group,
    nominees,
    package_of,
    person,
)
from tests.web.pages import csrf_token, post_form, text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00 this program cannot be run in DOS mode"


def _add(client, cid: int, values: dict):
    return post_form(client, f"/nominations/{cid}/nominees/new", values)


def test_the_list_shows_the_campaign_with_its_deadline_state_and_quota(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    home = text(clerk.get("/"))
    assert 'href="/nominations/"' in home and "Giới thiệu điển hình" in home
    page = text(clerk.get("/nominations/"))
    assert "Giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm 2017" in page
    assert f'href="/nominations/{cid}"' in page
    assert "hết ngày 19/04/2017" in page and "còn 30 ngày 15 giờ" in page  # from 20/3 09:00
    assert "Đang soạn" in page and "Cần ít nhất 05 — đã nhập 00, còn thiếu 05" in page
    for values in (person(), group()):
        assert _add(clerk, cid, values).status_code == 303
    page = text(clerk.get(f"/nominations/{cid}"))
    assert "Cần ít nhất 05 — đã nhập 02, còn thiếu 03" in page
    assert "Nguyễn Thị Hoa" in page and "Hợp tác xã Thuận Phát" in page
    assert "trước ngày (hạn chót là hết ngày hôm trước)" in page  # the deadline reading
    assert "Gửi hồ sơ" in page and "Nhập từ tệp Excel" in page


def test_the_navigation_link_is_for_clerks_of_addressed_organisations(app, people):
    # drafters and registrars whose organisation a campaign addresses; not UBND tỉnh's clerks
    # (no campaign addresses it), nor the organiser's board, nor signers and archivists
    for username, shown in ((CLERK, True), ("chuyenvien", False), ("vanthu", False),
                            ("thiduakt", False), (CHAIRMAN, False), ("luutru", False)):  # fmt: skip
        page = text(client_of(app, people, username).get("/"))
        assert ('href="/nominations/"' in page) is shown, username
    # an organisation no campaign addresses still opens the page: it is empty
    page = text(client_of(app, people, "chuyenvien").get("/nominations/"))
    assert "Chưa có đợt thi đua nào giao cơ quan bạn giới thiệu" in page


def test_bad_input_comes_back_with_messages_beside_the_fields_and_what_was_typed(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    bad = person(name="", birth_year="năm tám mươi", achievements="Rất tích cực <b>giỏi</b>")
    response = _add(clerk, cid, bad)
    assert response.status_code == 422
    page = text(response)
    assert "Chưa lưu được: hãy sửa 3 mục dưới đây." in page
    assert "Chưa ghi tên." in page
    assert "Năm sinh “năm tám mươi” không đọc được" in page
    assert "Tóm tắt thành tích cần có số liệu cụ thể" in page
    assert 'value="năm tám mươi"' in page  # typed data kept
    assert "Rất tích cực &lt;b&gt;giỏi&lt;/b&gt;" in page and "<b>giỏi" not in page
    assert re.search(r'<option selected value="Nữ">|<option value="Nữ" selected', page)
    assert nominees(app) == [] and package_of(app) is None  # nothing saved
    # a collective with a birth year and a person's classification
    response = _add(clerk, cid, group(birth_year="1990", classification="Doanh nhân"))
    page = text(response)
    assert response.status_code == 422
    assert "Tập thể không ghi năm sinh." in page and "không dùng cho tập thể" in page


def test_edit_and_delete_a_nominee_with_confirmation(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    assert _add(clerk, cid, person()).status_code == 303
    row = nominees(app)[0]
    form = text(clerk.get(f"/nominations/nominees/{row.id}"))
    assert 'value="Nguyễn Thị Hoa"' in form and "Vận động 120 hộ" in form
    response = post_form(clerk, f"/nominations/nominees/{row.id}", person(birth_year="1900x"))
    assert response.status_code == 422 and "Năm sinh" in text(response)
    response = post_form(clerk, f"/nominations/nominees/{row.id}", person(birth_year="1981"))
    assert response.status_code == 303
    assert nominees(app)[0].birth_year == 1981
    confirm = clerk.get(f"/nominations/nominees/{row.id}/delete")
    assert confirm.status_code == 200 and "Xóa “Nguyễn Thị Hoa”?" in text(confirm)
    assert len(nominees(app)) == 1  # the confirmation page deletes nothing
    response = post_form(clerk, f"/nominations/nominees/{row.id}/delete", {})
    assert response.status_code == 303 and nominees(app) == []


def test_attachments_pdf_accepted_exe_refused_download_equal_delete_confirmed(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    assert _add(clerk, cid, person()).status_code == 303
    row = nominees(app)[0]
    url = f"/nominations/nominees/{row.id}/attachments"
    sent = post_form(clerk, url, {"file": (io.BytesIO(PDF), "bao-cao.pdf")},
                     content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
    assert "Đã đính kèm “bao-cao.pdf”." in text(sent)
    refused = post_form(clerk, url, {"file": (io.BytesIO(EXE), "thanh-tich.pdf")},
                        content_type="multipart/form-data", follow_redirects=True)  # fmt: skip
    assert "Chỉ nhận tệp Word (.docx) hoặc PDF" in text(refused)
    with get_db(app).session() as session:
        attached = session.query(NominationAttachment).all()
    assert [a.filename for a in attached] == ["bao-cao.pdf"]
    download = clerk.get(f"/nominations/attachments/{attached[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "bao-cao.pdf" in download.headers["Content-Disposition"]
    assert "Xóa tệp “bao-cao.pdf”?" in text(
        clerk.get(f"/nominations/attachments/{attached[0].id}/delete")
    )
    response = post_form(clerk, f"/nominations/attachments/{attached[0].id}/delete", {})
    assert response.status_code == 303
    with get_db(app).session() as session:
        assert session.query(NominationAttachment).count() == 0


def test_another_organisations_objects_are_404_and_the_board_reads_only(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    assert _add(clerk, cid, person()).status_code == 303
    row = nominees(app)[0]
    post_form(clerk, f"/nominations/nominees/{row.id}/attachments",
              {"file": (io.BytesIO(PDF), "bao-cao.pdf")},
              content_type="multipart/form-data")  # fmt: skip
    with get_db(app).session() as session:
        attachment = session.query(NominationAttachment).one().id
    make_user(app, "cv.rachgia", organisation="ubnd-rach-gia", roles=("drafter", "registrar"),
              password="docgen-cv.rachgia")  # fmt: skip
    people = {**people, "cv.rachgia": "docgen-cv.rachgia"}
    other = client_of(app, people, "cv.rachgia")  # another addressed district
    for url in (f"/nominations/nominees/{row.id}", f"/nominations/nominees/{row.id}/delete",
                f"/nominations/attachments/{attachment}",
                f"/nominations/attachments/{attachment}/delete"):  # fmt: skip
        assert other.get(url).status_code == 404, url
    assert post_form(other, f"/nominations/nominees/{row.id}", person()).status_code == 404
    assert post_form(other, f"/nominations/nominees/{row.id}/delete", {}).status_code == 404
    # UBND tỉnh's clerk: the campaign does not address it
    outsider = client_of(app, people, "chuyenvien")
    assert outsider.get(f"/nominations/{cid}").status_code == 404
    assert outsider.get(f"/nominations/nominees/{row.id}").status_code == 404

    board = client_of(app, people, "thiduakt")  # the organiser's board (also a drafter)
    # a list being drafted is the district's own: the board reads it once it is sent
    assert board.get(f"/nominations/nominees/{row.id}").status_code == 404
    assert board.get(f"/nominations/attachments/{attachment}").status_code == 404
    with get_db(app).session() as session:
        noms.submit_package(session, cid, actor=actor_named(app, CLERK), now=TEST_NOW)
        session.commit()
    page = board.get(f"/nominations/nominees/{row.id}")
    assert page.status_code == 200
    assert "Chỉ xem" in text(page) and "Nguyễn Thị Hoa" in text(page)
    assert '<form class="card wide" method="post" novalidate>' not in text(page)
    assert board.get(f"/nominations/attachments/{attachment}").data == PDF
    assert post_form(board, f"/nominations/nominees/{row.id}", person(name="X")).status_code == 403
    assert board.get(f"/nominations/nominees/{row.id}/delete").status_code == 403
    assert nominees(app)[0].name == "Nguyễn Thị Hoa"
    # the chairman reads his organisation's package and nominee, changes nothing
    chairman = client_of(app, people, CHAIRMAN)
    assert "Nguyễn Thị Hoa" in text(chairman.get(f"/nominations/{cid}"))
    assert chairman.get(f"/nominations/nominees/{row.id}").status_code == 200
    assert chairman.get(f"/nominations/{cid}/nominees/new").status_code == 403
    # anonymous: to the sign-in page
    anonymous = app.test_client()
    for url in ("/nominations/", f"/nominations/{cid}", f"/nominations/nominees/{row.id}"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_a_returned_package_shows_the_reason_and_is_editable_again(app, people):
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    assert _add(clerk, cid, person()).status_code == 303
    clerk_actor = actor_named(app, CLERK)
    now = app.extensions["docgen.clock"].now()
    with get_db(app).session() as session:
        package = noms.submit_package(session, cid, actor=clerk_actor, now=now)
        package.state, package.return_reason = PackageState.RETURNED, "Thiếu số liệu năm 2016."
        session.commit()
    page = text(clerk.get(f"/nominations/{cid}"))
    assert "Bị trả lại" in page and "Thiếu số liệu năm 2016." in page
    assert 'role="alert"><strong>Ban Thi đua - Khen thưởng trả lại hồ sơ:' in page
    assert "Thêm tập thể, cá nhân" in page and "Gửi hồ sơ" in page
    assert _add(clerk, cid, group()).status_code == 303
    assert len(nominees(app)) == 2


def _upload_large(client, url: str, data: bytes, name: str, **kwargs):
    """Post a file above werkzeug's in-memory threshold, the body encoded in memory (the test
    client would spool it to a temporary file it never closes: a ResourceWarning later)."""
    upload = FileStorage(io.BytesIO(data), filename=name, content_type="application/pdf")
    fields = {"file": upload, "csrf_token": csrf_token(client)}
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       **kwargs)  # fmt: skip


def test_an_attachment_up_to_the_promised_10_mb_is_accepted_and_a_larger_one_explained(app, people):
    clerk = client_of(app, people, CLERK)
    assert _add(clerk, campaign_id(app), person()).status_code == 303
    row = nominees(app)[0]
    url = f"/nominations/nominees/{row.id}/attachments"
    six = PDF + b"0" * (6 * 1024 * 1024)  # above the old 5 MiB request limit
    assert _upload_large(clerk, url, six, "bao-cao.pdf").status_code == 303
    with get_db(app).session() as session:
        assert session.query(NominationAttachment).one().size == len(six)
    eleven = PDF + b"0" * (11 * 1024 * 1024)
    response = _upload_large(clerk, url, eleven, "lon.pdf", follow_redirects=True)
    assert response.status_code == 200 and "vượt giới hạn 10 MB" in text(response)
    with get_db(app).session() as session:
        assert session.query(NominationAttachment).count() == 1
