"""Form pieces every area shares: Vietnamese messages for WTForms, role choices, text limits,
and the one way a form view commits a service's change or shows its ``FieldError``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import g
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from docgen.database import begin_write
from docgen.db import get_session
from docgen.errors import FieldError
from docgen.policy import ROLE_LABELS, Role

T = TypeVar("T")

USERNAME_MAX = 64
NAME_MAX = 100
PASSWORD_MAX = 256  # far above any real passphrase; refuses a 10,000-character paste at once


def required(what: str) -> DataRequired:
    """Return a "must not be blank" validator whose message names ``what`` in Vietnamese."""
    return DataRequired(message=f"Chưa nhập {what}.")


def required_raw(what: str) -> InputRequired:
    """Return a "must not be empty" validator that keeps spaces (for passwords)."""
    return InputRequired(message=f"Chưa nhập {what}.")


def at_most(limit: int, what: str) -> Length:
    """Return a length validator with a Vietnamese message."""
    return Length(max=limit, message=f"{what} dài quá {limit} ký tự.")


def strip(value: Any) -> Any:
    """Return ``value`` without surrounding spaces (a WTForms filter)."""
    return value.strip() if isinstance(value, str) else value


class Form(FlaskForm):
    """Every page form: never "submitted" while the request's CSRF check has failed.

    After a CSRF failure the error page calls the view again so the form comes back with
    what was typed (``shell.keeps_input``). The form's own token check is not enough to stop
    a write then: Flask-WTF also refuses a good token on other grounds (an HTTPS request
    without a same-origin Referer), which the form does not check.
    """

    def validate_on_submit(self, extra_validators: Any = None) -> bool:
        if g.get("csrf_error"):
            return False
        return super().validate_on_submit(extra_validators=extra_validators)


class RolesField(SelectMultipleField):
    """Checkboxes for the six roles; unknown values get a Vietnamese message, not WTForms'."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role])
        super().__init__(label, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata([value for value in valuelist if value])  # "" ticks nothing

    def pre_validate(self, form: Any) -> None:
        known = {role.value for role in Role}
        for value in self.data or ():
            if value not in known:
                raise ValidationError("Vai trò không hợp lệ.")
        if not self.data:
            raise ValidationError("Chọn ít nhất một vai trò.")


def show_errors(form: FlaskForm, exc: FieldError, aliases: Mapping[str, str] | None = None) -> None:
    """Put a service's per-field messages next to the fields they name (else above the form).

    ``aliases`` maps a service's field name to the form's, where they differ.
    """
    for key, message in exc.fields.items():
        text = message[:1].upper() + message[1:]
        text = text if text.endswith(".") else text + "."
        field = getattr(form, (aliases or {}).get(key, key), None)
        if field is None or key == "csrf_token":
            form.form_errors.append(text)
        else:
            field.errors = [*field.errors, text]


def run_write(change: Callable[[Session], T]) -> T:
    """Return what ``change`` returned after running it (one service call) as a writer and
    committing; any exception rolls the transaction back and goes on up to the view.

    The view's reads (its loader, the form's choices) end here and the change begins as a
    writer: on SQLite a read transaction upgraded to a write fails at once ("database is
    locked") under a concurrent writer instead of waiting its turn. Objects the view loaded
    are reloaded inside the write transaction on first use.
    """
    session = get_session()
    session.rollback()
    begin_write(session)
    try:
        result = change(session)
    except Exception:
        session.rollback()
        raise
    session.commit()
    return result


def commit_change(
    form: FlaskForm,
    change: Callable[[Session], T],
    aliases: Mapping[str, str] | None = None,
) -> tuple[bool, T | None]:
    """Return (committed, what ``change`` returned) after running one service call.

    A ``FieldError`` rolls the transaction back and lands on the form's fields: the view
    then shows the form again, with what was typed.
    """
    try:
        return True, run_write(change)
    except FieldError as exc:
        show_errors(form, exc, aliases)
        return False, None


def whole_number(raw: object, *, digits: int = 9) -> int | None:
    """Return ``raw`` as a non-negative int when it is 1..``digits`` ASCII digits, else None.

    ``str.isdigit`` accepts "²" and other Unicode digits that ``int`` refuses, and a
    thousand-digit "year" would overflow a database column: neither reaches a view.
    """
    text = str(raw or "").strip()
    if not (0 < len(text) <= digits and text.isascii() and text.isdigit()):
        return None
    return int(text)


def year_number(raw: object) -> int | None:
    """Return a plausible year (1900–2100) typed as four ASCII digits, else None."""
    year = whole_number(raw, digits=4)
    return year if year is not None and 1900 <= year <= 2100 else None
