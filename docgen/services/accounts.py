"""Accounts: users and their roles, passwords (argon2id), sign-in throttling; API tokens
(``docgen.services.tokens``) are re-exported here.

Services take a session and never commit. Every change to a user is an audit event (no
password or hash in it). A password, role or active change bumps the user's session epoch,
which signs that user out of every session (``docgen.identity`` checks the epoch).
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import FieldError, SignInError, SignInThrottled
from docgen.models import OrganisationRow, SignerRow, SignInFailure, User
from docgen.policy import Action, Actor, Role, parse_roles
from docgen.rules.text import nfc
from docgen.services.archive import audit, insert_ignore, require
from docgen.services.tokens import (  # the API tokens of users, here for one import
    create_token,
    list_tokens,
    note_account_change,
    record_token_use,
    revoke_token,
)

__all__ = [
    "SignInError",
    "SignInThrottled",
    "actor_for",
    "admin_missing_hint",
    "authenticate",
    "change_password",
    "create_token",
    "create_user",
    "get_user",
    "list_tokens",
    "list_users",
    "record_token_use",
    "revoke_token",
    "set_active",
    "set_password",
    "set_password_hasher",
    "set_roles",
    "user_by_username",
    "username_key",
]

log = logging.getLogger(__name__)

USERNAME = re.compile(r"[^\W_][\w.\-]{1,63}")  # letters (Vietnamese too), digits, . _ -
MAX_NAME = 100
MIN_PASSWORD, MAX_PASSWORD = 10, 1000
FREE_FAILURES = 5  # failed sign-ins in a row before the delay starts
FIRST_DELAY, MAX_DELAY = timedelta(seconds=15), timedelta(minutes=15)
SIGN_IN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_dummy_hash: str | None = None  # verified against when the user does not exist (same timing)


def set_password_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Return the hasher in use after replacing it (tests use cheap parameters)."""
    global _hasher, _dummy_hash
    previous, _hasher, _dummy_hash = _hasher, hasher, None
    return previous


def username_key(username: str) -> str:
    """Return the unique key of a username: NFC, stripped, case-folded."""
    return nfc(username).strip().casefold()


# --- users ------------------------------------------------------------------------------------


def get_user(session: Session, user_id: int) -> User | None:
    """Return the user ``user_id``, if there is one."""
    return session.get(User, user_id)


def user_by_username(session: Session, username: str) -> User | None:
    """Return the user signing in as ``username`` (any case), if there is one."""
    return session.scalars(select(User).where(User.username_key == username_key(username))).first()


def list_users(session: Session, *, organisation: str | None = None) -> list[User]:
    """Return the users (of ``organisation``, or all), by organisation then username."""
    query = select(User).order_by(User.organisation, User.username_key)
    if organisation is not None:
        query = query.where(User.organisation == organisation)
    return list(session.scalars(query))


def actor_for(user: User) -> Actor:
    """Return the immutable ``Actor`` a user acts as."""
    return Actor(
        username=user.username,
        organisation=user.organisation,
        roles=parse_roles(user.roles),
        user_id=user.id,
        name=user.name,
        signer=user.signer,
        epoch=user.session_epoch,
    )


def _require(actor: Actor, organisation: str) -> None:
    require(actor, Action.MANAGE_USERS, organisation,
            "Bạn không có quyền quản lý tài khoản của cơ quan này.")  # fmt: skip


def _check_password(password: str, username: str, problems: dict[str, str]) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        problems["password"] = f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự"
    elif len(password) > MAX_PASSWORD:
        problems["password"] = f"mật khẩu dài quá {MAX_PASSWORD} ký tự"
    elif "\x00" in password:
        problems["password"] = "mật khẩu chứa ký tự không hợp lệ"
    elif username and username_key(password) == username_key(username):
        problems["password"] = "mật khẩu không được trùng tên đăng nhập"


def _check_roles(
    session: Session, organisation: str, roles: object, signer: str | None, problems: dict
) -> list[str]:
    """Return the roles as stored (sorted names), recording problems with roles and signer."""
    names = [roles] if isinstance(roles, str) else list(roles or [])  # type: ignore[call-overload]
    try:
        parsed = parse_roles(str(n) for n in names)
    except ValueError as exc:
        problems["roles"] = str(exc)
        return []
    if not parsed:
        problems["roles"] = "cần ít nhất một vai trò"
    if signer:
        row = session.get(SignerRow, signer)
        if row is None:
            problems["signer"] = f"không có người ký mã “{signer}”"
        elif row.organisation != organisation:
            problems["signer"] = "người ký không thuộc cơ quan của tài khoản"
        elif Role.SIGNER not in parsed:
            problems["signer"] = "chỉ tài khoản có vai trò Lãnh đạo mới gắn với người ký"
    elif Role.SIGNER in parsed:
        problems["signer"] = "tài khoản Lãnh đạo cần gắn với hồ sơ người ký của mình"
    return sorted(str(r) for r in parsed)


def create_user(
    session: Session,
    *,
    username: str,
    name: str,
    organisation: str,
    roles: list[str] | list[Role] | frozenset[Role],
    password: str | None = None,
    signer: str | None = None,
    sample: bool = False,
    actor: Actor,
    now: datetime,
) -> tuple[User, str | None]:
    """Return (the new user, the generated password or None when ``password`` was given).

    Raises ``FieldError`` naming each bad field (Vietnamese), ``Forbidden`` when ``actor``
    may not manage users of ``organisation``.
    """
    problems: dict[str, str] = {}
    username = nfc(username if isinstance(username, str) else "").strip()
    name = nfc(name if isinstance(name, str) else "").strip()
    if not USERNAME.fullmatch(username):
        problems["username"] = (
            "tên đăng nhập gồm 2–64 chữ cái, chữ số hoặc . _ -, bắt đầu bằng chữ cái hoặc chữ số"
        )
    elif user_by_username(session, username) is not None:
        problems["username"] = "tên đăng nhập đã được dùng"
    if not name:
        problems["name"] = "cần ghi họ và tên"
    elif len(name) > MAX_NAME or not name.isprintable():
        problems["name"] = f"họ và tên tối đa {MAX_NAME} ký tự, không có ký tự điều khiển"
    org_row = session.get(OrganisationRow, organisation) if isinstance(organisation, str) else None
    if org_row is None:
        problems["organisation"] = f"không có cơ quan mã “{organisation}”"
    else:
        _require(actor, organisation)
    stored_roles = _check_roles(session, organisation, roles, signer or None, problems)
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(12)
    _check_password(password, username, problems)
    if problems:
        raise FieldError(problems)
    user = User(
        username=username,
        username_key=username_key(username),
        name=name,
        organisation=organisation,
        roles=stored_roles,
        signer=signer or None,
        active=True,
        password_hash=_hasher.hash(password),
        session_epoch=0,
        sample=sample,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit(session, at=now, actor=actor.username, action="create_user", target=user,
          username=username, organisation=organisation, roles=stored_roles, signer=user.signer,
          sample=sample)  # fmt: skip
    return user, generated


def _changed(session: Session, user: User, action: str, actor: Actor, now: datetime, **details):
    user.session_epoch += 1  # every session of the user ends (identity compares the epoch)
    session.flush()
    note_account_change()  # and no cached token lookup outlives the change
    audit(session, at=now, actor=actor.username, action=action, target=user,
          username=user.username, **details)  # fmt: skip


def set_password(session: Session, user: User, new: str, *, actor: Actor, now: datetime) -> None:
    """Set ``user``'s password (an admin's reset); signs the user out everywhere."""
    _require(actor, user.organisation)
    problems: dict[str, str] = {}
    _check_password(new, user.username, problems)
    if problems:
        raise FieldError(problems)
    user.password_hash = _hasher.hash(new)
    _changed(session, user, "set_password", actor, now)


def change_password(session: Session, user: User, old: str, new: str, *, now: datetime) -> None:
    """Change one's own password after checking the old one; ends every other session.

    The caller signs the current session in again (``identity.sign_in``) with the new epoch.
    """
    if not _verify(user.password_hash, old):
        raise FieldError({"old_password": "mật khẩu hiện tại không đúng"})
    problems: dict[str, str] = {}
    _check_password(new, user.username, problems)
    if not problems and new == old:
        problems["password"] = "mật khẩu mới phải khác mật khẩu hiện tại"
    if problems:
        raise FieldError(problems)
    user.password_hash = _hasher.hash(new)
    _changed(session, user, "change_password", actor_for(user), now)


def set_roles(
    session: Session,
    user: User,
    roles: list[str] | list[Role] | frozenset[Role],
    *,
    actor: Actor,
    now: datetime,
    signer: str | None = None,
) -> None:
    """Replace ``user``'s roles (the signer link goes with the signer role); signs them out.

    ``signer`` links a signer account to its signer record; None keeps the current link.
    """
    _require(actor, user.organisation)
    problems: dict[str, str] = {}
    names = [str(r) for r in roles]
    signer = (signer or user.signer) if Role.SIGNER.value in names else None
    stored = _check_roles(session, user.organisation, names, signer, problems)
    if problems:
        raise FieldError(problems)
    before = list(user.roles)
    user.roles, user.signer = stored, signer
    _changed(session, user, "set_roles", actor, now, before=before, roles=stored)


def set_active(session: Session, user: User, active: bool, *, actor: Actor, now: datetime) -> None:
    """Enable or disable ``user``; a disabled user's sessions and tokens stop working."""
    _require(actor, user.organisation)
    if actor.user_id is not None and actor.user_id == user.id and not active:
        raise FieldError({"active": "không thể tự khóa tài khoản của mình"})
    user.active = bool(active)
    _changed(session, user, "enable_user" if active else "disable_user", actor, now)


def admin_missing_hint(session: Session) -> str | None:
    """Return how to create the first admin when no active admin exists, else None."""
    admins = [u for u in session.scalars(select(User).where(User.active)) if "admin" in u.roles]
    if admins:
        return None
    return (
        "Chưa có tài khoản quản trị nào. Tạo tài khoản đầu tiên bằng lệnh: "
        'docgen users add TEN_DANG_NHAP --name "Họ và tên" --org MA_CO_QUAN --role admin '
        "(mật khẩu đọc từ đầu vào chuẩn, hoặc được sinh và in ra một lần)."
    )


# --- sign-in ----------------------------------------------------------------------------------


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(16))
    return _dummy_hash


def failure_delay(failures: int) -> timedelta:
    """Return how long sign-in stays refused after ``failures`` failures in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY)


def _record_failure(session: Session, key: str, now: datetime) -> None:
    """Count one more failure for ``key`` (atomically) and set its lock when due."""
    values = {"username_key": key, "failures": 0, "last_failure_at": now, "locked_until": None}
    insert_ignore(session, SignInFailure.__table__, values, ["username_key"])  # type: ignore[arg-type]
    failures = session.execute(
        update(SignInFailure)
        .where(SignInFailure.username_key == key)
        .values(failures=SignInFailure.failures + 1, last_failure_at=now)
        .returning(SignInFailure.failures)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    delay = failure_delay(failures)
    if delay:
        session.execute(
            update(SignInFailure)
            .where(SignInFailure.username_key == key)
            .values(locked_until=now + delay)
            .execution_options(synchronize_session=False)
        )
        log.warning(
            "sign-in: %d failures in a row for username %r; refused for %d s",
            failures, key, delay.total_seconds(),
        )  # fmt: skip


def authenticate(session: Session, username: str, password: str, *, now: datetime) -> User:
    """Return the active user whose username and password these are; records last_login_at.

    Raises ``SignInError`` with one message whatever failed (unknown user, wrong password,
    disabled account), or ``SignInThrottled`` with the wait in seconds while a username is
    locked after repeated failures. A failure is recorded in the session: the caller
    commits it also when this raises. The hash is upgraded when the parameters changed.

    The password is checked (the slow part) in a read; the session's transaction is then
    ended and a writer's begun, because SQLite cannot turn a reader into a writer once
    another connection has committed (concurrent sign-ins would fail with "locked").
    """
    key = username_key(username if isinstance(username, str) else "")[:64]
    password = password if isinstance(password, str) else ""
    record = (
        session.get(SignInFailure, key, populate_existing=True) if key else None
    )  # fresh: the counter is updated in SQL, around the identity map
    if record is not None and record.locked_until is not None and now < record.locked_until:
        wait = max(1, int((record.locked_until - now).total_seconds() + 0.999))
        log.warning("sign-in refused for username %r: locked for %d s more", key, wait)
        raise SignInThrottled(
            f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {wait} giây.", wait_seconds=wait
        )
    user = user_by_username(session, key) if key else None
    if user is None or len(password) > MAX_PASSWORD:
        _verify(_dummy(), password[:MAX_PASSWORD])  # the same work as for a real user
        ok = False
    else:
        ok = _verify(user.password_hash, password) and user.active
    user_id = user.id if ok and user is not None else None
    rehash = user_id is not None and _hasher.check_needs_rehash(user.password_hash)  # type: ignore[union-attr]
    had_failures = record is not None
    session.rollback()  # end the read (nothing was written), then write as a writer
    begin_write(session)
    if user_id is None:
        if key:
            _record_failure(session, key, now)
        raise SignInError(SIGN_IN_FAILED)
    if had_failures:
        session.execute(delete(SignInFailure).where(SignInFailure.username_key == key))
    user = session.get_one(User, user_id)
    if rehash:
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    session.flush()
    return user
