"""Placeholder: the recipients part of the drafting form (issue 9 work replaces it).

The contract the form's save handler relies on stays: ``recipients_from_form``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from docgen.models.drafts import Draft
from docgen.policy import Actor


def recipients_from_form(
    session: Session, draft: Draft, form: MultiDict, *, actor: Actor, now: datetime
) -> tuple[str | None, dict[str, str]]:
    """Return the recipient list code the draft should name, and errors by form field name."""
    code = (form.get("recipients") or "").strip() or None
    return code, {}
