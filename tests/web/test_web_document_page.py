"""The document page (issue 11): Appendix VI metadata, history of a withdrawn and of a superseded
document with links both ways, thu hồi / thay thế with a required reason, the use log, and
another organisation's 404."""

from __future__ import annotations

from datetime import datetime

from docgen.db import get_db
from tests.helpers import issue_record
from tests.web.pages import post_form, sign_in, text


def _issue(app, loaded, clock, code: str = "ke-hoach-2017") -> tuple[int, str]:
    document = issue_record(app, loaded, clock, code)
    return document.id, document.notation


def test_the_page_shows_the_appendix_vi_metadata(app, client, people, loaded, clock):
    document_id, notation = _issue(app, loaded, clock)
    sign_in(client, "luutru", people["luutru"])
    page = text(client.get(f"/documents/{document_id}"))
    assert notation in page
    for label in (
        "1. Mã hồ sơ",
        "8. Trích yếu nội dung",
        "13. Nơi nhận",
        "16. Hạn trả lời văn bản",
    ):
        assert label in page
    assert "Kiểm tra toàn vẹn" in page
    assert "Thu hồi" not in page  # an archivist does not change a document's status


def test_withdraw_needs_a_reason_and_a_confirmation_then_shows_in_the_history(
    app, client, people, loaded, clock
):
    document_id, _ = _issue(app, loaded, clock)
    sign_in(client, "vanthu", people["vanthu"])
    assert "Thu hồi" in text(client.get(f"/documents/{document_id}"))
    url = f"/documents/{document_id}/withdraw"
    refused = post_form(client, url, {"reason": "  "})
    assert refused.status_code == 422
    assert "Hãy ghi lý do" in text(refused) and "Hãy đánh dấu ô xác nhận" in text(refused)
    clock.set(datetime(2017, 3, 21, 10, 0))
    done = post_form(client, url, {"reason": "Ban hành nhầm đối tượng", "confirm": "1"})
    assert done.status_code == 302
    page = text(client.get(f"/documents/{document_id}"))
    assert "đã thu hồi" in page and "Thu hồi" in page and "Ban hành nhầm đối tượng" in page
    assert f"/documents/{document_id}/withdraw" not in page  # no second withdrawal offered


def test_a_superseded_document_links_both_ways(app, client, people, loaded, clock):
    old_id, old_notation = _issue(app, loaded, clock)
    clock.set(datetime(2017, 3, 25, 9, 0))
    new_id, new_notation = _issue(app, loaded, clock)
    sign_in(client, "vanthu", people["vanthu"])
    url = f"/documents/{old_id}/supersede"
    unknown = post_form(client, url, {"by": "99/KH-UBND", "reason": "Thay", "confirm": "1"})
    assert unknown.status_code == 422 and "Không tìm thấy văn bản số 99/KH-UBND" in text(unknown)
    done = post_form(
        client, url, {"by": new_notation, "reason": "Cập nhật số liệu", "confirm": "1"}
    )
    assert done.status_code == 302, text(done)
    old_page = text(client.get(f"/documents/{old_id}"))
    assert "đã bị thay thế" in old_page and f'href="/documents/{new_id}"' in old_page
    assert f"văn bản {new_notation}" in old_page
    new_page = text(client.get(f"/documents/{new_id}"))
    assert f'href="/documents/{old_id}"' in new_page and f"văn bản {old_notation}" in new_page


def test_views_are_logged_and_shown_to_archivists(app, client, people, loaded, clock):
    document_id, _ = _issue(app, loaded, clock)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    drafter_page = text(client.get(f"/documents/{document_id}"))
    assert "Lịch sử sử dụng" not in drafter_page
    sign_in(client, "luutru", people["luutru"])
    page = text(client.get(f"/documents/{document_id}"))
    assert "Lịch sử sử dụng" in page and "chuyenvien" in page


def test_another_organisation_gets_404_on_the_page_and_its_acts(app, client, people, loaded, clock):
    document_id, _ = _issue(app, loaded, clock)
    sign_in(client, "quantri-snv", people["quantri-snv"])
    assert client.get(f"/documents/{document_id}").status_code == 404
    assert client.get(f"/documents/{document_id}/withdraw").status_code == 404
    refused = post_form(
        client, f"/documents/{document_id}/withdraw", {"reason": "x", "confirm": "1"}
    )
    assert refused.status_code == 404


def test_the_page_shows_each_recipient_and_whether_it_was_sent(app, client, people, loaded, clock):
    from datetime import date

    from docgen.services import accounts, dispatch

    document_id, _ = _issue(app, loaded, clock)
    with get_db(app).session() as session:
        registrar = accounts.actor_for(accounts.user_by_username(session, "vanthu"))
        first = dispatch.dispatch_view(session, document_id, actor=registrar).recipients[0]
        dispatch.mark(session, document_id, [first.position], actor=registrar,
                      now=clock.now(), channel="giay", sent_on=date(2017, 3, 20))  # fmt: skip
        session.commit()
    sign_in(client, "luutru", people["luutru"])  # a reader, not the registrar
    page = text(client.get(f"/documents/{document_id}"))
    assert "Nơi nhận và tình trạng gửi" in page
    assert "Đã gửi ngày 20/03/2017 (giấy)" in page and "Chưa gửi" in page
    assert first.name in page and "Lưu: VT" in page
