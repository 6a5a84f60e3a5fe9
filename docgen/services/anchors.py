"""Chain anchors: the printed head of each register's chain, checked against the archive later.

``verify`` proves that every link matches what it seals and follows its predecessor. It cannot
catch someone with database access who rewrites a whole chain consistently, recomputing every
hash. The register book prints each register's head (position and hash of the last link) on its
last page; kept on paper or elsewhere, that head is an *anchor*: the link at that position must
still carry that hash. ``docgen verify --anchor FILE`` checks a saved anchor.

The anchor text is one line per register, easy to retype from paper::

    # docgen anchor 2026-11-27T09:00:00+07:00
    ubnd-tinh:general 42 5f3a…(64 hex)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import DocgenError
from docgen.models import Register
from docgen.models.archive import Document, DocumentEvent, Rendition
from docgen.services.verify import Finding, FindingKind

_LINE = re.compile(r"^(?P<register>\S+)\s+(?P<seq>\d+)\s+(?P<hash>[0-9a-fA-F]{64})$")


class AnchorError(DocgenError):
    """An anchor file that cannot be read: the message names the line."""

    code = "anchor_invalid"


@dataclass(frozen=True)
class ChainHead:
    """One register's chain head: the position and hash of its last link."""

    register: str  # register code
    seq: int
    hash: str

    @property
    def line(self) -> str:
        return f"{self.register} {self.seq} {self.hash}"


def chain_heads(session: Session, registers: Iterable[str] | None = None) -> list[ChainHead]:
    """Return the current head of every register (or of ``registers``), by register code."""
    query = select(Register.code, Register.chain_seq, Register.head_hash).order_by(Register.code)
    if registers is not None:
        query = query.where(Register.code.in_(list(registers)))
    return [ChainHead(code, seq, head) for code, seq, head in session.execute(query) if seq > 0]


def format_anchor(heads: Sequence[ChainHead], *, at: datetime) -> str:
    """Return the anchor text of ``heads`` taken at ``at``."""
    lines = [f"# docgen anchor {at.isoformat(timespec='seconds')}"]
    lines += [head.line for head in heads]
    return "\n".join(lines) + "\n"


def parse_anchor(text: str) -> list[ChainHead]:
    """Return the heads an anchor text records; raise ``AnchorError`` naming a bad line."""
    heads: list[ChainHead] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(" ".join(line.split()))
        if match is None:
            raise AnchorError(
                f"Dòng {number} của tệp đầu chuỗi không đúng dạng “<mã sổ> <vị trí> <mã băm 64 "
                f"ký tự hex>”: {line[:80]}",
                line=number,
            )
        heads.append(ChainHead(match["register"], int(match["seq"]), match["hash"].lower()))
    if not heads:
        raise AnchorError("Tệp đầu chuỗi không ghi sổ nào.")
    return heads


def check_anchor(session: Session, heads: Sequence[ChainHead]) -> list[Finding]:
    """Return a finding for every anchored head the archive no longer carries.

    The link at the anchored position must exist and carry the anchored hash; links added
    since are fine (the chain grew). A whole-chain rewrite changes that hash and is caught.
    """
    findings: list[Finding] = []
    for head in heads:
        where = f"sổ {head.register}, vị trí {head.seq}"
        register = session.scalar(select(Register).where(Register.code == head.register))
        if register is None:
            findings.append(
                Finding(FindingKind.ANCHOR_MISMATCH, where, "sổ này không còn trong kho")
            )
            continue
        if register.chain_seq < head.seq:
            findings.append(
                Finding(
                    FindingKind.ANCHOR_MISMATCH,
                    where,
                    f"chuỗi hiện chỉ dài {register.chain_seq} mắt xích: bản ghi đã bị xóa",
                )
            )
            continue
        hashes = _hashes_at(session, register.id, head.seq)
        if head.hash not in hashes:
            found = ", ".join(h[:12] + "…" for h in hashes) or "không có"
            findings.append(
                Finding(
                    FindingKind.ANCHOR_MISMATCH,
                    where,
                    f"mã băm đã in {head.hash[:12]}… khác mã băm hiện có ({found}): "
                    "chuỗi đã bị viết lại",
                )
            )
    return findings


def _hashes_at(session: Session, register_id: int, seq: int) -> list[str]:
    """Return the row hashes of the links at position ``seq`` of a register (normally one)."""
    out: list[str] = []
    for model in (Document, DocumentEvent, Rendition):
        out += session.scalars(
            select(model.row_hash).where(model.register_id == register_id, model.chain_seq == seq)
        ).all()
    return out
