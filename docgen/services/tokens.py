"""Personal API tokens (``Authorization: Bearer``): shown once, stored as SHA-256, revocable.

A token acts as its user, with the user's organisation and roles, while the user is active.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import FieldError, NotFound
from docgen.models import ApiToken, User
from docgen.policy import Action, Actor, can, parse_roles
from docgen.rules.text import nfc
from docgen.services.archive import audit, require
from docgen.services.chain import sha256_hex

TOKEN_PREFIX = "dg_"
# Changes to accounts or tokens made in this process (revoke, disable, roles, password): the
# API's short-lived token cache (``docgen.identity``) drops what it holds when this moves.
_account_changes = [0]


def note_account_change() -> None:
    """Record that a token or a user changed, so cached token lookups of this process go."""
    _account_changes[0] += 1


def account_changes() -> int:
    """Return how many account or token changes this process has made."""
    return _account_changes[0]


TOUCH_EVERY = timedelta(minutes=5)  # last_used_at of a token: a write at most this often
_TOUCH = "docgen.tokens_to_touch"  # session.info key: token ids whose last_used_at is due


def create_token(
    session: Session, user: User, *, name: str, actor: Actor, now: datetime
) -> tuple[ApiToken, str]:
    """Return (the token row, the raw token): the raw token is shown once, never stored.

    A user creates their own tokens; an admin of the user's organisation may too.
    """
    if actor.user_id != user.id:
        require(actor, Action.MANAGE_USERS, user.organisation,
                "Bạn không có quyền tạo token cho tài khoản này.")  # fmt: skip
    name = nfc(name if isinstance(name, str) else "").strip() or "API"
    if len(name) > 100 or not name.isprintable():
        raise FieldError({"name": "tên token tối đa 100 ký tự, không có ký tự điều khiển"})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=sha256_hex(raw),
        prefix=raw[:10],
        created_at=now,
    )
    session.add(token)
    session.flush()
    audit(session, at=now, actor=actor.username, action="create_token", target=token,
          user=user.username, name=name, prefix=token.prefix)  # fmt: skip
    return token, raw


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """Return ``user``'s tokens, newest first (revoked ones included)."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, token_id: int, *, actor: Actor, now: datetime) -> ApiToken:
    """Return the token ``token_id`` after revoking it (again is harmless); 404 if not visible."""
    token = session.get(ApiToken, token_id)
    owner = session.get(User, token.user_id) if token is not None else None
    if (
        token is None
        or owner is None
        or not (actor.user_id == owner.id or can(actor, Action.MANAGE_USERS, owner.organisation))
    ):
        raise NotFound(f"Không có token mã số {token_id}.", id=token_id)
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        note_account_change()
        audit(session, at=now, actor=actor.username, action="revoke_token", target=token,
              user=owner.username, prefix=token.prefix)  # fmt: skip
    return token


_ACTOR_COLUMNS = (
    ApiToken.id, ApiToken.revoked_at, ApiToken.last_used_at, User.id, User.username,
    User.organisation, User.roles, User.name, User.signer, User.session_epoch, User.active,
)  # fmt: skip


def actor_for_token(session: Session, raw: str, *, now: datetime) -> Actor | None:
    """Return the actor a raw token acts as; None if unknown, revoked or its user disabled.

    The per-request path of the API: one SELECT of plain columns, no ORM objects (the
    identity map and attribute instrumentation cost more than the query). A due
    ``last_used_at`` is noted for ``record_token_use``, which writes it.
    """
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    row = session.execute(
        select(*_ACTOR_COLUMNS)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == sha256_hex(raw))
    ).first()
    if row is None:
        return None
    (
        token_id,
        revoked_at,
        last_used_at,
        user_id,
        username,
        org,
        roles,
        name,
        signer,
        epoch,
        active,
    ) = row
    if revoked_at is not None or not active:
        return None
    if last_used_at is None or now - last_used_at >= TOUCH_EVERY:
        session.info.setdefault(_TOUCH, set()).add(token_id)
    return Actor(
        username=username, organisation=org, roles=parse_roles(roles), user_id=user_id,
        name=name, signer=signer, epoch=epoch,
    )  # fmt: skip


def record_token_use(session: Session, *, now: datetime) -> bool:
    """Return whether ``last_used_at`` was due for tokens ``actor_for_token`` saw, after
    writing it (as a writer, in a new transaction of the session; the caller commits).
    """
    due = session.info.pop(_TOUCH, None)
    if not due:
        return False
    session.rollback()
    begin_write(session)
    stale = now - TOUCH_EVERY
    session.execute(
        update(ApiToken)
        .where(ApiToken.id.in_(sorted(due)))
        .where((ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < stale))
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return True
