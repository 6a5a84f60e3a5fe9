"""Another organisation's own recipient list is as absent as an unknown code: the API neither
renders nor issues with it (its lines never reach a document), and nothing is numbered."""

from __future__ import annotations

from sqlalchemy import func, select

from docgen.db import get_db
from docgen.models import Document
from docgen.rules.recipient_lines import Lines
from docgen.services import accounts
from docgen.services.recipient_lists import create_list
from tests.helpers import api_body, make_user


def _foreign_list(app, clock) -> str:
    owner = make_user(app, "vanthu-snv", organisation="snv", roles=("registrar",))
    with get_db(app).session() as session:
        actor = accounts.actor_for(accounts.get_user(session, owner.id))
        row = create_list(
            session, actor=actor, now=clock.now(), name="Danh sách riêng",
            lines=Lines(noi_nhan=(("Bí mật nội bộ Sở Nội vụ XYZ", "", ""),), archive="TCCB"),
        )  # fmt: skip
        session.commit()
        return row.code


def test_another_organisations_list_is_neither_drafted_nor_issued(app, api, loaded, clock):
    code = _foreign_list(app, clock)
    body = api_body(loaded, "ke-hoach-2017", recipients=code)
    drafted = api.post("/api/v1/drafts", json=body)
    assert drafted.status_code == 404, drafted.get_data(as_text=True)
    assert b"XYZ" not in drafted.data and "danh sách nơi nhận" in drafted.json["message"]
    unknown = api.post("/api/v1/drafts", json={**body, "recipients": "khong-co-ma-nay"})
    assert unknown.status_code == 404
    assert unknown.json["message"].replace("khong-co-ma-nay", code) == drafted.json["message"]
    issued = api.post("/api/v1/documents", json=body)
    assert issued.status_code == 404
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
