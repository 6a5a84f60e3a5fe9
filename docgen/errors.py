"""docgen's exception hierarchy: each error carries a code and a Vietnamese message.

Domain code raises these; the HTTP layer turns them into JSON errors, the CLI into
``click.ClickException``. Messages are for the people who read them (in Vietnamese),
``code`` is for programs.
"""

from __future__ import annotations

from typing import Any


class DocgenError(Exception):
    """Base class: ``code`` is machine-readable, ``message`` is Vietnamese for users."""

    code: str = "docgen_error"
    http_status: int = 400

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON body used by the API for this error."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class RuleError(DocgenError, ValueError):
    """A value breaks a Decree-30 rule (bad number, bad date, unknown document type...)."""

    code = "rule_violation"


class RecordsError(DocgenError):
    """The recorded reference data in ``records/`` is invalid; ``problems`` lists each one."""

    code = "records_invalid"

    def __init__(self, problems: list[Any]) -> None:
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"Dữ liệu tham chiếu không hợp lệ ({len(problems)} lỗi):\n{lines}")
        self.problems = problems


class TemplateNotFound(DocgenError):
    code = "template_not_found"
    http_status = 404


class FieldError(DocgenError):
    """Form data does not satisfy a template's field schema; ``fields`` maps name → message."""

    code = "invalid_fields"
    http_status = 422

    def __init__(self, fields: dict[str, str]) -> None:
        summary = "; ".join(f"{k}: {v}" for k, v in fields.items())
        super().__init__(f"Dữ liệu không hợp lệ — {summary}", fields=fields)
        self.fields = fields


class RenderError(DocgenError):
    """Rendering a template failed (a missing field, a broken template)."""

    code = "render_failed"
    http_status = 422


class NotFound(DocgenError):
    code = "not_found"
    http_status = 404


class Conflict(DocgenError):
    code = "conflict"
    http_status = 409


class ConversionError(DocgenError):
    """LibreOffice could not convert a document (missing, crashed, timed out)."""

    code = "conversion_failed"
    http_status = 503


class Unauthenticated(DocgenError):
    """No valid credentials came with a request that needs them (API: missing or bad token)."""

    code = "unauthenticated"
    http_status = 401


class Forbidden(DocgenError):
    """The actor is known but may not do this (for an object it may see; else ``NotFound``)."""

    code = "forbidden"
    http_status = 403


class SignInError(DocgenError):
    """Sign-in refused; one message whatever failed, so it never tells which usernames exist."""

    code = "sign_in_failed"
    http_status = 401


class SignInThrottled(SignInError):
    """Too many failed sign-ins for a username: refused until ``wait_seconds`` have passed."""

    code = "sign_in_throttled"
    http_status = 429


class TooManyRequests(DocgenError):
    """A per-user limit is reached (e.g. concurrent conversions); try again shortly."""

    code = "too_many_requests"
    http_status = 429
