"""``docgen users …`` and ``docgen tokens …``: accounts and API tokens from the server's console.

These commands act as the console operator (``system_actor("cli")``); each owns its
transaction. Passwords are read from standard input when it is piped, else generated
and printed once; API tokens are printed once and only their hash is stored.
"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from docgen.cli.archive import _friendly, _session
from docgen.errors import FieldError
from docgen.policy import ROLE_LABELS, Role, system_actor

CONSOLE = system_actor("cli")
ROLE_CHOICE = click.Choice([str(r) for r in Role])


def _now():
    from docgen.db import get_clock

    return get_clock().now()


def _piped_password() -> str | None:
    """Return the password piped on standard input (first line), or None at a terminal."""
    if sys.stdin is None or sys.stdin.isatty():
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    return line or None


def _user(session, username: str):
    from docgen.services.accounts import user_by_username

    user = user_by_username(session, username)
    if user is None:
        raise click.ClickException(f"Không có tài khoản “{username}”.")
    return user


def _field_errors(exc: FieldError) -> click.ClickException:
    lines = "\n".join(f"  {field}: {message}" for field, message in exc.fields.items())
    return click.ClickException(f"Dữ liệu không hợp lệ:\n{lines}")


@click.group("users")
def users() -> None:
    """Quản lý tài khoản người dùng."""


@users.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Họ và tên.")
@click.option("--org", "organisation", required=True, help="Mã cơ quan (vd. ubnd-tinh).")
@click.option("--role", "roles", type=ROLE_CHOICE, multiple=True, required=True,
              help="Vai trò (lặp lại cho nhiều vai trò).")  # fmt: skip
@click.option("--signer", help="Mã người ký (records/signers.yaml) cho vai trò signer.")
@click.option("--sample", is_flag=True, help="Đánh dấu là tài khoản mẫu (dùng thử).")
@with_appcontext
@_friendly
def add_user(username, name, organisation, roles, signer, sample) -> None:
    """Tạo tài khoản; mật khẩu đọc từ đầu vào chuẩn, hoặc được sinh và in ra một lần."""
    from docgen.services.accounts import create_user

    with _session() as session:
        try:
            user, generated = create_user(
                session, username=username, name=name, organisation=organisation,
                roles=list(roles), password=_piped_password(), signer=signer, sample=sample,
                actor=CONSOLE, now=_now(),
            )  # fmt: skip
        except FieldError as exc:
            raise _field_errors(exc) from exc
        session.commit()
    labels = ", ".join(ROLE_LABELS[Role(r)] for r in user.roles)
    click.echo(f"Đã tạo tài khoản “{user.username}” ({user.name}, {user.organisation}: {labels}).")
    if generated:
        click.echo(f"Mật khẩu (chỉ hiện một lần): {generated}")


@users.command("list")
@click.option("--org", "organisation", help="Chỉ tài khoản của cơ quan này.")
@with_appcontext
def list_users_command(organisation: str | None) -> None:
    """Liệt kê tài khoản."""
    from docgen.services.accounts import admin_missing_hint, list_users

    with _session() as session:
        found = list_users(session, organisation=organisation)
        hint = admin_missing_hint(session)
    for user in found:
        state = "" if user.active else " [đã khóa]"
        sample = " [mẫu]" if user.sample else ""
        signer = f" ký: {user.signer}" if user.signer else ""
        click.echo(
            f"{user.id:>4}  {user.username:<24} {user.organisation:<16} "
            f"{','.join(user.roles)}{signer}  {user.name}{state}{sample}"
        )
    click.echo(f"{len(found)} tài khoản.")
    if hint:
        click.echo(hint, err=True)


def _set_active(username: str, active: bool) -> None:
    from docgen.services.accounts import set_active

    with _session() as session:
        user = _user(session, username)
        set_active(session, user, active, actor=CONSOLE, now=_now())
        session.commit()


@users.command("disable")
@click.argument("username")
@with_appcontext
@_friendly
def disable_user(username: str) -> None:
    """Khóa tài khoản (mọi phiên đăng nhập và token của nó ngừng hiệu lực)."""
    _set_active(username, False)
    click.echo(f"Đã khóa tài khoản “{username}”.")


@users.command("enable")
@click.argument("username")
@with_appcontext
@_friendly
def enable_user(username: str) -> None:
    """Mở khóa tài khoản."""
    _set_active(username, True)
    click.echo(f"Đã mở khóa tài khoản “{username}”.")


@users.command("set-password")
@click.argument("username")
@with_appcontext
@_friendly
def set_password_command(username: str) -> None:
    """Đặt mật khẩu mới (đọc từ đầu vào chuẩn, hoặc nhập hai lần); đăng xuất mọi phiên."""
    from docgen.services.accounts import set_password

    password = _piped_password() or click.prompt(
        "Mật khẩu mới", hide_input=True, confirmation_prompt=True
    )
    with _session() as session:
        user = _user(session, username)
        try:
            set_password(session, user, password, actor=CONSOLE, now=_now())
        except FieldError as exc:
            raise _field_errors(exc) from exc
        session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho “{username}”; mọi phiên cũ đã bị đăng xuất.")


@users.command("set-roles")
@click.argument("username")
@click.option("--role", "roles", type=ROLE_CHOICE, multiple=True, required=True)
@with_appcontext
@_friendly
def set_roles_command(username: str, roles: tuple[str, ...]) -> None:
    """Thay vai trò của tài khoản; đăng xuất mọi phiên của nó."""
    from docgen.services.accounts import set_roles

    with _session() as session:
        user = _user(session, username)
        try:
            set_roles(session, user, list(roles), actor=CONSOLE, now=_now())
        except FieldError as exc:
            raise _field_errors(exc) from exc
        session.commit()
    click.echo(f"Vai trò mới của “{username}”: {', '.join(roles)}.")


@click.group("tokens")
def tokens() -> None:
    """Quản lý token truy cập API (Authorization: Bearer)."""


@tokens.command("create")
@click.argument("username")
@click.option("--name", default="API", show_default=True, help="Tên gợi nhớ của token.")
@with_appcontext
@_friendly
def create_token_command(username: str, name: str) -> None:
    """Tạo token cho tài khoản và in ra một lần."""
    from docgen.services.accounts import create_token

    with _session() as session:
        user = _user(session, username)
        token, raw = create_token(session, user, name=name, actor=CONSOLE, now=_now())
        session.commit()
    click.echo(f"Token mã số {token.id} của “{user.username}” (chỉ hiện một lần):", err=True)
    click.echo(raw)


@tokens.command("list")
@click.argument("username")
@with_appcontext
def list_tokens_command(username: str) -> None:
    """Liệt kê token của tài khoản (không bao giờ in lại token)."""
    from docgen.services.accounts import list_tokens

    with _session() as session:
        user = _user(session, username)
        found = list_tokens(session, user)
    for token in found:
        state = f"thu hồi {token.revoked_at:%d/%m/%Y}" if token.revoked_at else "hiệu lực"
        click.echo(f"{token.id:>4}  {token.prefix}…  {token.name}  {state}")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
@_friendly
def revoke_token_command(token_id: int) -> None:
    """Thu hồi token (ngừng hiệu lực ngay)."""
    from docgen.services.accounts import revoke_token

    with _session() as session:
        revoke_token(session, token_id, actor=CONSOLE, now=_now())
        session.commit()
    click.echo(f"Đã thu hồi token mã số {token_id}.")


COMMANDS = [users, tokens]
