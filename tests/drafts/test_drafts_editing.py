"""Writing a draft: what is checked when it is saved and when it is sent for signature,
duplicating ("soạn văn bản tương tự") and deleting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from docgen.errors import Conflict, FieldError, Forbidden, NotFound, TemplateNotFound
from docgen.models import AuditEvent, Draft, DraftEvent, DraftState
from docgen.policy import system_actor
from docgen.services import drafts
from docgen.services.accounts import actor_for, set_active, user_by_username
from docgen.services.issuance import IssueRequest, issue_document
from tests.helpers import make_user

S = DraftState


def test_a_draft_is_saved_incomplete_and_checked_in_full_when_sent(
    session, people, plan, renderer, clock
):
    now = clock.now()
    draft = drafts.create_draft(
        session,
        actor=people.drafter,
        template="ke-hoach",
        data={"summary": ""},
        signer=plan["signer"],
        recipients=plan["recipients"],
        renderer=renderer,
        now=now,
    )
    assert draft.state == S.SOAN_THAO and draft.data == {"summary": ""}
    assert not hasattr(draft, "number")  # a draft never carries a number
    session.commit()
    with pytest.raises(FieldError) as caught:
        drafts.submit(
            session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
        )
    assert caught.value.http_status == 422
    assert set(caught.value.fields) >= {"summary", "body"}
    vietnamese = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý")
    assert all(vietnamese & set(message.lower()) for message in caught.value.fields.values())
    session.rollback()
    assert session.get(Draft, draft.id).state == S.SOAN_THAO


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"signer": "gd-snv-mau"}, "signer"),  # a signer of another organisation
        ({"signer": "không-có"}, "signer"),
        ({"recipients": "không-có"}, "recipients"),
        ({"register": "không-có"}, "register"),
        ({"data": ["không", "phải", "trường"]}, "data"),
    ],
)
def test_unknown_choices_are_field_errors(session, people, plan, renderer, clock, changes, field):
    with pytest.raises(FieldError) as caught:
        drafts.create_draft(
            session, actor=people.drafter, renderer=renderer, now=clock.now(), **{**plan, **changes}
        )
    assert list(caught.value.fields) == [field]
    session.rollback()
    draft = drafts.create_draft(
        session, actor=people.drafter, renderer=renderer, now=clock.now(), **plan
    )
    with pytest.raises(FieldError) as again:
        drafts.update_draft(
            session, draft.id, actor=people.drafter, version=1, now=clock.now(), **changes
        )
    assert list(again.value.fields) == [field]


def test_who_may_draft(app, session, people, plan, renderer, clock):
    with pytest.raises(TemplateNotFound):
        drafts.create_draft(
            session,
            actor=people.drafter,
            renderer=renderer,
            now=clock.now(),
            **{**plan, "template": "không-có"},
        )
    make_user(app, "lưu.trữ", roles=("archivist",))
    archivist = actor_for(user_by_username(session, "lưu.trữ"))
    for actor, error in ((archivist, Forbidden), (system_actor("kiểm thử"), FieldError)):
        with pytest.raises(error):
            drafts.create_draft(session, actor=actor, renderer=renderer, now=clock.now(), **plan)
    with pytest.raises(FieldError) as caught:
        drafts.update_draft(
            session, 1, actor=people.drafter, version=1, now=clock.now(), template="cong-van"
        )
    assert "template" in caught.value.fields
    draft = drafts.create_draft(
        session, actor=people.drafter, renderer=renderer, now=clock.now(), **plan
    )
    with pytest.raises(Forbidden):  # a colleague reads it, but only its author edits it
        drafts.update_draft(
            session, draft.id, actor=people.colleague, version=1, unit="TH", now=clock.now()
        )
    assert drafts.get_draft(session, draft.id, people.colleague).id == draft.id


def test_the_signer_needs_an_active_account(session, people, plan, renderer, clock):
    now = clock.now()
    # cvp-ubnd-tinh-tuq-mau is a signer of ubnd-tinh, but no account is linked to it here.
    draft = drafts.create_draft(
        session,
        actor=people.drafter,
        renderer=renderer,
        now=now,
        **{**plan, "signer": "cvp-ubnd-tinh-tuq-mau"},
    )
    with pytest.raises(FieldError) as caught:
        drafts.submit(
            session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
        )
    assert "tài khoản" in caught.value.fields["signer"]
    session.rollback()
    signer = user_by_username(session, "lãnh.đạo")
    set_active(session, signer, False, actor=system_actor("kiểm thử"), now=now)
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    with pytest.raises(FieldError) as disabled:
        drafts.submit(
            session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
        )
    assert list(disabled.value.fields) == ["signer"]


def test_returning_needs_a_comment(session, people, plan, renderer, clock):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    drafts.submit(session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now)
    for comment in ("", "   ", "x" * (drafts.MAX_COMMENT + 1)):
        with pytest.raises(FieldError) as caught:
            drafts.return_draft(
                session, draft.id, actor=people.signer, version=2, comment=comment, now=now
            )
        assert list(caught.value.fields) == ["comment"]
    assert session.get(Draft, draft.id).state == S.TRINH_KY


def test_duplicating_a_draft_and_an_issued_document(app, session, people, plan, renderer, clock):
    now = clock.now()
    source = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    copy = drafts.duplicate(
        session, actor=people.colleague, renderer=renderer, now=now, draft_id=source.id
    )
    assert copy.id != source.id and copy.author_id == people.colleague.user_id
    assert (copy.state, copy.version, copy.document_id) == (S.SOAN_THAO, 1, None)
    assert (copy.template, copy.data, copy.signer, copy.recipients, copy.register) == (
        source.template,
        source.data,
        source.signer,
        source.recipients,
        source.register,
    )

    drafts.submit(session, source.id, actor=people.drafter, version=1, renderer=renderer, now=now)
    drafts.approve(session, source.id, actor=people.signer, version=2, now=now)
    document = drafts.issue_approved(
        session, source.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    again = drafts.duplicate(
        session, actor=people.registrar, renderer=renderer, now=now, document_id=document.id
    )
    assert (again.template, again.signer, again.recipients) == (
        "ke-hoach",
        "mai-van-huynh",
        plan["recipients"],
    )
    assert again.data["summary"] == plan["data"]["summary"] and again.register is None
    audit = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "draft_create", AuditEvent.target_id == str(again.id)
        )
    ).one()
    assert audit.details["from_document"] == document.id
    session.commit()

    # A document issued into the secret register: btdkt, to which it is addressed, does not
    # see it, nor does a drafter not named as its reader; its registrar sees it, but its text
    # must not land in a draft that the whole organisation reads.
    secret = issue_document(
        session,
        IssueRequest(
            template=plan["template"], issuer="ubnd-tinh", fields=plan["data"],
            signer=plan["signer"], recipients=plan["recipients"], register="ubnd-tinh-mat",
        ),
        actor=people.registrar, clock=clock, renderer=renderer,
    )  # fmt: skip
    session.commit()
    make_user(app, "ban.tđkt", organisation="btdkt", roles=("board", "drafter"))
    board = actor_for(user_by_username(session, "ban.tđkt"))
    for actor in (board, people.outsider, people.drafter):
        with pytest.raises(NotFound):
            drafts.duplicate(
                session, actor=actor, renderer=renderer, now=now, document_id=secret.id
            )
        session.rollback()
    with pytest.raises(FieldError) as refused:
        drafts.duplicate(
            session, actor=people.registrar, renderer=renderer, now=now, document_id=secret.id
        )
    assert "văn bản mật" in refused.value.fields["source"]
    session.rollback()
    with pytest.raises(FieldError):
        drafts.duplicate(session, actor=people.drafter, renderer=renderer, now=now)


def test_a_board_member_copies_a_document_addressed_to_it(
    app, session, people, plan, renderer, clock
):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    drafts.record_paper_signature(
        session, draft.id, actor=people.registrar, version=1, renderer=renderer, now=now
    )
    document = drafts.issue_approved(
        session, draft.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    make_user(app, "ban.tđkt", organisation="btdkt", roles=("board", "drafter"))
    board = actor_for(user_by_username(session, "ban.tđkt"))
    copy = drafts.duplicate(
        session, actor=board, renderer=renderer, now=now, document_id=document.id
    )
    # Its own draft now: ubnd-tinh's signer and recipient list are not the board's to use.
    assert (copy.organisation_id, copy.signer, copy.recipients, copy.unit) == (
        "btdkt",
        None,
        None,
        None,
    )
    assert copy.data == draft.data
    with pytest.raises(NotFound):  # the original draft stays ubnd-tinh's
        drafts.get_draft(session, draft.id, board)


def test_an_issued_draft_is_never_deleted_and_a_deleted_one_keeps_its_history(
    session, people, plan, renderer, clock
):
    now = clock.now()
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    with pytest.raises(Forbidden):
        drafts.delete_draft(session, draft.id, actor=people.colleague, version=1, now=now)
    drafts.delete_draft(session, draft.id, actor=people.drafter, version=1, now=now)
    session.commit()
    with pytest.raises(NotFound):
        drafts.approve(session, draft.id, actor=people.signer, version=2, now=now)
    session.rollback()
    kinds = session.scalars(select(DraftEvent.kind).where(DraftEvent.draft_id == draft.id))
    assert list(kinds) == ["create", "delete"]

    issued = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now, **plan)
    drafts.record_paper_signature(
        session, issued.id, actor=people.registrar, version=1, renderer=renderer, now=now
    )
    drafts.issue_approved(
        session, issued.id, actor=people.registrar, clock=clock, renderer=renderer
    )
    session.commit()
    for actor in (people.drafter, people.registrar):
        with pytest.raises(Conflict):
            drafts.delete_draft(session, issued.id, actor=actor, version=3, now=now)
        session.rollback()
    assert drafts.get_draft(session, issued.id, people.drafter).state == S.DA_BAN_HANH


def test_a_draft_cannot_name_the_secret_register(session, people, plan, renderer, clock):
    with pytest.raises(FieldError) as refused:
        drafts.create_draft(
            session, actor=people.drafter, renderer=renderer, now=clock.now(),
            register="ubnd-tinh-mat", **plan,
        )  # fmt: skip
    assert "văn bản mật" in refused.value.fields["register"]
