"""The draft's own choices on the form: its signer, register and drafting unit, and the
labels the lists show (template names, summaries, authors)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.domain import Authority, Signer
from docgen.errors import DocgenError
from docgen.models import Draft, OrganisationRow, Register, SignerRow, User
from docgen.rendering.schema import TemplateSpec
from docgen.rules.signers import signer_block
from docgen.services.archive import SECRET_KIND


@dataclass(frozen=True)
class Option:
    value: str
    label: str


def signer_label(row: SignerRow) -> str:
    """Return how the signer select names a signer: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH — Họ Tên"."""
    try:
        authority = Authority(row.authority)
        block = signer_block(
            Signer(
                code=row.code,
                name=row.name,
                organisation=row.organisation,
                title=row.title,
                authority=authority,
                head_title=row.head_title,
                collective=row.collective,
                deputy_for=row.deputy_for,
            )
        )
        return f"{' / '.join(block.lines)} — {block.name}"
    except (ValueError, DocgenError):  # a record the rules refuse still shows, plainly
        prefix = "" if row.authority == Authority.IN_PERSON else f"{row.authority}. "
        return f"{prefix}{row.title} — {row.name}"


def signer_options(session: Session, organisation: str) -> list[Option]:
    """Return the signers of ``organisation`` only, as the signer select lists them."""
    rows = session.scalars(
        select(SignerRow).where(SignerRow.organisation == organisation).order_by(SignerRow.name)
    )
    return [Option(row.code, signer_label(row)) for row in rows]


def register_options(session: Session, organisation: str) -> list[Option]:
    """Return the organisation's registers a draft may name (never a secret one)."""
    rows = session.scalars(
        select(Register)
        .where(Register.organisation == organisation, Register.kind != SECRET_KIND)
        .order_by(Register.name)
    )
    return [Option(row.code, row.name) for row in rows]


def unit_options(session: Session, organisation: str) -> list[Option]:
    """Return the organisation's units (phòng, ban) that may draft."""
    row = session.get(OrganisationRow, organisation)
    units = row.units if row is not None else []
    return [Option(str(u.get("code")), f"{u.get('name')} ({u.get('code')})") for u in units]


def author_names(session: Session, organisation: str | None) -> dict[int, str]:
    """Return user id → the name the lists show, for the users of ``organisation``."""
    if organisation is None:
        return {}
    users = session.scalars(select(User).where(User.organisation == organisation))
    return {user.id: user.name or user.username for user in users}


def author_options(session: Session, organisation: str | None) -> list[Option]:
    """Return the users of ``organisation`` as the author filter lists them."""
    if organisation is None:
        return []
    users = session.scalars(
        select(User).where(User.organisation == organisation).order_by(User.username)
    )
    return [Option(user.username, user.name or user.username) for user in users]


def summary_of(draft: Draft, spec: TemplateSpec | None) -> str:
    """Return the draft's trích yếu (or what stands for it), as its lists show it."""
    data: Any = draft.data if isinstance(draft.data, dict) else {}
    name = spec.summary_field if spec is not None else "summary"
    value = data.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""
