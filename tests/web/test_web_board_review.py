"""The board's review pages as the sample board member ``thiduakt``: one organisation's package
(every trích ngang field, attachments, accept, return with a reason), selecting with and without
htmx, the selection page, the reminder from the dashboard; others get 404 or 403."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from docgen.db import get_db
from docgen.models import Campaign, Draft, NominationPackage, RecipientListRow
from docgen.models.campaigns import CampaignDocument, PackageState
from docgen.services import nomination_files as files
from docgen.services import reviews
from tests.campaigns.conftest import actor_named, collective, individual
from tests.campaigns.review_fixtures import nominate
from tests.helpers import make_user
from tests.web.pages import csrf_token, post_form, sign_in, text

PDF = b"%PDF-1.4\n% bao cao thanh tich\n%%EOF\n"
KL = "ubnd-kien-luong"


@pytest.fixture
def board(app, client, people):
    """Return (campaign id, client signed in as thiduakt): Kiên Lương sent 03 nominees (one
    collective, one with an attachment), Sở Nội vụ 06 (accepted), Sở Tư pháp nothing."""
    with get_db(app).session() as session:
        campaign = session.scalars(select(Campaign).where(Campaign.code == "dien-hinh-2017")).one()
        clerk = actor_named(app, "canbo-kienluong")
        from docgen.services import nominations as noms

        first = noms.add_nomination(session, campaign.id, collective("Phòng Nội vụ huyện"),
                                    actor=clerk, now=campaign.created_at)  # fmt: skip
        person = noms.add_nomination(
            session, campaign.id,
            individual("Trần Thị Bình", gender="Nữ", birth_year="1980",
                       previous_awards="Bằng khen UBND tỉnh năm 2015", field="Giáo dục"),
            actor=clerk, now=campaign.created_at,
        )  # fmt: skip
        files.add_attachment(session, person.id, "báo cáo thành tích.pdf", PDF, actor=clerk,
                             now=campaign.created_at)  # fmt: skip
        session.commit()
        nominate(session, campaign.id, clerk, 1, prefix="Thêm ")
        make_user(app, "cv.snv", organisation="snv", roles=("drafter",))
        nominate(session, campaign.id, actor_named(app, "cv.snv"), 6, prefix="SNV ")
        reviews.accept_package(session, campaign.id, "snv", actor=actor_named(app, "thiduakt"),
                               now=campaign.created_at)  # fmt: skip
        session.commit()
        assert first.id
        campaign_id = campaign.id
    sign_in(client, "thiduakt", people["thiduakt"])
    return campaign_id, client


def _package(app, campaign_id: int, org: str) -> NominationPackage:
    with get_db(app).session() as session:
        return session.scalars(
            select(NominationPackage).where(
                NominationPackage.campaign_id == campaign_id,
                NominationPackage.organisation_id == org,
            )
        ).one()


def test_the_package_page_shows_every_field_and_the_attachment(app, board):
    campaign_id, client = board
    dashboard = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert f"/board/campaigns/{campaign_id}/packages/{KL}" in dashboard
    page = text(client.get(f"/board/campaigns/{campaign_id}/packages/{KL}"))
    assert "Hồ sơ giới thiệu của Ủy ban nhân dân huyện Kiên Lương" in page
    assert "Đã gửi" in page and "đúng hạn" in page
    for value in ("Phòng Nội vụ huyện", "Trần Thị Bình", "1980", "Nữ", "Giáo dục",
                  "Trưởng phòng Tổ chức, Sở Nội vụ", "Các cấp lãnh đạo từ phó phòng trở lên",
                  "giảm 30% thời gian xử lý hồ sơ", "Bằng khen UBND tỉnh năm 2015",
                  "báo cáo thành tích.pdf", "Tiếp nhận hồ sơ", "Trả lại hồ sơ"):  # fmt: skip
        assert value in page, value
    link = re.search(r'href="(/board/campaigns/\d+/attachments/\d+)"', page)
    download = client.get(link.group(1))
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]


def test_return_needs_a_reason_then_reaches_the_organisation(app, board):
    campaign_id, client = board
    url = f"/board/campaigns/{campaign_id}/packages/{KL}/return"
    form = text(client.get(url))
    assert "Lý do trả lại (bắt buộc)" in form and "Xác nhận trả lại hồ sơ" in form
    refused = post_form(client, url, {"reason": "   "})
    assert refused.status_code == 422
    assert "Cần ghi lý do trả lại hồ sơ." in text(refused)
    assert _package(app, campaign_id, KL).state == PackageState.SUBMITTED
    done = post_form(client, url, {"reason": "Bổ sung số liệu thành tích của bà Bình"})
    assert done.status_code == 303
    package = _package(app, campaign_id, KL)
    assert package.state == PackageState.RETURNED
    assert package.return_reason == "Bổ sung số liệu thành tích của bà Bình"
    page = text(client.get(done.headers["Location"]))
    assert "Bị trả lại" in page and "Bổ sung số liệu thành tích của bà Bình" in page
    # returned again: refused with the reason why, nothing changes
    again = post_form(client, url, {"reason": "Lần hai"})
    assert again.status_code == 409 and "Bị trả lại" in text(again)


def test_select_five_with_and_without_htmx(app, board):
    campaign_id, client = board
    page = text(client.get(f"/board/campaigns/{campaign_id}/packages/snv"))
    assert "Đã chọn 00 (yêu cầu từ 05 đến 10)" in page and "Ngoài khoảng xét chọn" in page
    ids = [int(i) for i in dict.fromkeys(re.findall(r'/nominations/(\d+)/select"', page))]
    assert len(ids) == 6
    for nominee in ids[:4]:  # without JavaScript: a form post and the page again
        response = post_form(
            client, f"/board/campaigns/{campaign_id}/nominations/{nominee}/select", {}
        )
        assert response.status_code == 303
    token = csrf_token(client)
    swapped = client.post(
        f"/board/campaigns/{campaign_id}/nominations/{ids[4]}/select",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    html = text(swapped)
    assert swapped.status_code == 200 and "<html" not in html
    assert f'id="nominee-{ids[4]}"' in html and "Bỏ chọn" in html
    assert 'hx-swap-oob="true"' in html and "Đã chọn 05 (yêu cầu từ 05 đến 10)" in html
    assert "Trong khoảng xét chọn." in html
    dashboard = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Đã chọn 05 (yêu cầu từ 05 đến 10)" in dashboard
    selection = text(client.get(f"/board/campaigns/{campaign_id}/selection"))
    assert selection.count('id="selected-') == 5 and "0 tập thể, 5 cá nhân" in selection
    # selecting one already selected is refused in the card, and the counter stays
    again = client.post(
        f"/board/campaigns/{campaign_id}/nominations/{ids[4]}/select",
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert "đã được chọn" in text(again) and "Đã chọn 05" in text(again)
    # a nominee of a package not accepted cannot be selected
    kl = text(client.get(f"/board/campaigns/{campaign_id}/packages/{KL}"))
    assert '/select"' not in kl and "Chọn giới thiệu Trung ương" not in kl
    # unselect from the selection page comes back to it
    back = post_form(client, f"/board/campaigns/{campaign_id}/nominations/{ids[0]}/unselect",
                     {"back": "selection"})  # fmt: skip
    assert back.headers["Location"].endswith(f"/board/campaigns/{campaign_id}/selection")
    assert "Đã chọn 04" in text(client.get(back.headers["Location"]))


def test_accept_from_the_page(app, board):
    campaign_id, client = board
    url = f"/board/campaigns/{campaign_id}/packages/{KL}/accept"
    assert post_form(client, url, {}).status_code == 303
    assert _package(app, campaign_id, KL).state == PackageState.ACCEPTED
    again = post_form(client, url, {}, follow_redirects=True)
    assert "Chỉ tiếp nhận được hồ sơ đã gửi" in text(again)


def test_others_get_404_or_403(app, board, people):
    campaign_id, _ = board
    urls = [f"/board/campaigns/{campaign_id}/packages/{KL}",
            f"/board/campaigns/{campaign_id}/packages/{KL}/return",
            f"/board/campaigns/{campaign_id}/selection"]  # fmt: skip
    make_user(app, "ban.snv", organisation="snv", roles=("board", "drafter"), password="mk-dai-123")
    make_user(app, "ban.kl", organisation=KL, roles=("board",), password="mk-dai-123")
    for username in ("ban.snv", "ban.kl"):  # another organiser's board: not there
        other = app.test_client()
        sign_in(other, username, "mk-dai-123")
        for url in urls:
            assert other.get(url).status_code == 404, (username, url)
        accept = post_form(other, f"/board/campaigns/{campaign_id}/packages/{KL}/accept", {})
        assert accept.status_code == 404
    clerk = app.test_client()  # a drafter of a participant: not the board at all
    sign_in(clerk, "canbo-kienluong", people["canbo-kienluong"])
    for url in urls:
        assert clerk.get(url).status_code == 403
    own = app.test_client()
    sign_in(own, "thiduakt", people["thiduakt"])
    assert own.get(f"/board/campaigns/{campaign_id}/packages/ubnd-tinh").status_code == 404
    assert own.get(f"/board/campaigns/{campaign_id}/attachments/999999").status_code == 404


def test_the_reminder_from_the_dashboard(app, board, people):
    campaign_id, client = board
    dashboard = text(client.get(f"/board/campaigns/{campaign_id}"))
    owed = int(re.search(r"Soạn công văn đôn đốc \((\d+) cơ quan\)", dashboard).group(1))
    response = post_form(client, f"/board/campaigns/{campaign_id}/reminder", {})
    assert response.status_code == 303
    draft_id = int(re.search(r"/drafting/(\d+)$", response.headers["Location"]).group(1))
    with get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        kinh_gui = session.get(RecipientListRow, draft.recipients).kinh_gui
        link = session.scalars(select(CampaignDocument)).one()
    assert len(kinh_gui) == owed == len(link.snapshot)
    assert "Sở Nội vụ tỉnh Kiên Giang" not in kinh_gui  # sent 06 of 02
    assert (
        "Ủy ban nhân dân huyện Kiên Lương" in kinh_gui and "Sở Tư pháp tỉnh Kiên Giang" in kinh_gui
    )
    body = [b["text"] for b in draft.data["body"]]
    assert "- Ủy ban nhân dân huyện Kiên Lương: đã gửi 03/05, còn thiếu 02;" in body
    assert "- Sở Tư pháp tỉnh Kiên Giang: chưa gửi (cần ít nhất 02);" in body
    assert client.get(response.headers["Location"]).status_code == 200
    listed = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "Văn bản của đợt thi đua" in listed and "Công văn đôn đốc" in listed
    assert f'href="/drafting/{draft_id}"' in listed
    # a board member who does not draft: a clear 403, no draft
    make_user(app, "ban.xem", organisation="btdkt", roles=("board",), password="mk-dai-123")
    viewer = app.test_client()
    sign_in(viewer, "ban.xem", "mk-dai-123")
    refused = post_form(viewer, f"/board/campaigns/{campaign_id}/reminder", {})
    assert refused.status_code == 403 and "vai trò Chuyên viên" in text(refused)
    with get_db(app).session() as session:
        assert len(session.scalars(select(Draft)).all()) == 1


def test_nobody_owes_no_reminder_is_drafted(app, client, people):
    from tests.campaigns.review_fixtures import clerks, small_campaign

    campaign, who = small_campaign(app), clerks(app)
    with get_db(app).session() as session:
        for org, n in (("snv", 2), ("stp", 2), ("ubnd-kien-luong", 5), ("ubnd-rach-gia", 5)):
            nominate(session, campaign.id, who[org], n)
    sign_in(client, "thiduakt", people["thiduakt"])
    dashboard = text(client.get(f"/board/campaigns/{campaign.id}"))
    assert "không cần đôn đốc" in dashboard and "Soạn công văn đôn đốc" not in dashboard
    response = post_form(client, f"/board/campaigns/{campaign.id}/reminder", {})
    assert response.headers["Location"].endswith(f"/board/campaigns/{campaign.id}")
    assert "không cần công văn đôn đốc" in text(client.get(response.headers["Location"]))
    with get_db(app).session() as session:
        assert session.scalars(select(Draft)).all() == []
