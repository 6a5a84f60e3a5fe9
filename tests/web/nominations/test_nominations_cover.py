"""The cover công văn: "Gửi hồ sơ" drafts it with the nominees in its body; issuing it through
the drafting desk submits the package at the issue moment (on time, late, or refused — then
no number is spent), a list changed since drafting blocks the issuance until the clerk updates
the letter, and a recalled or returned package is sent again with a new letter."""

from __future__ import annotations

from datetime import datetime

from docgen.db import get_db
from docgen.models.campaigns import CampaignDocument, PackageState
from docgen.rules.campaigns import VIETNAM
from docgen.rules.drafts import DraftState
from docgen.services import drafts
from docgen.services.package_cover import CHANGED_MESSAGE
from tests.web.nominations.nomination_pages import (
    CHAIRMAN,
    CLERK,
    SIGNER,
    actor_named,
    campaign_id,
    client_of,
    document_lines,
    draft_of,
    group,
    main_text,
    nominees,
    numbers_taken,
    package_of,
    person,
)
from tests.web.pages import post_form, text


def _add(client, cid: int, values: dict) -> None:
    response = post_form(client, f"/nominations/{cid}/nominees/new", values)
    assert response.status_code == 303, main_text(response)


def _send(app, client, cid: int) -> int:
    """Return the id of the cover draft "Gửi hồ sơ" made (the page redirects to its form)."""
    response = post_form(client, f"/nominations/{cid}/send", {})
    assert response.status_code == 303, text(response)[:500]
    location = response.headers["Location"]
    assert location.startswith("/drafting/"), location
    return int(location.rsplit("/", 1)[1])


def _step(client, draft_id: int, step: str, version: int):
    return post_form(client, f"/drafting/{draft_id}/{step}", {"version": str(version)})


def _approve(app, people, draft_id: int) -> None:
    """Name the signer, send for signature (clerk) and approve (chairman), through the pages."""
    with get_db(app).session() as session:
        draft = draft_of(app, draft_id)
        drafts.update_draft(session, draft_id, actor=actor_named(app, CLERK),
                            version=draft.version, signer=SIGNER,
                            now=app.extensions["docgen.clock"].now())  # fmt: skip
        session.commit()
    clerk, chairman = client_of(app, people, CLERK), client_of(app, people, CHAIRMAN)
    response = _step(clerk, draft_id, "submit", draft_of(app, draft_id).version)
    assert response.status_code == 303, main_text(response)
    response = _step(chairman, draft_id, "approve", draft_of(app, draft_id).version)
    assert response.status_code == 303, main_text(response)


def _issue(app, people, draft_id: int):
    return _step(client_of(app, people, CLERK), draft_id, "issue", draft_of(app, draft_id).version)


def _prepared(app, people, count: int = 5) -> tuple[object, int]:
    clerk = client_of(app, people, CLERK)
    cid = campaign_id(app)
    _add(clerk, cid, group())
    for i in range(count - 1):
        _add(clerk, cid, person(f"Nguyễn Thị Hoa {i + 1}"))
    return clerk, cid


def test_send_drafts_the_cover_letter_and_issuing_it_submits_the_package(app, people, clock):
    clerk, cid = _prepared(app, people)
    draft_id = _send(app, clerk, cid)
    draft = draft_of(app, draft_id)
    assert (draft.template, draft.organisation_id, draft.signer) == ("cong-van", "ubnd-kien-luong",
                                                                    None)  # fmt: skip
    assert "giới thiệu điển hình tiên tiến" in draft.data["summary"]
    assert draft.data["summary"].endswith("năm 2017")
    body = [b["text"] for b in draft.data["body"]]
    assert "01 tập thể và 04 cá nhân" in body[0]
    plan = "Kế hoạch giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm 2017"
    assert f"Thực hiện {plan}" in body[0]
    assert body[1].startswith("1. Tập thể Hợp tác xã Thuận Phát, Xã Bình An")
    assert "phân loại: Doanh nghiệp" in body[1]
    assert body[2].startswith("2. Bà Nguyễn Thị Hoa 1, sinh năm 1980, Chủ tịch UBND xã Bình An")
    assert "lĩnh vực: Xây dựng nông thôn mới" in body[2]
    assert any("trích ngang thành tích" in t for t in body[5:])
    assert package_of(app).state == PackageState.DRAFT  # drafting submits nothing

    page = text(clerk.get(f"/nominations/{cid}"))
    assert f'href="/drafting/{draft_id}"' in page and "Soạn thảo" in page
    assert "Cập nhật danh sách trong công văn" in page
    again = post_form(clerk, f"/nominations/{cid}/send", {}, follow_redirects=True)
    assert "đã có công văn gửi đang soạn" in text(again)  # one pending letter at a time

    _approve(app, people, draft_id)
    clock.set(datetime(2017, 4, 19, 23, 59, tzinfo=VIETNAM))  # a minute before
    taken = numbers_taken(app)
    response = _issue(app, people, draft_id)
    assert response.status_code == 303, text(response)[:3000]
    assert numbers_taken(app) == taken + 1
    package = package_of(app)
    assert package.state == PackageState.SUBMITTED and package.late is False
    assert package.submitted_at.astimezone(VIETNAM) == clock.now()
    document_id = draft_of(app, draft_id).document_id
    lines = document_lines(app, document_id)
    joined = "\n".join(lines)
    assert "V/v giới thiệu điển hình tiên tiến" in joined
    assert "Kính gửi: Ban TĐKT, Sở Nội vụ" in joined  # the organiser's recipient name
    assert any(line.startswith("1. Tập thể Hợp tác xã Thuận Phát") for line in lines)
    assert any("5. Bà Nguyễn Thị Hoa 4, sinh năm 1980" in line for line in lines)
    assert "Như trên" in joined
    page = text(clerk.get(f"/nominations/{cid}"))
    assert "Đã gửi" in page and "(đúng hạn)" in page and "Rút lại hồ sơ" in page
    assert f"/documents/{document_id}" in page


def test_a_letter_issued_after_the_deadline_marks_the_package_late(app, people, clock):
    clerk, cid = _prepared(app, people, count=2)
    draft_id = _send(app, clerk, cid)
    _approve(app, people, draft_id)
    clock.set(datetime(2017, 4, 20, 0, 1, tzinfo=VIETNAM))  # a minute after
    assert _issue(app, people, draft_id).status_code == 303
    package = package_of(app)
    assert package.state == PackageState.SUBMITTED and package.late is True
    assert "(trễ hạn)" in text(clerk.get(f"/nominations/{cid}"))


def test_a_campaign_refusing_late_packages_refuses_the_issuance_and_spends_no_number(
    app, people, clock
):
    clerk, cid = _prepared(app, people, count=2)
    with get_db(app).session() as session:
        from docgen.models import Campaign

        session.get(Campaign, cid).refuse_late = True
        session.commit()
    draft_id = _send(app, clerk, cid)
    _approve(app, people, draft_id)
    clock.set(datetime(2017, 4, 20, 8, 0, tzinfo=VIETNAM))
    taken = numbers_taken(app)
    response = _issue(app, people, draft_id)
    assert response.status_code in (400, 409, 422), response.status_code
    assert "không nhận hồ sơ trễ hạn" in text(response)
    assert numbers_taken(app) == taken  # no number consumed
    assert draft_of(app, draft_id).state == DraftState.DA_DUYET
    assert draft_of(app, draft_id).document_id is None
    package = package_of(app)
    assert package.state == PackageState.DRAFT and package.submitted_at is None


def test_a_nominee_changed_after_drafting_blocks_the_issuance_until_the_letter_is_updated(
    app, people, clock
):
    clerk, cid = _prepared(app, people, count=3)
    draft_id = _send(app, clerk, cid)
    # the clerk adds a paragraph of their own: the update keeps it
    with get_db(app).session() as session:
        draft = draft_of(app, draft_id)
        body = [*draft.data["body"], {"kind": "para", "text": "Đoạn do văn thư tự viết thêm."}]
        drafts.update_draft(session, draft_id, actor=actor_named(app, CLERK),
                            version=draft.version, data={**draft.data, "body": body},
                            now=clock.now())  # fmt: skip
        session.commit()
    _approve(app, people, draft_id)
    first = nominees(app)[1]
    edited = person("Nguyễn Thị Hồng Hoa")
    response = post_form(clerk, f"/nominations/nominees/{first.id}", edited)
    assert response.status_code == 303, text(response)[:1000]
    page = text(clerk.get(f"/nominations/{cid}"))
    assert "Danh sách đã thay đổi sau khi soạn công văn" in page

    taken = numbers_taken(app)
    response = _issue(app, people, draft_id)
    assert response.status_code in (400, 409, 422)
    assert "Cập nhật danh sách trong công văn" in text(response)
    assert CHANGED_MESSAGE.split(":")[0] in text(response)
    assert numbers_taken(app) == taken and package_of(app).state == PackageState.DRAFT

    refreshed = post_form(clerk, f"/nominations/{cid}/cover/refresh", {}, follow_redirects=True)
    assert "các đoạn khác giữ nguyên" in text(refreshed)
    draft = draft_of(app, draft_id)
    body = [b["text"] for b in draft.data["body"]]
    assert any(t.startswith("2. Bà Nguyễn Thị Hồng Hoa") for t in body)
    assert not any("2. Bà Nguyễn Thị Hoa 1," in t for t in body)
    assert "Đoạn do văn thư tự viết thêm." in body  # the clerk's own paragraph is kept
    assert draft.state == DraftState.SOAN_THAO  # edited: it goes for signature again
    _approve(app, people, draft_id)
    assert _issue(app, people, draft_id).status_code == 303
    assert package_of(app).state == PackageState.SUBMITTED


def test_recall_then_send_again_with_a_new_letter(app, people, clock):
    clerk, cid = _prepared(app, people, count=2)
    first = _send(app, clerk, cid)
    _approve(app, people, first)
    assert _issue(app, people, first).status_code == 303
    # locked while submitted
    row = nominees(app)[0]
    assert post_form(clerk, f"/nominations/nominees/{row.id}", group(name="Sửa")).status_code == 409
    confirm = clerk.get(f"/nominations/{cid}/recall")
    assert confirm.status_code == 200 and "Rút lại hồ sơ" in text(confirm)
    assert package_of(app).state == PackageState.SUBMITTED  # looking changes nothing
    response = post_form(clerk, f"/nominations/{cid}/recall", {}, follow_redirects=True)
    assert "Đã rút lại hồ sơ" in text(response)
    assert package_of(app).state == PackageState.RECALLED
    _add(clerk, cid, person("Trần Văn Bình", gender="Nam"))
    second = _send(app, clerk, cid)
    assert second != first
    assert draft_of(app, first).state == DraftState.DA_BAN_HANH  # the issued one stays
    assert "01 tập thể và 02 cá nhân" in draft_of(app, second).data["body"][0]["text"]
    with get_db(app).session() as session:
        links = session.query(CampaignDocument).filter_by(purpose="cover").count()
    assert links == 2
