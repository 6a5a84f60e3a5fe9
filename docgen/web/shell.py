"""The application shell: CSRF, Babel, security headers, static files and what every page sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import Babel, format_date, format_datetime, format_decimal
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

from docgen import policy

STATIC = Path(__file__).resolve().parent / "static"

csrf = CSRFProtect()
babel = Babel()

# No inline script or style anywhere: everything comes from 'self' (static/), nothing from
# another host. htmx is told not to inject its indicator styles (see base.html's htmx-config).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# The navigation: (endpoint, label). An entry shows when its endpoint exists in the app and
# policy.ROUTES lets the actor through; areas added later appear without touching base.html.
NAVIGATION: tuple[tuple[str, str], ...] = (
    ("archive.index", "Tra cứu văn bản"),
    ("drafting.index", "Soạn thảo"),
    ("board.index", "Khen thưởng"),
    ("nominations.index", "Giới thiệu điển hình"),
    ("jobs.index", "Công việc"),
    ("admin.users", "Quản trị người dùng"),
)
# A navigation entry may also depend on data (endpoint → actor → show?): the nominations desk
# shows only to organisations a campaign addresses. Areas register their check here.
NAVIGATION_WHEN: dict[str, Callable[[policy.Actor], bool]] = {}

# Endpoints whose view can redisplay its form after a CSRF failure (see ``keeps_input``).
_REDISPLAY_ATTR = "docgen_redisplay_on_csrf_error"


def keeps_input(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Return ``view`` marked as safe to call again when its POST lost its CSRF token.

    Only views whose every write goes through ``FlaskForm.validate_on_submit()`` may carry
    this mark: the form's own CSRF check fails again, so the view writes nothing and shows
    the form with what the user typed (password fields are never sent back).
    """
    setattr(view, _REDISPLAY_ATTR, True)
    return view


def redisplays_input(endpoint: str | None) -> bool:
    """Return whether ``endpoint``'s view was marked with ``keeps_input``."""
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, _REDISPLAY_ATTR, False))


def init_app(app: Flask) -> None:
    """Install CSRF, Babel, cookies, headers, static files and the pages' template folder."""
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a token lives as long as the session
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # _check_csrf decides (the API is exempt)
    app.config.setdefault("WTF_CSRF_I18N_ENABLED", False)
    secure = bool(app.config.get("DOCGEN_HTTPS"))
    for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
        app.config[f"{prefix}_HTTPONLY"] = True
        app.config[f"{prefix}_SAMESITE"] = "Lax"
        app.config[f"{prefix}_SECURE"] = secure
    app.static_folder = str(STATIC)

    csrf.init_app(app)
    babel.init_app(
        app,
        default_locale="vi",
        default_timezone=app.config.get("DOCGEN_TIMEZONE") or "Asia/Ho_Chi_Minh",
        locale_selector=lambda: "vi",
    )
    # Dates and numbers as Vietnamese readers write them (CLDR "vi"): 1.234 văn bản, 20/03/2017.
    app.jinja_env.filters.update(
        format_date=format_date, format_datetime=format_datetime, format_number=format_decimal
    )
    app.before_request(_check_csrf)
    app.after_request(_security_headers)
    app.context_processor(_shell_context)
    # One folder holds every page template (base.html, auth/, archive/, admin/, errors/, jobs/).
    app.register_blueprint(Blueprint("pages", __name__, template_folder="templates"))


def _check_csrf() -> None:
    """Check the CSRF token of every state-changing request that is not for the JSON API.

    The API is exempt: it authenticates by bearer token only, never by the session cookie
    (``docgen.identity``), so a cross-site page cannot act through it.
    """
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not request.path.startswith("/api/"):
        csrf.protect()


def _security_headers(response: Response) -> Response:
    """Return ``response`` with the security headers; HTML pages are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    if not request.path.startswith("/api/"):
        response.vary.add("Cookie")  # a page depends on who is signed in
    return response


def _shell_context() -> dict[str, Any]:
    """Return what base.html and every page may use: the actor and the policy's answers."""
    from docgen.identity import current_actor

    actor = current_actor()

    def may(endpoint: str) -> bool:
        """Return whether the actor passes ``endpoint``'s gate (and the endpoint exists)."""
        return endpoint in current_app.view_functions and bool(policy.route_allows(endpoint, actor))

    def can(action: str, obj: Any = None) -> bool:
        """Return the policy's answer for the actor (templates show a button only then)."""
        return policy.can(actor, policy.Action(action), obj)

    return {
        "actor": actor,
        "may": may,
        "can": can,
        "navigation": [
            (e, label)
            for e, label in NAVIGATION
            if may(e) and NAVIGATION_WHEN.get(e, lambda _actor: True)(actor)
        ],
        "role_list": role_list,
        "organisation_name": _organisation_name(actor.organisation),
    }


def role_list(roles: Any) -> str:
    """Return role names as users read them, in the order of ``policy.Role``."""
    held = {str(role) for role in roles}
    return ", ".join(label for role, label in policy.ROLE_LABELS.items() if role.value in held)


def _organisation_name(code: str | None) -> str:
    """Return the organisation's name as the header shows it ('' for none)."""
    if not code:
        return ""
    from docgen.db import get_session
    from docgen.models import OrganisationRow

    row = get_session().get(OrganisationRow, code)
    return row.name if row is not None else code
