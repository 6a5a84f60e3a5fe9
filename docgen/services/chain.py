"""The hash chain of a register (design D7): what each link seals, canonical JSON, the chain head.

Each document, status event and rendition of a register is a link: its ``sealed`` column is
the canonical JSON of its content (including ``prev_hash``), and ``row_hash`` is the SHA-256
of that JSON. The register row holds the head (last ``chain_seq`` and ``head_hash``).

What a link seals is defined here once — ``document_content``, ``event_content`` and
``rendition_content`` — and used both by the writers and by ``verify``. The sealed fields are
named explicitly: a column added to a table later is not sealed unless it is added here, so
archives sealed before it still verify the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from docgen.models import Register
from docgen.models.archive import ChainLink

# The columns of ``document`` a document's link seals, in Appendix VI order where they come
# from it. Not sealed: the chain columns themselves, the row id, and ``organisation_id`` (who
# owns the row for authorisation, added after archives were sealed; it equals ``issuer``).
DOCUMENT_SEALED_COLUMNS = (
    "register_id", "year", "number", "symbol", "symbol_key", "doctype", "template", "issuer",
    "signer", "recipient_list", "unit",
    "file_organ_id", "file_catalog", "file_notation", "doc_ordinal", "type_name", "code_number",
    "code_notation", "issued_date", "organ_name", "organ_key", "subject", "language",
    "page_amount", "description", "signer_position", "signer_name", "signer_key", "priority",
    "issued_amount", "due_date",
    "title", "number_line", "date_line", "signer_lines", "data", "blob_sha256", "issued_at",
    "actor",
)  # fmt: skip
EVENT_SEALED_COLUMNS = (
    "register_id", "document_id", "kind", "related_document_id", "reason", "actor", "at",
)  # fmt: skip
RENDITION_SEALED_COLUMNS = (
    "kind", "register_id", "document_id", "blob_sha256", "page_count", "actor", "created_at",
)  # fmt: skip


def document_content(
    document: Any, to: Sequence[Sequence[str | None]], text_sha256: str | None
) -> dict[str, Any]:
    """Return what a document's link seals: its metadata, its recipients, its text's hash.

    ``document`` is a ``Document`` or a row of its table; ``to`` is field 13 as
    (OrganId, OrganName) pairs in their printed order.
    """
    content = _columns(document, DOCUMENT_SEALED_COLUMNS)
    content["to"] = [list(pair) for pair in to]
    content["text_sha256"] = text_sha256
    return content


def event_content(
    event: Any, document_hash: str | None, related_hash: str | None
) -> dict[str, Any]:
    """Return what a status event's link seals, naming documents by their own row hashes."""
    content = _columns(event, EVENT_SEALED_COLUMNS)
    content["document_hash"] = document_hash
    content["related_document_hash"] = related_hash
    return content


def rendition_content(rendition: Any, document_hash: str | None) -> dict[str, Any]:
    """Return what a rendition's link seals: what it is and the document it renders."""
    content = _columns(rendition, RENDITION_SEALED_COLUMNS)
    content["document_hash"] = document_hash
    return content


def _columns(row: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


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


def sealed_body(content: dict[str, Any], *, seq: int, prev_hash: str) -> dict[str, Any]:
    """Return the whole of what a link seals: its content and its place in the chain."""
    return {**content, "chain_seq": seq, "prev_hash": prev_hash}


def seal(link: ChainLink, content: dict[str, Any], *, seq: int, prev_hash: str) -> None:
    """Fill ``link``'s chain columns from ``content`` (its metadata) and its predecessor."""
    link.chain_seq = seq
    link.prev_hash = prev_hash
    link.sealed = canonical_json(sealed_body(content, seq=seq, prev_hash=prev_hash))
    link.row_hash = sha256_hex(link.sealed)


def append_link(session: Session, link: ChainLink, content: dict[str, Any]) -> None:
    """Make ``link`` the next link of its register's chain: seal it, insert it, move the head.

    ``content`` is what the link seals (``event_content``, ``rendition_content``…). The
    register's row lock is taken here and held until the caller's transaction ends.
    """
    seq, prev_hash = lock_register(session, link.register_id)
    seal(link, content, seq=seq, prev_hash=prev_hash)
    session.add(link)
    session.flush()
    advance_head(session, link.register_id, link.row_hash)


def advance_head(session: Session, register_id: int, row_hash: str) -> None:
    """Make ``row_hash`` the head of the register's chain (after its link was inserted)."""
    session.execute(
        update(Register)
        .where(Register.id == register_id)
        .values(head_hash=row_hash)
        .execution_options(synchronize_session=False)
    )
