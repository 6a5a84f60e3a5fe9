"""The signing workflow of a draft end to end: drafter → trình ký → trả lại → sửa → trình ký
→ duyệt → văn thư ban hành, and who may not take which step."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import pytest
from sqlalchemy import func, select

from docgen.errors import Conflict, FieldError, Forbidden, NotFound
from docgen.models import AuditEvent, Blob, Document, Draft, DraftEvent, DraftState
from docgen.services import drafts
from docgen.services.clock import VIETNAM

S = DraftState


def _counts(session, draft_id: int) -> tuple[int, int]:
    """Return (draft events, audit events) recorded for a draft."""
    events = session.scalar(select(func.count()).where(DraftEvent.draft_id == draft_id))
    audits = session.scalar(
        select(func.count()).where(
            AuditEvent.target_kind == "draft", AuditEvent.target_id == str(draft_id)
        )
    )
    return events, audits


def _docx_text(session, document: Document) -> list[str]:
    """Return the text of every paragraph of the issued DOCX, the header table's included."""
    book = docx.Document(io.BytesIO(session.get(Blob, document.blob_sha256).content))
    cells = [c for t in book.tables for row in t.rows for c in row.cells]
    return [p.text for p in book.paragraphs] + [p.text for c in cells for p in c.paragraphs]


def test_the_full_path_from_draft_to_issued_document(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    assert (draft.state, draft.version, draft.document_id) == (S.SOAN_THAO, 1, None)
    assert draft.organisation_id == "ubnd-tinh" and draft.author_id == people.drafter.user_id
    draft = drafts.submit(
        session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
    )
    assert (draft.state, draft.version) == (S.TRINH_KY, 2)
    waiting = drafts.list_drafts(
        session, people.signer, state=S.TRINH_KY, signer=people.signer.signer
    )
    assert [d.id for d in waiting] == [draft.id]

    comment = "Bổ sung thời hạn gửi báo cáo: “trước ngày 20/4”."
    draft = drafts.return_draft(
        session, draft.id, actor=people.signer, version=2, comment=comment, now=now
    )
    assert (draft.state, draft.last_comment) == (S.TRA_LAI, comment)

    data = {**draft.data, "summary": draft.data["summary"] + " (đã sửa theo ý kiến lãnh đạo)"}
    draft = drafts.update_draft(
        session, draft.id, actor=people.drafter, version=3, data=data, now=now
    )
    assert (draft.state, draft.version) == (S.SOAN_THAO, 4)
    assert draft.data["summary"].endswith("(đã sửa theo ý kiến lãnh đạo)")
    draft = drafts.submit(
        session, draft.id, actor=people.drafter, version=4, renderer=renderer, now=now
    )
    draft = drafts.approve(session, draft.id, actor=people.signer, version=5, now=now)
    assert (draft.state, draft.version) == (S.DA_DUYET, 6)

    document = drafts.issue_approved(
        session, draft.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    draft = session.get(Draft, draft.id)
    assert (draft.state, draft.document_id, draft.version) == (S.DA_BAN_HANH, document.id, 7)
    assert document.number == 1 and document.actor == people.registrar.username
    text = _docx_text(session, document)
    assert any("Số: 01/KH-UBND" in line for line in text), text[:12]
    assert any("ngày 20 tháng 3 năm 2017" in line for line in text), text[:12]
    assert any("(đã sửa theo ý kiến lãnh đạo)" in line for line in text)

    events = drafts.draft_events(session, draft.id, people.colleague)
    assert [(e.kind, e.from_state, e.to_state, e.actor) for e in events] == [
        ("create", None, "soan_thao", "chuyên.viên"),
        ("submit", "soan_thao", "trinh_ky", "chuyên.viên"),
        ("return", "trinh_ky", "tra_lai", "lãnh.đạo"),
        ("edit", "tra_lai", "soan_thao", "chuyên.viên"),
        ("submit", "soan_thao", "trinh_ky", "chuyên.viên"),
        ("approve", "trinh_ky", "da_duyet", "lãnh.đạo"),
        ("issue", "da_duyet", "da_ban_hanh", "văn.thư"),
    ]
    assert events[2].comment == comment and not any(e.paper for e in events)
    assert _counts(session, draft.id) == (7, 7)
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "draft_issue")).one()
    assert audit.details["document"] == document.id and audit.details["to_state"] == "da_ban_hanh"


def _approved(session, people, plan, renderer, now, **overrides) -> Draft:
    draft = drafts.create_draft(
        session, actor=people.drafter, renderer=renderer, now=now, **{**plan, **overrides}
    )
    drafts.submit(session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now)
    return drafts.approve(session, draft.id, actor=people.signer, version=2, now=now)


def test_a_drafter_cannot_issue(session, people, plan, renderer, clock):
    draft = _approved(session, people, plan, renderer, clock.now())
    session.commit()
    with pytest.raises(Forbidden) as caught:
        drafts.issue_approved(
            session, draft.id, actor=people.drafter, clock=clock, renderer=renderer
        )
    assert caught.value.http_status == 403 and "văn thư" in caught.value.message
    session.rollback()
    assert session.get(Draft, draft.id).state == S.DA_DUYET
    assert session.scalar(select(func.count()).select_from(Document)) == 0


def test_only_the_named_signer_approves_or_returns(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    drafts.submit(session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now)
    session.commit()
    for actor in (people.other_signer, people.drafter, people.registrar):
        with pytest.raises(Forbidden) as caught:
            drafts.approve(session, draft.id, actor=actor, version=2, now=now)
        assert caught.value.http_status == 403
        session.rollback()
        with pytest.raises(Forbidden):
            drafts.return_draft(
                session, draft.id, actor=actor, version=2, comment="Không.", now=now
            )
        session.rollback()
    assert session.get(Draft, draft.id).state == S.TRINH_KY
    assert _counts(session, draft.id) == (2, 2)


def test_another_organisation_never_sees_the_draft(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    session.commit()
    outsider = people.outsider
    with pytest.raises(NotFound) as caught:
        drafts.get_draft(session, draft.id, outsider)
    assert caught.value.http_status == 404
    steps = [
        lambda: drafts.update_draft(
            session, draft.id, actor=outsider, version=1, unit=None, now=now
        ),
        lambda: drafts.submit(
            session, draft.id, actor=outsider, version=1, renderer=renderer, now=now
        ),
        lambda: drafts.delete_draft(session, draft.id, actor=outsider, version=1, now=now),
        lambda: drafts.duplicate(
            session, actor=outsider, renderer=renderer, now=now, draft_id=draft.id
        ),
        lambda: drafts.draft_events(session, draft.id, outsider),
    ]
    for step in steps:
        with pytest.raises(NotFound):
            step()
        session.rollback()
    assert drafts.list_drafts(session, outsider) == []
    assert [d.id for d in drafts.list_drafts(session, people.colleague)] == [draft.id]
    assert drafts.list_drafts(session, people.colleague, mine=True) == []
    assert [d.id for d in drafts.list_drafts(session, people.colleague, author="CHUYÊN.VIÊN")] == [
        draft.id
    ]


def test_a_stale_version_is_a_conflict(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    drafts.update_draft(session, draft.id, actor=people.drafter, version=1, unit="VHXH", now=now)
    session.commit()
    with pytest.raises(Conflict) as caught:
        drafts.update_draft(
            session, draft.id, actor=people.registrar, version=1, unit=None, now=now
        )
    assert caught.value.code == "draft_version_conflict" and "tải lại" in caught.value.message
    session.rollback()
    with pytest.raises(Conflict):
        drafts.submit(
            session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
        )
    session.rollback()
    assert session.get(Draft, draft.id).unit == "VHXH"


def test_two_sessions_editing_at_once_one_wins(app, session, people, plan, renderer, clock):
    """The version is also in the UPDATE's WHERE: a change committed since the read loses."""
    from docgen.db import get_db

    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    session.commit()
    first = session.get(Draft, draft.id)
    first.unit = "VHXH"  # read at version 1, not yet flushed
    with get_db(app).session() as other:
        drafts.update_draft(other, draft.id, actor=people.registrar, version=1, unit="TH", now=now)
        other.commit()
    first.version = 2
    with pytest.raises(Conflict):
        drafts._flush(session, first)
    session.rollback()
    assert session.get(Draft, draft.id).unit == "TH"


def test_editing_an_approved_draft_sends_it_back(session, people, plan, renderer, clock):
    now = clock.now()
    draft = _approved(session, people, plan, renderer, now)
    unchanged = drafts.update_draft(
        session, draft.id, actor=people.drafter, version=3, unit=draft.unit, now=now
    )
    assert (unchanged.state, unchanged.version) == (S.DA_DUYET, 3)  # nothing changed
    draft = drafts.update_draft(
        session,
        draft.id,
        actor=people.drafter,
        version=3,
        recipients="cong-van-de-nghi-2017",
        now=now,
    )
    assert (draft.state, draft.version) == (S.SOAN_THAO, 4)
    with pytest.raises(Conflict):  # it must be signed again before it is issued
        drafts.issue_approved(
            session, draft.id, actor=people.registrar, clock=clock, renderer=renderer
        )


def test_a_failed_issuance_consumes_no_number(session, people, plan, renderer, clock):
    now = clock.now()
    refused = _approved(session, people, plan, renderer, now, register="ubnd-tinh-quyet-dinh")
    session.commit()
    with pytest.raises(Exception) as caught:  # the register takes only quyết định
        drafts.issue_approved(
            session, refused.id, actor=people.registrar, clock=clock, renderer=renderer
        )
    assert "không đăng ký loại văn bản" in caught.value.message
    session.rollback()
    assert session.get(Draft, refused.id).state == S.DA_DUYET

    broken = _approved(session, people, plan, renderer, now)
    session.commit()
    row = session.get(Draft, broken.id)  # the data went bad after approval (e.g. a schema change)
    row.data = {**row.data, "summary": ""}
    session.commit()
    with pytest.raises(FieldError) as invalid:
        drafts.issue_approved(
            session, broken.id, actor=people.registrar, clock=clock, renderer=renderer
        )
    assert "summary" in invalid.value.fields
    session.rollback()
    assert session.get(Draft, broken.id).state == S.DA_DUYET
    assert session.scalar(select(func.count()).select_from(Document)) == 0

    good = _approved(session, people, plan, renderer, now)
    document = drafts.issue_approved(
        session, good.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    assert document.number == 1  # nothing was spent by the failures
    assert session.get(Draft, refused.id).document_id is None


def test_the_registrar_records_a_paper_signature(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    session.commit()
    with pytest.raises(Forbidden):
        drafts.record_paper_signature(
            session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
        )
    session.rollback()
    later = datetime(2017, 3, 20, 14, 30, tzinfo=VIETNAM)
    draft = drafts.record_paper_signature(
        session,
        draft.id,
        actor=people.registrar,
        version=1,
        renderer=renderer,
        now=later,
        comment="Lãnh đạo ký bản giấy",
    )
    assert draft.state == S.DA_DUYET
    event = drafts.draft_events(session, draft.id, people.drafter)[-1]
    assert (event.kind, event.paper, event.actor, event.at) == ("paper", True, "văn.thư", later)
    assert event.comment == "Lãnh đạo ký bản giấy"
    document = drafts.issue_approved(
        session, draft.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    assert session.get(Draft, draft.id).document_id == document.id
    assert _counts(session, draft.id) == (3, 3)
