"""Dispatch (phát hành) of issued documents: one append-only row per mark of a recipient.

Marking a recipient as sent adds a row; a correction (another date or channel) or an
"unsent" mark adds another; the latest row of a recipient is its state. Rows are never
changed or deleted: the ORM guards (``docgen.models.guards``) and database triggers (0007)
refuse it, as for the archive the rows point into.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class DispatchChannel(StrEnum):
    PAPER = "giay"  # bản giấy (bưu điện, giao tay)
    ELECTRONIC = "dien-tu"  # văn bản điện tử

    @property
    def label(self) -> str:
        """Return the channel as users read it."""
        return "giấy" if self is DispatchChannel.PAPER else "điện tử"


class DispatchMark(StrEnum):
    SENT = "sent"  # đã gửi (or: the date/channel corrected)
    UNSENT = "unsent"  # a wrong "sent" mark withdrawn: the recipient waits again


class DispatchRecord(Base):
    """One mark of one recipient of an issued document (append-only)."""

    __tablename__ = "dispatch_record"
    __table_args__ = (Index("ix_dispatch_record_document_position", "document_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    # The owner for authorisation (design D14): the document's issuer.
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    position: Mapped[int] = mapped_column()  # the recipient's ``document_recipient.position``
    recipient: Mapped[str] = mapped_column(Text)  # its name as archived, for the Sổ gửi
    copies: Mapped[int] = mapped_column()  # bản (and bì for paper) sent to it
    mark: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(8))  # None for an "unsent" mark
    sent_on: Mapped[date | None] = mapped_column(index=True)  # Ngày chuyển
    actor: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
