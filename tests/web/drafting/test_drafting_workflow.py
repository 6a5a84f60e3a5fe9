"""The signing workflow through its pages: trình ký → trả lại → trình ký → duyệt → ban hành,
and who may not take which step (403), another organisation (404), stale versions, an empty
comment, and a failed issuance that spends no number."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import pytest
from flask import Flask, g, render_template_string
from sqlalchemy import func, select, update

from docgen.db import get_db
from docgen.models import Blob, Document, Draft, DraftEvent, RegisterCounter
from docgen.rules.drafts import DraftState
from docgen.runtime import get_renderer
from docgen.services import drafts
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.chain import plain
from tests.helpers import make_user
from tests.web.pages import post_form, sign_in, text

S = DraftState
SAMPLE_SIGNER = "cvp-ubnd-tinh-tuq-mau"  # the sample account "lanhdao" signs as this record
COMMENT = "Bổ sung thời hạn gửi báo cáo <trước ngày 20/4> & ghi rõ “đơn vị chủ trì”."


def _client(app: Flask, people: dict[str, str], username: str, password: str | None = None):
    client = app.test_client()
    response = sign_in(client, username, password or people[username])
    assert response.status_code in (302, 303), text(response)[:500]
    return client


def _actor(app: Flask, username: str):
    with get_db(app).session() as session:
        return actor_for(user_by_username(session, username))


def _plan(loaded, **overrides: Any) -> dict[str, Any]:
    request = loaded.document("ke-hoach-2017").request()
    values = {
        "template": request["template"],
        "data": plain(request["fields"]),
        "signer": SAMPLE_SIGNER,
        "recipients": request["recipients"],
        "unit": request["unit"],
    }
    return {**values, **overrides}


def _new_draft(app: Flask, loaded, username: str = "chuyenvien", **overrides: Any) -> int:
    """Return the id of a new draft of the 2017 plan written by ``username`` (soạn thảo)."""
    with get_db(app).session() as session:
        draft = drafts.create_draft(
            session, actor=_actor(app, username), renderer=get_renderer(app),
            now=app.extensions["docgen.clock"].now(), **_plan(loaded, **overrides),
        )  # fmt: skip
        session.commit()
        return draft.id


def _draft(app: Flask, draft_id: int) -> Draft:
    with get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        session.expunge(draft)
        return draft


def _count(app: Flask, model) -> int:
    with get_db(app).session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _numbers_taken(app: Flask) -> int:
    with get_db(app).session() as session:
        return session.scalar(select(func.coalesce(func.sum(RegisterCounter.last_number), 0)))


def _step(client, draft_id: int, step: str, version: int, **data: str):
    return post_form(client, f"/drafting/{draft_id}/{step}", {"version": str(version), **data})


def _approved(app: Flask, people, loaded) -> int:
    """Return a draft sent by chuyenvien and approved by lanhdao, through the pages."""
    draft_id = _new_draft(app, loaded)
    assert _step(_client(app, people, "chuyenvien"), draft_id, "submit", 1).status_code == 303
    assert _step(_client(app, people, "lanhdao"), draft_id, "approve", 2).status_code == 303
    return draft_id


def _docx_lines(app: Flask, document_id: int) -> list[str]:
    with get_db(app).session() as session:
        document = session.get(Document, document_id)
        book = docx.Document(io.BytesIO(session.get(Blob, document.blob_sha256).content))
    cells = [c for t in book.tables for row in t.rows for c in row.cells]
    return [p.text for p in book.paragraphs] + [p.text for c in cells for p in c.paragraphs]


def test_the_whole_flow_through_the_pages(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    drafter = _client(app, people, "chuyenvien")
    page = text(drafter.get(f"/drafting/{draft_id}/workflow"))
    assert "Soạn thảo" in page and f"/drafting/{draft_id}/submit" in page
    assert f"/drafting/{draft_id}/approve" not in page and f"/drafting/{draft_id}/issue" not in page

    response = _step(drafter, draft_id, "submit", 1)
    assert response.status_code == 303
    assert response.headers["Location"] in (
        f"/drafting/{draft_id}",
        f"/drafting/{draft_id}/workflow",
    )
    assert "Đã trình ký dự thảo." in text(drafter.get(f"/drafting/{draft_id}/workflow"))
    assert _draft(app, draft_id).state == S.TRINH_KY

    signer = _client(app, people, "lanhdao")
    waiting = text(signer.get("/drafting/waiting"))
    assert "Dự thảo trình tôi ký" in waiting and f'href="/drafting/{draft_id}' in waiting
    page = text(signer.get(f"/drafting/{draft_id}/workflow"))
    assert f"/drafting/{draft_id}/approve" in page and f"/drafting/{draft_id}/return" in page
    assert f"/drafting/{draft_id}/submit" not in page

    refused = _step(signer, draft_id, "return", 2, comment="   ")
    assert refused.status_code == 422
    assert "Cần ghi ý kiến khi trả lại dự thảo" in text(refused)
    assert _draft(app, draft_id).state == S.TRINH_KY
    assert _step(signer, draft_id, "return", 2, comment=COMMENT).status_code == 303
    returned = _draft(app, draft_id)
    assert (returned.state, returned.last_comment) == (S.TRA_LAI, COMMENT)

    waiting = text(drafter.get("/drafting/waiting"))
    assert "Dự thảo của tôi bị trả lại" in waiting
    page = text(drafter.get(f"/drafting/{draft_id}/workflow"))
    assert "&lt;trước ngày 20/4&gt; &amp; ghi rõ" in page and "<trước" not in page
    assert f"/drafting/{draft_id}/submit" in page  # a returned draft may be sent again

    with get_db(app).session() as session:  # the form page is the FORM helper's: its service
        data = {**returned.data, "summary": returned.data["summary"] + " (đã sửa)"}
        drafts.update_draft(session, draft_id, actor=_actor(app, "chuyenvien"), version=3,
                            data=data, now=app.extensions["docgen.clock"].now())  # fmt: skip
        session.commit()
    assert _step(drafter, draft_id, "submit", 4).status_code == 303
    assert _step(signer, draft_id, "approve", 5).status_code == 303
    assert _draft(app, draft_id).state == S.DA_DUYET

    registrar = _client(app, people, "vanthu")
    waiting = text(registrar.get("/drafting/waiting"))
    assert "chờ cấp số và ban hành" in waiting and f"/drafting/{draft_id}/issue" in waiting
    confirm = registrar.get(f"/drafting/{draft_id}/issue")
    page = text(confirm)
    assert confirm.status_code == 200, page
    assert "Kiên Giang, ngày 20 tháng 3 năm 2017" in page
    assert "số sẽ được cấp khi ban hành" in page and "…/KH-UBND" in page
    assert re.search(r"Sổ đăng ký văn bản đi</dt><dd>[^<]+\(", page)  # a register, by name
    assert "Hoàng Văn E" in page and "TUQ. CHỦ TỊCH" in page
    assert "Kiểm tra thể thức theo Nghị định 30/2020/NĐ-CP" in page
    assert _count(app, Document) == 0 and _numbers_taken(app) == 0  # looking takes nothing

    issued = _step(registrar, draft_id, "issue", 6)
    assert issued.status_code == 303, text(issued)
    draft = _draft(app, draft_id)
    assert draft.state == S.DA_BAN_HANH and draft.document_id is not None
    assert issued.headers["Location"].endswith(f"/documents/{draft.document_id}")
    document_page = text(registrar.get(issued.headers["Location"]))
    assert "Đã ban hành văn bản số 01/KH-UBND." in document_page
    lines = _docx_lines(app, draft.document_id)
    assert any("Số: 01/KH-UBND" in line for line in lines), lines[:12]
    assert any("ngày 20 tháng 3 năm 2017" in line for line in lines)
    assert any("(đã sửa)" in line for line in lines)

    history = text(drafter.get(f"/drafting/{draft_id}/workflow"))
    for label in ("soạn mới", "trình ký", "trả lại", "sửa", "duyệt", "ban hành"):
        assert f">{label}" in history, label
    assert "Đã ban hành" in history and f"/documents/{draft.document_id}" in history
    assert f"/drafting/{draft_id}/submit" not in history  # nothing more to do


def test_a_drafter_cannot_issue(app, people, loaded):
    draft_id = _approved(app, people, loaded)
    drafter = _client(app, people, "chuyenvien")
    assert f"/drafting/{draft_id}/issue" not in text(drafter.get(f"/drafting/{draft_id}/workflow"))
    assert drafter.get(f"/drafting/{draft_id}/issue").status_code == 403
    assert _step(drafter, draft_id, "issue", 3).status_code == 403
    assert _draft(app, draft_id).state == S.DA_DUYET and _count(app, Document) == 0
    registrar = _client(app, people, "vanthu")
    assert f"/drafting/{draft_id}/issue" in text(registrar.get(f"/drafting/{draft_id}/workflow"))


def test_a_signer_cannot_approve_a_draft_naming_another_signer(app, people, loaded):
    make_user(app, "chutich", roles=("signer",), signer="mai-van-huynh")
    draft_id = _new_draft(app, loaded, signer="mai-van-huynh")
    assert _step(_client(app, people, "chuyenvien"), draft_id, "submit", 1).status_code == 303
    other = _client(app, people, "lanhdao")
    page = text(other.get(f"/drafting/{draft_id}/workflow"))
    assert (
        f"/drafting/{draft_id}/approve" not in page and f"/drafting/{draft_id}/return" not in page
    )
    assert not re.search(rf'href="/drafting/{draft_id}[/"]', text(other.get("/drafting/waiting")))
    assert _step(other, draft_id, "approve", 2).status_code == 403
    assert _step(other, draft_id, "return", 2, comment="không đồng ý").status_code == 403
    assert _draft(app, draft_id).state == S.TRINH_KY
    own = _client(app, people, "chutich", password="mật khẩu thử nghiệm 2017")
    assert _step(own, draft_id, "approve", 2).status_code == 303


def test_another_organisation_gets_404_on_every_workflow_route(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    assert _step(_client(app, people, "chuyenvien"), draft_id, "submit", 1).status_code == 303
    make_user(app, "da.nang", organisation="snv", roles=("drafter", "registrar", "signer"),
              signer="gd-snv-mau", password="mật khẩu snv 2017")  # fmt: skip
    outsider = _client(app, people, "da.nang", password="mật khẩu snv 2017")
    assert outsider.get(f"/drafting/{draft_id}/workflow").status_code == 404
    assert outsider.get(f"/drafting/{draft_id}/issue").status_code == 404
    for step in ("submit", "approve", "return", "paper", "issue"):
        assert _step(outsider, draft_id, step, 2, comment="x").status_code == 404, step
    assert not re.search(
        rf'href="/drafting/{draft_id}[/"]', text(outsider.get("/drafting/waiting"))
    )
    with get_db(app).session() as session:
        assert session.scalar(select(func.count()).where(DraftEvent.draft_id == draft_id)) == 2
    assert _draft(app, draft_id).state == S.TRINH_KY


def test_a_stale_or_missing_version_is_refused_with_a_message(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    with get_db(app).session() as session:  # a colleague's save since the page was loaded
        data = {**_plan(loaded)["data"], "summary": "Kế hoạch đã sửa"}
        drafts.update_draft(session, draft_id, actor=_actor(app, "chuyenvien"), version=1,
                            data=data, now=app.extensions["docgen.clock"].now())  # fmt: skip
        session.commit()
    drafter = _client(app, people, "chuyenvien")
    stale = _step(drafter, draft_id, "submit", 1)
    assert stale.status_code == 409
    assert "vừa được người khác thay đổi" in text(stale)
    assert 'name="version" value="2"' in text(stale)  # the page offers the current version
    missing = post_form(drafter, f"/drafting/{draft_id}/submit", {})
    assert missing.status_code == 400 and "thiếu phiên bản" in text(missing)
    assert _draft(app, draft_id).state == S.SOAN_THAO
    assert _step(drafter, draft_id, "submit", 2).status_code == 303


def test_submit_lists_the_missing_fields_with_links(app, people, loaded):
    plan = _plan(loaded)
    data = {**plan["data"], "summary": ""}
    draft_id = _new_draft(app, loaded, data=data)
    refused = _step(_client(app, people, "chuyenvien"), draft_id, "submit", 1)
    page = text(refused)
    assert refused.status_code == 422, page
    assert "cần sửa các mục sau" in page
    assert re.search(rf'<a href="/drafting/{draft_id}(/workflow)?#in-summary">Trích yếu', page), (
        page
    )
    assert _draft(app, draft_id).state == S.SOAN_THAO


def test_a_failed_issuance_spends_no_number(app, people, loaded):
    draft_id = _approved(app, people, loaded)
    with get_db(app).session() as session:  # data broken behind the workflow's back
        good = session.get(Draft, draft_id).data
        session.execute(update(Draft).where(Draft.id == draft_id)
                        .values(data={**good, "summary": ""}))  # fmt: skip
        session.commit()
    registrar = _client(app, people, "vanthu")
    confirm = registrar.get(f"/drafting/{draft_id}/issue")
    assert confirm.status_code == 422 and "Trích yếu" in text(confirm)
    failed = _step(registrar, draft_id, "issue", 3)
    assert failed.status_code == 422
    assert "Chưa có số nào được cấp." in text(failed)
    assert _count(app, Document) == 0 and _numbers_taken(app) == 0
    assert _draft(app, draft_id).state == S.DA_DUYET

    with get_db(app).session() as session:
        session.execute(update(Draft).where(Draft.id == draft_id).values(data=good))
        session.commit()
    assert _step(registrar, draft_id, "issue", 3).status_code == 303
    with get_db(app).session() as session:
        document = session.scalars(select(Document)).one()
        assert (document.number, document.notation) == (1, "01/KH-UBND")


def test_the_registrar_records_a_paper_signature(app, people, loaded):
    draft_id = _new_draft(app, loaded)
    registrar = _client(app, people, "vanthu")
    page = text(registrar.get(f"/drafting/{draft_id}/workflow"))
    assert f"/drafting/{draft_id}/paper" in page and "Người đã ký: Hoàng Văn E" in page
    assert f"/drafting/{draft_id}/paper" not in text(
        _client(app, people, "chuyenvien").get(f"/drafting/{draft_id}/workflow")
    )
    for bad, message in (("31/02/2017", "ngày/tháng/năm"), ("21/03/2017", "sau hôm nay")):
        refused = _step(registrar, draft_id, "paper", 1, signed_on=bad, comment="bản giấy")
        assert refused.status_code == 422 and message in text(refused), bad
        assert f'value="{bad}"' in text(refused)  # what was typed comes back
    assert _step(registrar, draft_id, "paper", 1, signed_on="19/03/2017",
                 comment="ký tại phòng họp").status_code == 303  # fmt: skip
    assert _draft(app, draft_id).state == S.DA_DUYET
    with get_db(app).session() as session:
        event = session.scalars(select(DraftEvent).where(DraftEvent.kind == "paper")).one()
    assert event.paper and event.comment == "Ký ngày 19/03/2017. ký tại phòng họp"
    history = text(registrar.get(f"/drafting/{draft_id}/workflow"))
    assert "ký trên giấy</span>" in history and "Ký ngày 19/03/2017" in history


@pytest.mark.parametrize("role", ["chuyenvien", "lanhdao", "vanthu"])
def test_the_waiting_count_include(app, people, loaded, role):
    draft_id = _new_draft(app, loaded)
    _step(_client(app, people, "chuyenvien"), draft_id, "submit", 1)
    client = _client(app, people, role)
    with app.test_request_context():
        g.actor = _actor(app, role)
        html = render_template_string('{% include "drafting/_waiting_count.html" %}')
    expected = {"chuyenvien": None, "lanhdao": "1", "vanthu": None}[role]
    badge = re.search(r'class="badge count"[^>]*>(\d+)<', html)
    assert (badge.group(1) if badge else None) == expected, html
    assert client.get("/drafting/waiting").status_code == 200


def test_the_drafting_index_links_to_what_waits_with_its_count(app, client, people, loaded):
    draft_id = _new_draft(app, loaded)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    url = f"/drafting/{draft_id}"
    version = _draft(app, draft_id).version
    assert post_form(client, f"{url}/submit", {"version": str(version)}).status_code == 303
    sign_in(client, "lanhdao", people["lanhdao"])
    index = text(client.get("/drafting/"))
    assert 'href="/drafting/waiting"' in index and 'aria-label="1 dự thảo"' in index
