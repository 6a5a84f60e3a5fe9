"""The hash chain of a register (design D7): canonical JSON, sealing a link, the chain head.

Each document, status event and rendition of a register is a link: its ``sealed`` column is
the canonical JSON of its content (including ``prev_hash``), and ``row_hash`` is the SHA-256
of that JSON. The register row holds the head (last ``chain_seq`` and ``head_hash``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from docgen.models import Register
from docgen.models.archive import ChainLink


def plain(value: Any) -> Any:
    """Return ``value`` as JSON-ready data: dates as ISO text, tuples as lists, UTC times."""
    if isinstance(value, datetime):
        # Naive values are UTC (as SQLite returns them); both backends hash the same text.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def canonical_json(data: Any) -> str:
    """Return the one JSON text of ``data``: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(data: bytes | str) -> str:
    """Return the SHA-256 of ``data`` (text is hashed as UTF-8) in hex."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def lock_register(session: Session, register_id: int) -> tuple[int, str]:
    """Return (next chain_seq, current head hash), holding the register's row lock.

    The UPDATE takes the row lock on PostgreSQL (SQLite's writer already holds the database);
    concurrent writers of the same register queue here, so links are appended one at a time.
    """
    row = session.execute(
        update(Register)
        .where(Register.id == register_id)
        .values(chain_seq=Register.chain_seq + 1)
        .returning(Register.chain_seq, Register.head_hash)
        .execution_options(synchronize_session=False)
    ).one()
    return row.chain_seq, row.head_hash


def seal(link: ChainLink, content: dict[str, Any], *, seq: int, prev_hash: str) -> None:
    """Fill ``link``'s chain columns from ``content`` (its metadata) and its predecessor."""
    link.chain_seq = seq
    link.prev_hash = prev_hash
    body = {**content, "chain_seq": seq, "prev_hash": prev_hash}
    link.sealed = canonical_json(body)
    link.row_hash = sha256_hex(link.sealed)


def advance_head(session: Session, register_id: int, row_hash: str) -> None:
    """Make ``row_hash`` the head of the register's chain (after its link was inserted)."""
    session.execute(
        update(Register)
        .where(Register.id == register_id)
        .values(head_hash=row_hash)
        .execution_options(synchronize_session=False)
    )
