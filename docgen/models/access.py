"""The use log of issued documents (Decree 30 Appendix VI §III.6: "thống kê, theo dõi việc sử
dụng"): every view, download and print of a document, by whom and when. Append-only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class AccessKind(StrEnum):
    VIEW = "view"  # the document page
    DOWNLOAD = "download"  # a DOCX, PDF or PDF/A file
    PRINT = "print"  # printed through a list document or a register book

    @property
    def label(self) -> str:
        return {
            AccessKind.VIEW: "Xem",
            AccessKind.DOWNLOAD: "Tải về",
            AccessKind.PRINT: "In",
        }[self]


class DocumentAccess(Base):
    """One use of an issued document. ``organisation_id`` is the document's (the owner)."""

    __tablename__ = "document_access"
    __table_args__ = (Index("ix_document_access_document_at", "document_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # the username, as archive rows record it
    kind: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(32))  # docx, pdf, pdfa…
    at: Mapped[datetime] = mapped_column(index=True)
