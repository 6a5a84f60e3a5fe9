"""Every step from every state: the pure table, and the service refusing what it forbids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from docgen.errors import Conflict, NotFound
from docgen.models import AuditEvent, Draft, DraftEvent, DraftState
from docgen.rules.drafts import TRANSITIONS, DraftStep, next_state
from docgen.services import drafts

S = DraftState
STEPS = [step for step in DraftStep if step is not DraftStep.CREATE]
# The workflow as design D18 and issue 9 state it, written out independently of the table.
ALLOWED = {
    (S.SOAN_THAO, DraftStep.EDIT): S.SOAN_THAO,
    (S.TRINH_KY, DraftStep.EDIT): S.SOAN_THAO,
    (S.TRA_LAI, DraftStep.EDIT): S.SOAN_THAO,
    (S.DA_DUYET, DraftStep.EDIT): S.SOAN_THAO,
    (S.SOAN_THAO, DraftStep.DELETE): None,
    (S.TRINH_KY, DraftStep.DELETE): None,
    (S.TRA_LAI, DraftStep.DELETE): None,
    (S.DA_DUYET, DraftStep.DELETE): None,
    (S.SOAN_THAO, DraftStep.SUBMIT): S.TRINH_KY,
    (S.TRA_LAI, DraftStep.SUBMIT): S.TRINH_KY,
    (S.TRINH_KY, DraftStep.RETURN): S.TRA_LAI,
    (S.TRINH_KY, DraftStep.APPROVE): S.DA_DUYET,
    (S.SOAN_THAO, DraftStep.PAPER): S.DA_DUYET,
    (S.TRINH_KY, DraftStep.PAPER): S.DA_DUYET,
    (S.DA_DUYET, DraftStep.ISSUE): S.DA_BAN_HANH,
}
PAIRS = [(state, step) for state in DraftState for step in STEPS]


@pytest.mark.parametrize(("state", "step"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_the_table(state: DraftState, step: DraftStep) -> None:
    if (state, step) in ALLOWED:
        assert next_state(state, step) == ALLOWED[(state, step)]
    else:
        with pytest.raises(Conflict) as caught:
            next_state(state, step)
        assert caught.value.code == "draft_step_not_allowed"
        assert state.label in caught.value.message and step.label in caught.value.message
    assert set(TRANSITIONS) == set(ALLOWED)


def _counts(session, draft_id: int) -> tuple[int, int]:
    events = session.scalar(select(func.count()).where(DraftEvent.draft_id == draft_id))
    audits = session.scalar(
        select(func.count()).where(
            AuditEvent.target_kind == "draft", AuditEvent.target_id == str(draft_id)
        )
    )
    return events, audits


@pytest.fixture
def draft_in(session, people, plan, renderer, clock) -> Callable[[DraftState], Draft]:
    """Return a function making a committed draft in a given state through the service."""
    now = clock.now()
    path = [
        (
            S.TRINH_KY,
            lambda d: drafts.submit(
                session, d.id, actor=people.drafter, version=d.version, renderer=renderer, now=now
            ),
        ),
        (
            S.DA_DUYET,
            lambda d: drafts.approve(
                session, d.id, actor=people.signer, version=d.version, now=now
            ),
        ),
        (
            S.DA_BAN_HANH,
            lambda d: drafts.issue_approved(
                session, d.id, actor=people.registrar, clock=clock, renderer=renderer
            ),
        ),
    ]

    def make(state: DraftState) -> Draft:
        draft = drafts.create_draft(
            session, actor=people.drafter, renderer=renderer, now=now, **plan
        )
        if state is S.TRA_LAI:
            drafts.submit(
                session, draft.id, actor=people.drafter, version=1, renderer=renderer, now=now
            )
            drafts.return_draft(
                session,
                draft.id,
                actor=people.signer,
                version=2,
                comment="Sửa lại phần kinh phí.",
                now=now,
            )
        for reached, take in path:
            if state in (S.SOAN_THAO, S.TRA_LAI):
                break
            take(draft)
            if reached is state:
                break
        session.commit()
        assert draft.state == state
        return draft

    return make


def _take(step: DraftStep, session, draft: Draft, people, renderer, clock) -> Any:
    now, version = clock.now(), draft.version
    if step is DraftStep.EDIT:
        unit = "TH" if draft.unit != "TH" else None
        return drafts.update_draft(
            session, draft.id, actor=people.drafter, version=version, unit=unit, now=now
        )
    if step is DraftStep.SUBMIT:
        return drafts.submit(
            session, draft.id, actor=people.drafter, version=version, renderer=renderer, now=now
        )
    if step is DraftStep.RETURN:
        return drafts.return_draft(
            session,
            draft.id,
            actor=people.signer,
            version=version,
            comment="Chưa rõ thời hạn.",
            now=now,
        )
    if step is DraftStep.APPROVE:
        return drafts.approve(session, draft.id, actor=people.signer, version=version, now=now)
    if step is DraftStep.PAPER:
        return drafts.record_paper_signature(
            session, draft.id, actor=people.registrar, version=version, renderer=renderer, now=now
        )
    if step is DraftStep.ISSUE:
        return drafts.issue_approved(
            session,
            draft.id,
            actor=people.registrar,
            clock=clock,
            renderer=renderer,
            version=version,
        )
    assert step is DraftStep.DELETE
    return drafts.delete_draft(session, draft.id, actor=people.drafter, version=version, now=now)


@pytest.mark.parametrize(("state", "step"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_the_service_follows_the_table(
    session, people, renderer, clock, draft_in, state: DraftState, step: DraftStep
) -> None:
    draft = draft_in(state)
    before = _counts(session, draft.id)
    version = draft.version
    if (state, step) not in ALLOWED:
        with pytest.raises(Conflict) as caught:
            _take(step, session, draft, people, renderer, clock)
        assert caught.value.code == "draft_step_not_allowed"
        session.rollback()
        row = session.get(Draft, draft.id)
        assert (row.state, row.version, row.deleted_at) == (state, version, None)
        assert _counts(session, draft.id) == before
        return
    _take(step, session, draft, people, renderer, clock)
    session.commit()
    row = session.get(Draft, draft.id)
    assert row.version == version + 1
    assert _counts(session, draft.id) == (before[0] + 1, before[1] + 1)
    event = session.scalars(
        select(DraftEvent).where(DraftEvent.draft_id == draft.id).order_by(DraftEvent.id.desc())
    ).first()
    assert (event.kind, event.from_state) == (step, state)
    if ALLOWED[(state, step)] is None:
        assert event.to_state is None and row.deleted_at is not None
        with pytest.raises(NotFound):
            drafts.get_draft(session, draft.id, people.drafter)
        assert draft.id not in [d.id for d in drafts.list_drafts(session, people.drafter)]
    else:
        assert row.state == event.to_state == ALLOWED[(state, step)]
    assert (row.document_id is not None) == (row.state == S.DA_BAN_HANH)
