"""``docgen readers grant|revoke|list``: the named readers of a secret document, from the console.

Each command acts as the console operator, or as the account ``--as`` names (then the
issuer's registrar or admin only, as through the API), and owns its transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from docgen.cli.archive import _friendly, _session, actor_option
from docgen.policy import Actor

if TYPE_CHECKING:
    from docgen.services.readers import ReaderGrant


def _now() -> datetime:
    from docgen.db import get_clock

    return get_clock().now()


def _when(moment: datetime) -> str:
    from docgen.services.clock import VIETNAM

    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def describe(grant: ReaderGrant) -> str:
    """Return one line telling who may (or no longer may) read, since when and by whom."""
    line = f"{grant.username:<24} {grant.name:<32} "
    line += f"chỉ định {_when(grant.granted_at)} bởi {grant.granted_by}"
    if grant.revoked_at is not None:
        line += f"; thu hồi {_when(grant.revoked_at)} bởi {grant.revoked_by}"
    return line


@click.group("readers")
def readers() -> None:
    """Người được chỉ định đọc văn bản mật."""


@readers.command("grant")
@click.argument("document_id", type=int)
@click.argument("username")
@actor_option
@_friendly
def grant_command(document_id: int, username: str, actor: Actor) -> None:
    """Chỉ định người dùng của cơ quan ban hành được đọc một văn bản mật."""
    from docgen.services.readers import grant_reader

    with _session() as session:
        grant = grant_reader(session, document_id, username, actor=actor, now=_now())
        session.commit()
    click.echo(f"Đã chỉ định “{grant.username}” ({grant.name}) đọc văn bản mã số {document_id}.")


@readers.command("revoke")
@click.argument("document_id", type=int)
@click.argument("username")
@actor_option
@_friendly
def revoke_command(document_id: int, username: str, actor: Actor) -> None:
    """Thu hồi quyền đọc một văn bản mật của người dùng."""
    from docgen.services.readers import revoke_reader

    with _session() as session:
        grant = revoke_reader(session, document_id, username, actor=actor, now=_now())
        session.commit()
    click.echo(f"Đã thu hồi quyền đọc văn bản mã số {document_id} của “{grant.username}”.")


@readers.command("list")
@click.argument("document_id", type=int)
@click.option("--all", "show_all", is_flag=True, help="Cả những quyền đã thu hồi.")
@actor_option
@_friendly
def list_command(document_id: int, show_all: bool, actor: Actor) -> None:
    """Liệt kê người được chỉ định đọc một văn bản mật."""
    from docgen.services.readers import list_readers

    with _session() as session:
        grants = list_readers(session, document_id, actor=actor)
    shown = [g for g in grants if show_all or g.active]
    for grant in shown:
        click.echo(describe(grant))
    active = sum(g.active for g in grants)
    click.echo(f"{active} người đang được chỉ định đọc văn bản mã số {document_id}.")


COMMANDS = [readers]
