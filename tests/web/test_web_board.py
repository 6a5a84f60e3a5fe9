"""The board's campaign dashboard: the 2017 campaign's organisations against their quotas and
the deadline, with its chart; only the organising board sees it (another board: 404)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from docgen.db import get_db
from docgen.models import Campaign
from docgen.services.clock import VIETNAM
from tests.helpers import make_user
from tests.web.pages import sign_in, text


def _campaign_id(app) -> int:
    with get_db(app).session() as session:
        return session.scalars(select(Campaign.id).where(Campaign.code == "dien-hinh-2017")).one()


def test_the_board_sees_quotas_deadline_and_chart(app, client, people, clock):
    clock.set(datetime(2017, 4, 16, 9, 0, tzinfo=VIETNAM))
    sign_in(client, "thiduakt", people["thiduakt"])
    index = text(client.get("/board/"))
    campaign_id = _campaign_id(app)
    assert f"/board/campaigns/{campaign_id}" in index
    page = text(client.get(f"/board/campaigns/{campaign_id}"))
    assert "trước <strong>00:00 20/04/2017</strong>" in page and "còn 3 ngày 15 giờ" in page
    assert "Chưa gửi" in page and "Thiếu 02 (đã có 00/02)" in page
    assert "Thiếu 05 (đã có 00/05)" in page  # a district owes five
    assert '<svg role="img"' in page and "chưa gửi</title>" in page
    short = text(client.get(f"/board/campaigns/{campaign_id}?short=1"))
    assert short.count("<tr>") == page.count("<tr>")  # nothing sent yet: every one is short


def test_others_cannot_open_the_dashboard(app, client, people):
    campaign_id = _campaign_id(app)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    assert client.get(f"/board/campaigns/{campaign_id}").status_code == 403
    make_user(app, "thiduakt-snv", organisation="snv", roles=("board",), password="mật-khẩu-dài-9")
    sign_in(client, "thiduakt-snv", "mật-khẩu-dài-9")
    assert client.get(f"/board/campaigns/{campaign_id}").status_code == 404
    assert client.get("/board/campaigns/999999").status_code == 404
