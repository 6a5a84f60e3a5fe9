"""Drafts and their signing (design D18): soạn thảo → trình ký → trả lại / đã duyệt → ban hành.

Services take a session and never commit. Every step names the draft's version it acts on
(a stale one is a ``Conflict``), is allowed by the pure ``TRANSITIONS`` table, and writes one
``DraftEvent`` and one audit event. A draft never carries a number: only ``issue_approved``
numbers it, through ``issuance.issue_document`` in the caller's one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from docgen.database import begin_write
from docgen.errors import Conflict, FieldError, NotFound
from docgen.models import (
    Document,
    Draft,
    DraftEvent,
    User,
)
from docgen.policy import Action, Actor, DraftFacts, can, visible
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.drafts import DraftState, DraftStep, next_state
from docgen.services import campaign_documents
from docgen.services.archive import (
    audit,
    check_actor,
    document_facts,
    require,
)
from docgen.services.chain import plain
from docgen.services.clock import Clock
from docgen.services.draft_checks import (
    check_choices,
    check_signer_account,
    issue_request,
    validate,
)
from docgen.services.issuance import issue_document

MAX_COMMENT = 2000
# What an edit may change; the template is chosen once (a different one is a new draft).
EDITABLE = ("data", "signer", "recipients", "unit", "register")


def facts(draft: Draft) -> DraftFacts:
    """Return what the policy needs to know of ``draft``."""
    return DraftFacts(draft.organisation_id, draft.author_id, draft.signer)


# --- reading ------------------------------------------------------------------------------------


def get_draft(session: Session, draft_id: int, actor: Actor) -> Draft:
    """Return the draft ``draft_id``; ``NotFound`` if it is deleted or ``actor`` may not see it."""
    draft = session.get(Draft, draft_id)
    hidden = draft is None or draft.deleted_at is not None
    if hidden or not can(actor, Action.READ_DRAFT, facts(draft)):
        raise NotFound(f"Không có dự thảo mã số {draft_id}.", id=draft_id)
    return draft


def list_drafts(
    session: Session,
    actor: Actor,
    *,
    mine: bool = False,
    state: DraftState | str | None = None,
    template: str | None = None,
    author: str | None = None,
    signer: str | None = None,
) -> list[Draft]:
    """Return the drafts of ``actor``'s organisation that match, the latest changed first.

    ``mine``: only the actor's own; ``author``: a username; ``signer``: a signer record (what
    waits for a signer is ``state=trinh_ky, signer=actor.signer``).
    """
    query = select(Draft).where(Draft.deleted_at.is_(None))
    if not actor.system:
        if actor.organisation is None or not actor.authenticated:
            return []
        query = query.where(Draft.organisation_id == actor.organisation)
    if mine:
        query = query.where(Draft.author_id == actor.user_id)
    if state is not None:
        query = query.where(Draft.state == DraftState(state))
    if template is not None:
        query = query.where(Draft.template == template)
    if author is not None:
        from docgen.services.accounts import username_key

        query = query.join(User, User.id == Draft.author_id).where(
            User.username_key == username_key(author)
        )
    if signer is not None:
        query = query.where(Draft.signer == signer)
    return list(session.scalars(query.order_by(Draft.updated_at.desc(), Draft.id.desc())))


def draft_events(session: Session, draft_id: int, actor: Actor) -> list[DraftEvent]:
    """Return the steps of a draft ``actor`` may see, oldest first."""
    get_draft(session, draft_id, actor)
    query = select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id)
    return list(session.scalars(query))


# --- writing ------------------------------------------------------------------------------------


def _record(
    session: Session,
    draft: Draft,
    step: DraftStep,
    *,
    actor: str,
    now: datetime,
    from_state: DraftState | None,
    to_state: DraftState | None,
    comment: str | None = None,
    paper: bool = False,
    **details: Any,
) -> None:
    """Add the step's draft event and audit event (the draft has its id by now)."""
    session.add(DraftEvent(draft_id=draft.id, kind=step, from_state=from_state, to_state=to_state,
                           actor=actor, at=now, comment=comment, paper=paper))  # fmt: skip
    audit(session, at=now, actor=actor, action=f"draft_{step}", target=draft,
          from_state=from_state, to_state=to_state, version=draft.version, **details)  # fmt: skip


def _flush(session: Session, draft: Draft) -> None:
    """Flush; another transaction's change of the same draft since we read it is a Conflict."""
    draft_id = draft.id  # read now: after a failed flush the row cannot be refreshed
    try:
        session.flush()
    except StaleDataError as exc:
        raise _stale(draft_id) from exc


def _stale(draft_id: int) -> Conflict:
    return Conflict(
        f"Dự thảo mã số {draft_id} vừa được người khác thay đổi. Hãy tải lại để xem bản mới "
        "nhất trước khi thao tác tiếp.",
        code="draft_version_conflict",
        id=draft_id,
    )


def _step(
    session: Session,
    draft_id: int,
    step: DraftStep,
    action: Action,
    message: str,
    *,
    actor: Actor,
    version: int | None,
) -> tuple[Draft, str, DraftState, DraftState | None]:
    """Return (draft, actor's name, state before, state after) of a step ``actor`` may take."""
    name = check_actor(actor)
    begin_write(session)
    draft = get_draft(session, draft_id, actor)
    obj: Any = draft.organisation_id if action is Action.ISSUE else facts(draft)
    require(actor, action, obj, message)
    if version is not None and version != draft.version:
        raise _stale(draft.id)
    before = DraftState(draft.state)
    return draft, name, before, next_state(before, step)


def _move(draft: Draft, to_state: DraftState | None, now: datetime) -> None:
    if to_state is None:
        draft.deleted_at = now
    else:
        draft.state = to_state
    draft.version += 1
    draft.updated_at = now


def create_draft(
    session: Session,
    *,
    actor: Actor,
    template: str,
    data: Mapping[str, Any] | None = None,
    signer: str | None = None,
    recipients: str | None = None,
    unit: str | None = None,
    register: str | None = None,
    renderer: DocumentRenderer,
    now: datetime,
) -> Draft:
    """Return a new draft in soạn thảo, of ``actor``'s organisation and authored by ``actor``.

    Drafters and registrars of the organisation draft (``Forbidden`` otherwise). The template
    must exist (``TemplateNotFound``); the chosen signer, recipient list and register must
    exist for the organisation (``FieldError``); the data may still be incomplete.
    """
    values = {"data": data if data is not None else {}, "signer": signer,
              "recipients": recipients, "unit": unit, "register": register}  # fmt: skip
    return _create(session, actor, template, values, renderer=renderer, now=now, origin={})


def _create(
    session: Session,
    actor: Actor,
    template: str,
    values: dict[str, Any],
    *,
    renderer: DocumentRenderer,
    now: datetime,
    origin: dict[str, Any],
) -> Draft:
    """Return the new draft of ``create_draft``; ``origin`` names a duplicated source."""
    name = check_actor(actor)
    if actor.user_id is None or actor.organisation is None:
        raise FieldError({"author": "dự thảo phải do một người dùng của cơ quan soạn"})
    require(actor, Action.RENDER_DRAFT, actor.organisation,
            "Chỉ chuyên viên hoặc văn thư của cơ quan được soạn dự thảo.")  # fmt: skip
    renderer.templates.get(template)
    begin_write(session)
    check_choices(session, actor.organisation, values)
    values["data"] = plain(dict(values["data"]))
    draft = Draft(organisation_id=actor.organisation, author_id=actor.user_id, template=template,
                  state=DraftState.SOAN_THAO, version=1, created_at=now, updated_at=now,
                  **values)  # fmt: skip
    session.add(draft)
    session.flush()
    _record(session, draft, DraftStep.CREATE, actor=name, now=now, from_state=None,
            to_state=DraftState.SOAN_THAO, template=template, **origin)  # fmt: skip
    session.flush()
    return draft


def update_draft(
    session: Session, draft_id: int, *, actor: Actor, version: int, now: datetime, **changes: Any
) -> Draft:
    """Return the draft after ``changes`` (of ``EDITABLE``) to its ``version``.

    The author and the organisation's registrar edit. Editing a draft sent for signature,
    returned or approved takes it back to soạn thảo. Changing nothing changes nothing.
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise FieldError({key: "trường này không sửa được trong dự thảo" for key in unknown})
    draft, name, before, after = _step(
        session, draft_id, DraftStep.EDIT, Action.EDIT_DRAFT,
        "Chỉ người soạn hoặc văn thư của cơ quan được sửa dự thảo.",
        actor=actor, version=version,
    )  # fmt: skip
    check_choices(session, draft.organisation_id, changes)
    if "data" in changes:
        changes["data"] = plain(dict(changes["data"]))
    changed = sorted(key for key, value in changes.items() if getattr(draft, key) != value)
    if not changed:
        return draft
    for key in changed:
        setattr(draft, key, changes[key])
    _move(draft, after, now)
    _flush(session, draft)
    _record(session, draft, DraftStep.EDIT, actor=name, now=now, from_state=before,
            to_state=after, changed=changed)  # fmt: skip
    session.flush()
    return draft


def submit(
    session: Session,
    draft_id: int,
    *,
    actor: Actor,
    version: int,
    renderer: DocumentRenderer,
    now: datetime,
) -> Draft:
    """Return the draft sent for signature (trình ký) to the signer it names.

    The data must be complete for its template (``FieldError`` per field) and the signer must
    have an active signer account of the organisation, or nobody could approve it.
    """
    draft, name, before, after = _step(
        session, draft_id, DraftStep.SUBMIT, Action.EDIT_DRAFT,
        "Chỉ người soạn hoặc văn thư của cơ quan được trình ký dự thảo.",
        actor=actor, version=version,
    )  # fmt: skip
    validate(session, draft, renderer)
    check_signer_account(session, draft)
    return _finish(session, draft, DraftStep.SUBMIT, name, before, after, now, signer=draft.signer)


def return_draft(
    session: Session, draft_id: int, *, actor: Actor, version: int, comment: str, now: datetime
) -> Draft:
    """Return the draft sent back to its author (trả lại) by its signer, with ``comment``."""
    draft, name, before, after = _step(
        session, draft_id, DraftStep.RETURN, Action.SIGN_DRAFT,
        "Chỉ người ký có tên trên dự thảo được trả lại dự thảo.", actor=actor, version=version,
    )  # fmt: skip
    text = comment.strip() if isinstance(comment, str) else ""
    if not text:
        raise FieldError({"comment": "cần ghi ý kiến khi trả lại dự thảo"})
    if len(text) > MAX_COMMENT:
        raise FieldError({"comment": f"ý kiến dài quá {MAX_COMMENT} ký tự"})
    draft.last_comment = text
    return _finish(session, draft, DraftStep.RETURN, name, before, after, now, comment=text)


def approve(session: Session, draft_id: int, *, actor: Actor, version: int, now: datetime) -> Draft:
    """Return the draft approved (đã duyệt) by the user linked to the signer it names."""
    draft, name, before, after = _step(
        session, draft_id, DraftStep.APPROVE, Action.SIGN_DRAFT,
        "Chỉ người ký có tên trên dự thảo được duyệt dự thảo.", actor=actor, version=version,
    )  # fmt: skip
    return _finish(session, draft, DraftStep.APPROVE, name, before, after, now, signer=draft.signer)


def record_paper_signature(
    session: Session,
    draft_id: int,
    *,
    actor: Actor,
    version: int,
    renderer: DocumentRenderer,
    now: datetime,
    comment: str | None = None,
) -> Draft:
    """Return the draft approved because its signer signed it on paper, as the registrar records.

    The draft must be complete and name its signer: that is who signed ("đã ký trên giấy").
    """
    draft, name, before, after = _step(
        session, draft_id, DraftStep.PAPER, Action.RECORD_PAPER_SIGNATURE,
        "Chỉ văn thư của cơ quan được ghi nhận dự thảo đã ký trên giấy.",
        actor=actor, version=version,
    )  # fmt: skip
    validate(session, draft, renderer)
    if not draft.signer:
        raise FieldError({"signer": "cần chọn người đã ký trên giấy"})
    text = (comment or "").strip()[:MAX_COMMENT] or None
    return _finish(session, draft, DraftStep.PAPER, name, before, after, now, comment=text,
                   paper=True, signer=draft.signer)  # fmt: skip


def issue_approved(
    session: Session,
    draft_id: int,
    *,
    actor: Actor,
    clock: Clock,
    renderer: DocumentRenderer,
    version: int | None = None,
) -> Document:
    """Return the document issued from an approved draft, which now links it (đã ban hành).

    Only a registrar of the issuing organisation issues. The number is taken in the caller's
    transaction by ``issue_document``; if it raises, the caller rolls back and the draft is
    still approved, no number spent.
    """
    draft, name, before, after = _step(
        session, draft_id, DraftStep.ISSUE, Action.ISSUE,
        "Chỉ văn thư của cơ quan ban hành được cấp số và ban hành văn bản.",
        actor=actor, version=version,
    )  # fmt: skip
    document = issue_document(session, issue_request(draft), actor=actor, clock=clock,
                              renderer=renderer)  # fmt: skip
    draft.document_id = document.id
    campaign_documents.document_issued(session, draft, document, actor=actor, now=clock.now())
    _finish(session, draft, DraftStep.ISSUE, name, before, after, clock.now(),
            document=document.id, notation=document.notation)  # fmt: skip
    return document


def delete_draft(
    session: Session, draft_id: int, *, actor: Actor, version: int, now: datetime
) -> None:
    """Delete a draft that is not issued (its row stays, hidden, for its history)."""
    draft, name, before, after = _step(
        session, draft_id, DraftStep.DELETE, Action.EDIT_DRAFT,
        "Chỉ người soạn hoặc văn thư của cơ quan được xóa dự thảo.", actor=actor, version=version,
    )  # fmt: skip
    _finish(session, draft, DraftStep.DELETE, name, before, after, now)


def duplicate(
    session: Session,
    *,
    actor: Actor,
    renderer: DocumentRenderer,
    now: datetime,
    draft_id: int | None = None,
    document_id: int | None = None,
) -> Draft:
    """Return a new soạn thảo draft with the template and data of a draft or an issued document.

    "Soạn văn bản tương tự": the signer, recipients, unit and register are kept when the
    source belongs to ``actor``'s organisation. A source the actor may not see is ``NotFound``.
    """
    if (draft_id is None) == (document_id is None):
        raise FieldError({"source": "chọn đúng một dự thảo hoặc một văn bản để soạn tương tự"})
    if draft_id is not None:
        source: Draft | Document = get_draft(session, draft_id, actor)
        origin = {"from_draft": draft_id}
    else:
        document = session.get(Document, document_id)
        facts = document_facts(session, document) if document is not None else None
        if facts is None or not visible(actor, facts):
            raise NotFound(f"Không có văn bản mã số {document_id} trong lưu trữ.", id=document_id)
        if facts.secret:  # its text would land in a draft the whole organisation reads
            raise FieldError({"source": "không soạn văn bản tương tự từ một văn bản mật"})
        source, origin = document, {"from_document": document_id}
    own = source.organisation_id == actor.organisation
    values = {
        "data": dict(source.data or {}),
        "signer": source.signer if own else None,
        "recipients": _recipients_of(source) if own else None,
        "unit": source.unit if own else None,
        "register": source.register if own and isinstance(source, Draft) else None,
    }
    return _create(session, actor, source.template, values, renderer=renderer, now=now,
                   origin=origin)  # fmt: skip


def _recipients_of(source: Draft | Document) -> str | None:
    return source.recipients if isinstance(source, Draft) else source.recipient_list


def _finish(
    session: Session,
    draft: Draft,
    step: DraftStep,
    name: str,
    before: DraftState,
    after: DraftState | None,
    now: datetime,
    *,
    comment: str | None = None,
    paper: bool = False,
    **details: Any,
) -> Draft:
    """Return ``draft`` moved by ``step``, flushed, with its events recorded."""
    _move(draft, after, now)
    _flush(session, draft)
    _record(session, draft, step, actor=name, now=now, from_state=before, to_state=after,
            comment=comment, paper=paper, **details)  # fmt: skip
    session.flush()
    return draft
