"""Saving the drafting form: what was typed is always kept; problems are shown, not refused.

A save stores the posted data as typed (drafts may be incomplete) and then checks it against
the template's schema for the messages next to the fields. A signer, register or recipient
list the service refuses is left unchanged while the data is still saved. Only a version
conflict (another tab or person saved first) or a draft that can no longer change stops it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import g, request
from werkzeug.datastructures import MultiDict

from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import Conflict, FieldError
from docgen.models import Draft
from docgen.policy import Actor
from docgen.rendering.fields import check_fields
from docgen.rendering.schema import TemplateSpec
from docgen.rules.drafts import DraftState
from docgen.services import drafts
from docgen.web.drafting import recipients as recipients_part
from docgen.web.drafting.formdata import data_from_form
from docgen.web.drafting.preview import start_build
from docgen.web.forms import whole_number

CHOICES = ("signer", "register", "unit")
# States whose draft a save takes back to soạn thảo: the clerk confirms it first.
RESETS = (DraftState.TRINH_KY, DraftState.DA_DUYET)
CONFIRM = "confirm_reset"


@dataclass
class Posted:
    """What the form posted, read once: the data, the draft's choices and the version."""

    data: dict[str, Any]
    choices: dict[str, str | None]
    version: int | None
    confirmed: bool
    form: MultiDict


@dataclass
class Outcome:
    """What a save did: the saved version, the problems and messages to show."""

    saved: bool = False
    changed: bool = False
    version: int | None = None
    problems: dict[str, str] = field(default_factory=dict)  # schema check, by field key
    choice_errors: dict[str, str] = field(default_factory=dict)  # signer/register/unit/…
    message: str = ""  # why nothing was saved (conflict, issued, not confirmed)
    status: int = 200


def read_posted(spec: TemplateSpec) -> Posted:
    """Return what the request's form posted for a draft of ``spec``."""
    form = request.form
    raw_version = (form.get("version") or "").strip()
    return Posted(
        data=data_from_form(spec.fields, form),
        choices={key: (form.get(key) or "").strip() or None for key in CHOICES},
        version=whole_number(raw_version),
        confirmed=form.get(CONFIRM) == "1",
        form=form,
    )


def schema_problems(spec: TemplateSpec, data: dict[str, Any]) -> dict[str, str]:
    """Return the template schema's messages for ``data``, by field key ("body[3]")."""
    return check_fields(spec.fields, data)[1]


def save(draft: Draft, spec: TemplateSpec, posted: Posted, actor: Actor) -> Outcome:
    """Return the outcome of saving ``posted`` to ``draft`` (committed when saved)."""
    outcome = Outcome(problems=schema_problems(spec, posted.data))
    if g.get("csrf_error"):  # never write on a refused token; the page shows the input
        outcome.message = "Chưa lưu: biểu mẫu thiếu mã bảo vệ (CSRF)."
        outcome.status = 400
        return outcome
    if posted.version is None:
        outcome.message = "Biểu mẫu thiếu số phiên bản của dự thảo; hãy tải lại trang."
        outcome.status = 422
        return outcome
    if DraftState(draft.state) in RESETS and not posted.confirmed:
        outcome.message = (
            f"Dự thảo đang ở trạng thái “{DraftState(draft.state).label}”: lưu thay đổi sẽ đưa "
            "nó về “Soạn thảo” và phải trình ký lại. Đánh dấu ô xác nhận rồi bấm Lưu lần nữa."
        )
        outcome.status = 422
        return outcome
    session = get_session()
    now = get_clock().now()
    code, recipient_errors = recipients_part.recipients_from_form(
        session, draft, posted.form, actor=actor, now=now
    )
    outcome.choice_errors.update(recipient_errors)
    changes: dict[str, Any] = {"data": posted.data, **posted.choices}
    if not recipient_errors:
        changes["recipients"] = code
    draft_id, before = draft.id, draft.version
    session.rollback()  # the view's reads end; the write begins as a writer (see web.forms)
    for _attempt in range(2):
        begin_write(session)
        try:
            saved = drafts.update_draft(
                session, draft_id, actor=actor, version=posted.version, now=now, **changes
            )
        except FieldError as exc:
            session.rollback()
            refused = {k: v for k, v in exc.fields.items() if k in changes and k != "data"}
            if not refused or _attempt:
                outcome.choice_errors.update(exc.fields)
                outcome.status = 422
                return outcome
            outcome.choice_errors.update(refused)  # keep the old choice, still save the data
            for key in refused:
                changes.pop(key)
            continue
        except Conflict as exc:
            session.rollback()
            outcome.message = exc.message
            outcome.status = 409
            return outcome
        outcome.version = saved.version
        outcome.changed = saved.version != before
        session.commit()
        outcome.saved = True
        if outcome.changed:  # page 1 is built while the preview panel waits out its pause
            start_build(draft_id, saved.version, actor)
        return outcome
    return outcome  # pragma: no cover (the loop returns)


def saved_trigger(version: int) -> dict[str, str]:
    """Return the header that tells the page (and its preview panel) a version was saved."""
    return {"HX-Trigger": json.dumps({"draft-saved": {"version": version}})}


def saved_at(now: datetime | None = None) -> datetime:
    """Return the time a save happened, as the status line shows it."""
    return now or get_clock().now()
