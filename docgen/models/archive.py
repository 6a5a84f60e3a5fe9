"""The archive: registers and their yearly counters, blobs, issued documents, status events,
renditions and the audit trail. Everything below ``Register`` is written once, never changed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from docgen.models.base import Base

GENESIS_HASH = "0" * 64  # prev_hash of the first link of every register's chain


class DocumentStatus(StrEnum):
    IN_FORCE = "in_force"  # còn hiệu lực
    CORRECTED = "corrected"  # đã được đính chính (still in force)
    SUPERSEDED = "superseded"  # đã bị thay thế
    WITHDRAWN = "withdrawn"  # đã thu hồi

    @property
    def label(self) -> str:
        """Return the status as users read it, in Vietnamese."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    DocumentStatus.IN_FORCE: "còn hiệu lực",
    DocumentStatus.CORRECTED: "đã được đính chính",
    DocumentStatus.SUPERSEDED: "đã bị thay thế",
    DocumentStatus.WITHDRAWN: "đã thu hồi",
}


class EventKind(StrEnum):
    WITHDRAWN = "withdrawn"  # thu hồi
    SUPERSEDED = "superseded"  # thay thế bằng văn bản khác
    CORRECTED = "corrected"  # đính chính bằng công văn


class Register(Base):
    """A sổ đăng ký văn bản đi; also the head of its hash chain."""

    __tablename__ = "register"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    organisation: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    # The owner for authorisation (design D14); the same as ``organisation`` for registers.
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    doctypes: Mapped[list[str]] = mapped_column(JSON, default=list)
    configured: Mapped[bool] = mapped_column(default=False)  # from records, not made on demand
    chain_seq: Mapped[int] = mapped_column(default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class RegisterCounter(Base):
    """The last number given in a register for a year, and the date it was given on."""

    __tablename__ = "register_counter"

    register_id: Mapped[int] = mapped_column(ForeignKey("register.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)
    last_date: Mapped[date | None] = mapped_column()


class Blob(Base):
    """Exact bytes, addressed by their SHA-256."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column()
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column()


class ChainLink:
    """Columns of a link in a register's hash chain; ``sealed`` is the canonical JSON hashed."""

    @declared_attr
    def register_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("register.id"), index=True)

    chain_seq: Mapped[int] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[str] = mapped_column(Text)


class Document(ChainLink, Base):
    """An issued outgoing document; its columns cover Decree 30 Appendix VI Part II §I."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("register_id", "year", "number"),
        UniqueConstraint("register_id", "year", "number", "symbol"),  # per register (0004)
        UniqueConstraint("register_id", "chain_seq"),
        Index("ix_document_symbol_key_number", "symbol_key", "number"),
        Index("ix_document_issued_date", "issued_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    number: Mapped[int] = mapped_column(index=True)
    symbol: Mapped[str] = mapped_column(String(30))  # "KH-UBND"
    symbol_key: Mapped[str] = mapped_column(String(30))  # folded: "kh-ubnd"
    doctype: Mapped[str] = mapped_column(String(32), index=True)
    template: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    # The owner for authorisation (design D14): the issuer. Not sealed in the chain link.
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    signer: Mapped[str | None] = mapped_column(String(64), index=True)
    recipient_list: Mapped[str | None] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(32))
    # Appendix VI Part II §I, in its order (FileCode parts stay empty until filed in a hồ sơ).
    file_organ_id: Mapped[str | None] = mapped_column(String(13))  # 1.1 OrganId
    file_catalog: Mapped[int | None] = mapped_column()  # 1.2 FileCatalog
    file_notation: Mapped[str | None] = mapped_column(String(20))  # 1.3 FileNotation
    doc_ordinal: Mapped[int | None] = mapped_column()  # 2 DocOrdinal
    type_name: Mapped[str] = mapped_column(String(100))  # 3 TypeName
    code_number: Mapped[str] = mapped_column(String(11))  # 4 CodeNumber: "05"
    code_notation: Mapped[str] = mapped_column(String(30))  # 5 CodeNotation: "KH-UBND"
    issued_date: Mapped[date] = mapped_column()  # 6 IssuedDate
    organ_name: Mapped[str] = mapped_column(String(200))  # 7 OrganName
    organ_key: Mapped[str] = mapped_column(String(200))  # folded, for filters
    subject: Mapped[str] = mapped_column(String(500))  # 8 Subject (trích yếu)
    language: Mapped[str] = mapped_column(String(30))  # 9 Language
    page_amount: Mapped[int | None] = mapped_column()  # 10 PageAmount
    description: Mapped[str | None] = mapped_column(String(500))  # 11 Description
    signer_position: Mapped[str | None] = mapped_column(String(100))  # 12.1 Position
    signer_name: Mapped[str | None] = mapped_column(String(50))  # 12.2 FullName
    signer_key: Mapped[str | None] = mapped_column(String(50))  # folded, for filters
    priority: Mapped[int] = mapped_column(default=0)  # 14 Priority
    issued_amount: Mapped[int | None] = mapped_column()  # 15 IssuedAmount
    due_date: Mapped[date | None] = mapped_column()  # 16 DueDate
    # What was printed and what it was printed from.
    title: Mapped[str] = mapped_column(Text)
    number_line: Mapped[str] = mapped_column(Text)
    date_line: Mapped[str] = mapped_column(Text)
    signer_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    issued_at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))

    recipients: Mapped[list[DocumentRecipient]] = relationship(
        order_by="DocumentRecipient.position", lazy="selectin", viewonly=True
    )
    events: Mapped[list[DocumentEvent]] = relationship(
        foreign_keys="DocumentEvent.document_id", order_by="DocumentEvent.id", viewonly=True
    )

    @property
    def notation(self) -> str:
        """Return "05/KH-UBND"."""
        return f"{self.code_number}/{self.symbol}"


class DocumentRecipient(Base):
    """Field 13 (To): one recipient named on the document, Kính gửi first, then Nơi nhận."""

    __tablename__ = "document_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    position: Mapped[int] = mapped_column()
    organ_id: Mapped[str | None] = mapped_column(String(13))  # 13.1 OrganId
    organ_name: Mapped[str] = mapped_column(Text)  # 13.2 OrganName
    organ_key: Mapped[str] = mapped_column(Text, index=True)  # folded, for filters


class DocumentText(Base):
    """The plain text of an issued document, as rendered: search snippets are cut from it."""

    __tablename__ = "document_text"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)


class DocumentEvent(ChainLink, Base):
    """A change of status (thu hồi, thay thế, đính chính): a new row, never an edit."""

    __tablename__ = "document_event"
    __table_args__ = (UniqueConstraint("register_id", "chain_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    related_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column()


class Rendition(ChainLink, Base):
    """A PDF or PDF/A made from a document's DOCX (issue 4 writes these)."""

    __tablename__ = "rendition"
    __table_args__ = (
        UniqueConstraint("document_id", "kind"),
        UniqueConstraint("register_id", "chain_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "pdf", "pdfa"
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    page_count: Mapped[int | None] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()


class AuditEvent(Base):
    """Who did what to which record, when and why; append-only."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column()
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    target_kind: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


IMMUTABLE_TABLES = (
    "blob",
    "document",
    "document_recipient",
    "document_text",
    "document_event",
    "rendition",
    "audit_event",
)
