"""Named readers of secret documents: who the issuing organisation let read a văn bản mật."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base

_ACTIVE = text("revoked_at IS NULL")


class DocumentReader(Base):
    """One grant: ``user_id`` may read secret document ``document_id`` until it is revoked.

    A grant is revoked (``revoked_at`` set), never deleted, and naming the user again adds a
    new row, so the table is the history of who could read the document when. At most one
    grant per document and user is active: a partial unique index decides, not a check
    before the insert. ``organisation_id`` is the issuer's (the owner, design D14); only its
    own users are named (Decree 30 keeps secret documents inside the organisation).
    """

    __tablename__ = "document_reader"
    __table_args__ = (
        Index(
            "uq_document_reader_active",
            "document_id",
            "user_id",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    granted_by: Mapped[str] = mapped_column(String(100))  # the actor's username, as archived
    granted_at: Mapped[datetime] = mapped_column()
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column()

    @property
    def active(self) -> bool:
        """Return whether the grant still lets its user read the document."""
        return self.revoked_at is None
