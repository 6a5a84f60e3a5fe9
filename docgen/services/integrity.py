"""One document's integrity check ("Kiểm tra toàn vẹn" on the document page).

The archive-wide ``verify`` walks every register; an archivist looking at one document wants
the same proof for that document now, in a second: its bytes re-hashed, its sealed metadata
compared with its row, its place in the register's chain (the link before it and the link after
it), and the same for its status events and renditions. Each check is reported, passed or not,
so the page can say what was checked, not only that nothing was found. Links further away
are checked by the archive-wide ``verify`` (nightly, or ``docgen verify``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.models import Blob, Document, DocumentEvent, Register, Rendition
from docgen.models.archive import GENESIS_HASH, DocumentRecipient, DocumentText
from docgen.policy import Actor
from docgen.services import archive
from docgen.services.chain import document_content, event_content, rendition_content, sha256_hex
from docgen.services.verify import Finding, FindingKind, compare_link


@dataclass(frozen=True)
class Check:
    """One thing checked: what, and the findings (none when it passed)."""

    what: str
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.findings


@dataclass
class DocumentIntegrity:
    document_id: int
    checked_at: datetime
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def findings(self) -> list[Finding]:
        return [finding for check in self.checks for finding in check.findings]


def check_document(
    session: Session, document_id: int, *, actor: Actor, now: datetime
) -> DocumentIntegrity:
    """Return the checks of one document the actor may read (404 otherwise)."""
    document = archive.get_document(session, document_id, actor)
    result = DocumentIntegrity(document.id, now)
    label = f"văn bản {document.code_number}/{document.symbol}"
    result.checks.append(_blob_check(session, document.blob_sha256, f"tệp DOCX của {label}"))
    recipients = session.scalars(
        select(DocumentRecipient)
        .where(DocumentRecipient.document_id == document.id)
        .order_by(DocumentRecipient.position)
    ).all()
    body = session.scalar(select(DocumentText.body).where(DocumentText.document_id == document.id))
    to = [(r.organ_id, r.organ_name) for r in recipients]
    content = document_content(document, to, sha256_hex(body) if body is not None else None)
    result.checks.append(
        Check(
            f"Dữ liệu đặc tả và niêm phong của {label}",
            tuple(compare_link(document, content, label)),
        )
    )
    result.checks.append(_chain_check(session, document, label))
    for event in session.scalars(
        select(DocumentEvent)
        .where(DocumentEvent.document_id == document.id)
        .order_by(DocumentEvent.id)
    ):
        what = f"sự kiện “{event.kind}” ngày {event.at:%d/%m/%Y}"
        related = (
            session.scalar(
                select(Document.row_hash).where(Document.id == event.related_document_id)
            )
            if event.related_document_id
            else None
        )
        current = event_content(event, document.row_hash, related)
        result.checks.append(
            Check(f"Niêm phong của {what}", tuple(compare_link(event, current, what)))
        )
        result.checks.append(_chain_check(session, event, what))
    for rendition in session.scalars(
        select(Rendition).where(Rendition.document_id == document.id).order_by(Rendition.id)
    ):
        what = f"bản {rendition.kind.upper()}"
        current = rendition_content(rendition, document.row_hash)
        result.checks.append(_blob_check(session, rendition.blob_sha256, f"tệp {what}"))
        result.checks.append(
            Check(f"Niêm phong của {what}", tuple(compare_link(rendition, current, what)))
        )
        result.checks.append(_chain_check(session, rendition, what))
    return result


def _blob_check(session: Session, sha: str, what: str) -> Check:
    row = session.execute(select(Blob.size, Blob.content).where(Blob.sha256 == sha)).first()
    title = f"Băm lại {what} (SHA-256)"
    if row is None:
        return Check(title, (Finding(FindingKind.BLOB_MISSING, what, f"không còn tệp {sha}"),))
    actual = hashlib.sha256(row.content).hexdigest()
    if actual != sha or len(row.content) != row.size:
        detail = f"SHA-256 tính lại là {actual}, ghi nhận {sha}"
        return Check(title, (Finding(FindingKind.BLOB_CHANGED, what, detail),))
    return Check(title)


def _chain_check(session: Session, link: Document | DocumentEvent | Rendition, what: str) -> Check:
    """Check that ``link`` follows the link before it and that the next one follows it."""
    title = f"Vị trí của {what} trong chuỗi băm (mắt xích {link.chain_seq})"
    findings: list[Finding] = []
    before = _row_hashes(session, link.register_id, link.chain_seq - 1)
    expected_prev = before if link.chain_seq > 1 else [GENESIS_HASH]
    if link.prev_hash not in expected_prev:
        findings.append(
            Finding(FindingKind.CHAIN_BROKEN, what, "không nối với mắt xích đứng trước")
        )
    register = session.get(Register, link.register_id)
    after = _prev_hashes(session, link.register_id, link.chain_seq + 1)
    if register is not None and link.chain_seq >= register.chain_seq:
        if link.row_hash != register.head_hash:  # the last link must be the register's head
            findings.append(
                Finding(FindingKind.CHAIN_BROKEN, what, "đầu chuỗi ghi trong sổ không khớp")
            )
    elif not after:
        findings.append(Finding(FindingKind.ROW_MISSING, what, "mắt xích đứng sau đã bị xóa"))
    elif link.row_hash not in after:
        findings.append(
            Finding(FindingKind.CHAIN_BROKEN, what, "mắt xích đứng sau không nối với văn bản này")
        )
    return Check(title, tuple(findings))


def _row_hashes(session: Session, register_id: int, seq: int) -> list[str]:
    return _column_at(session, register_id, seq, "row_hash")


def _prev_hashes(session: Session, register_id: int, seq: int) -> list[str]:
    return _column_at(session, register_id, seq, "prev_hash")


def _column_at(session: Session, register_id: int, seq: int, column: str) -> list[str]:
    out: list[str] = []
    for model in (Document, DocumentEvent, Rendition):
        attribute = getattr(model, column)
        out += session.scalars(
            select(attribute).where(model.register_id == register_id, model.chain_seq == seq)
        ).all()
    return out
