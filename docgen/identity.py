"""Who is acting in a request: Flask-Login sessions for pages, Bearer tokens for the API.

``init_app`` installs one ``before_request`` that resolves ONE immutable ``Actor`` into
``g.actor`` and gates the endpoint with ``policy.route_allows``: an endpoint the policy
does not name is a 500 (and logged) — nothing is reachable by forgetting it. API requests
are authenticated only by ``Authorization: Bearer`` (never by a cookie, so a cross-site page
cannot act through the API); pages by the session cookie, whose user id carries the
session epoch so that a password or role change ends every session of that user.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy.exc import OperationalError

from docgen import policy
from docgen.errors import Forbidden, TooManyRequests, Unauthenticated
from docgen.models import User
from docgen.policy import ANONYMOUS, Actor

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
TOKEN_CACHE_SECONDS = 2.0  # a revoked token works on another app server at most this long
_READS = frozenset({"GET", "HEAD", "OPTIONS"})
CONVERSIONS_PER_USER = 2  # LibreOffice conversions at once per user, per app process
_conversions: dict[str, int] = {}
_conversions_lock = threading.Lock()


def init_app(app: Flask) -> None:
    """Install Flask-Login and the per-request actor and route gate on ``app``."""
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    manager.login_message_category = "info"
    manager.user_loader(_load_user)
    app.extensions["docgen.token_cache"] = TokenCache()
    manager.init_app(app)
    app.before_request(_resolve_and_gate)
    app.after_request(_challenge)


def _challenge(response: Response) -> Response:
    """Return ``response`` with the Bearer challenge on the API's 401s (RFC 6750)."""
    if response.status_code == 401 and is_api_request():
        response.headers["WWW-Authenticate"] = 'Bearer realm="docgen"'
    return response


def _load_user(user_id: str) -> User | None:
    """Return the user of a session id "id:epoch", or None once the epoch moved on."""
    from docgen.db import get_session
    from docgen.services.accounts import get_user

    raw_id, _, raw_epoch = user_id.partition(":")
    if not (raw_id.isdigit() and raw_epoch.isdigit()):
        return None
    user = get_user(get_session(), int(raw_id))
    if user is None or not user.active or user.session_epoch != int(raw_epoch):
        return None
    return user


def current_actor() -> Actor:
    """Return the actor of the current request (``ANONYMOUS`` outside one or when unknown)."""
    return g.get("actor", ANONYMOUS) if has_request_context() else ANONYMOUS


def is_api_request() -> bool:
    """Return whether the request is for the JSON API (bearer tokens, JSON errors)."""
    return request.path.startswith(API_PREFIX)


def _bearer_actor() -> Actor:
    """Return the actor of the request's bearer token, ANONYMOUS without one; 401 if bad."""
    from docgen.db import get_clock, get_session
    from docgen.services.tokens import actor_for_token, record_token_use

    header = request.headers.get("Authorization")
    if header is None:
        return ANONYMOUS
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthenticated("Cần gửi token theo dạng “Authorization: Bearer <token>”.")
    raw = raw.strip()
    cached = _token_cache(current_app).get(raw)
    if cached is not None:
        return cached
    db_session = get_session()
    now = get_clock().now()
    actor = actor_for_token(db_session, raw, now=now)
    if actor is None:
        raise Unauthenticated("Token không hợp lệ, đã bị thu hồi hoặc tài khoản đã bị khóa.")
    _token_cache(current_app).put(raw, actor)
    if request.method not in _READS:  # a writer must begin its own (BEGIN IMMEDIATE on SQLite)
        db_session.rollback()
    try:
        if record_token_use(db_session, now=now):
            db_session.commit()
    except OperationalError:  # a busy database must not refuse the request for this
        db_session.rollback()
        log.warning("could not record the use of a token of %s", actor.username)
    return actor


class TokenCache:
    """Bearer token → actor for ``TOKEN_CACHE_SECONDS``: the API's per-request lookup.

    The SELECT behind a token costs about as much as a small API request's own work; a
    client sends the same token many times a second. An entry lives briefly and is dropped
    as soon as this process changes any account or token (``note_account_change``), so a
    revocation, a disabled user or new roles reach other app servers within
    ``TOKEN_CACHE_SECONDS`` and this one at once. Keys are the tokens' SHA-256, never the
    tokens themselves.
    """

    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS, size: int = 10_000) -> None:
        self.ttl, self.size = ttl, size
        self._entries: dict[str, tuple[Actor, float, int]] = {}
        self._lock = threading.Lock()

    def get(self, raw: str) -> Actor | None:
        from docgen.services.tokens import account_changes

        entry = self._entries.get(_digest(raw))
        if entry is None:
            return None
        actor, expires, changes = entry
        if time.monotonic() >= expires or changes != account_changes():
            return None
        return actor

    def put(self, raw: str, actor: Actor) -> None:
        from docgen.services.tokens import account_changes

        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # a burst of distinct tokens: start again
            self._entries[_digest(raw)] = (actor, time.monotonic() + self.ttl, account_changes())


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _token_cache(app: Flask) -> TokenCache:
    return app.extensions["docgen.token_cache"]


def _session_actor() -> Actor:
    from docgen.services.accounts import actor_for

    user = current_user
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return actor_for(user)  # type: ignore[arg-type]


def _resolve_and_gate() -> Response | None:
    endpoint = request.endpoint
    g.actor = ANONYMOUS
    if endpoint is None:  # no route matched: let Flask answer 404 / 405
        return None
    g.actor = _bearer_actor() if is_api_request() else _session_actor()
    allowed = policy.route_allows(endpoint, g.actor)
    if allowed is None:
        log.error("endpoint %r is not named in policy.ROUTES: refused", endpoint)
        if current_app.testing:
            raise RuntimeError(f"endpoint {endpoint!r} is not named in docgen.policy.ROUTES")
        return _plain(500, "Lỗi cấu hình quyền truy cập.")
    if allowed:
        return None
    if not g.actor.authenticated:
        return _unauthenticated()
    raise Forbidden("Bạn không có quyền thực hiện thao tác này.")


def _unauthenticated() -> Response:
    if is_api_request():
        raise Unauthenticated("Cần đăng nhập: gửi “Authorization: Bearer <token>”.")
    login_view = current_app.login_manager.login_view  # type: ignore[attr-defined]
    if login_view and login_view in current_app.view_functions:
        return redirect(url_for(login_view, next=request.full_path.rstrip("?")))
    return _plain(401, "Cần đăng nhập.")


def _plain(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain")


def sign_in(user: User) -> None:
    """Start a fresh session for ``user``: the old session's contents are dropped first."""
    session.clear()  # no fixation: nothing of the anonymous session survives sign-in
    login_user(user)
    from docgen.services.accounts import actor_for

    g.actor = actor_for(user)


def sign_out() -> None:
    """End the current session."""
    logout_user()
    session.clear()
    g.actor = ANONYMOUS


@contextmanager
def conversion_slot(actor: Actor | None = None) -> Iterator[None]:
    """Hold one of the actor's concurrent-conversion slots; 429 when all are busy.

    One user's large drafts must not hold every LibreOffice worker while other clerks wait
    (measured: two large requests slowed another clerk's 1-page draft from 0.1 s to 3.9 s).
    The count is per app process; the converter pool bounds the total.
    """
    who = (actor or current_actor()).username or "?"
    with _conversions_lock:
        if _conversions.get(who, 0) >= CONVERSIONS_PER_USER:
            raise TooManyRequests(
                f"Bạn đang có {CONVERSIONS_PER_USER} yêu cầu chuyển PDF chưa xong. "
                "Vui lòng đợi chúng xong rồi thử lại.",
                limit=CONVERSIONS_PER_USER,
            )
        _conversions[who] = _conversions.get(who, 0) + 1
    try:
        yield
    finally:
        with _conversions_lock:
            left = _conversions[who] - 1
            if left:
                _conversions[who] = left
            else:
                del _conversions[who]
