"""Reference data loaded from ``records/``: organisations, signers, recipient lists.

These rows may change (``docgen load-records`` upserts them); issued documents copy what
they printed, so a later change never alters the archive.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class OrganisationRow(Base):
    __tablename__ = "organisation"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    parent: Mapped[str | None] = mapped_column(String(64))
    header_parent_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    header_lines: Mapped[list[str]] = mapped_column(JSON, default=list)
    symbol: Mapped[str | None] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(100))
    identifier: Mapped[str | None] = mapped_column(String(13))
    units: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    recipient_name: Mapped[str | None] = mapped_column(String(300))
    sample: Mapped[bool] = mapped_column(default=False)
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # domain.Contact (0007)


class SignerRow(Base):
    __tablename__ = "signer"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    authority: Mapped[str] = mapped_column(String(16))
    head_title: Mapped[str | None] = mapped_column(String(200))
    collective: Mapped[str | None] = mapped_column(String(200))
    deputy_for: Mapped[str | None] = mapped_column(String(200))
    sample: Mapped[bool] = mapped_column(default=False)


class RecipientListRow(Base):
    """A named "Kính gửi" / "Nơi nhận" block.

    ``organisation`` None: a shared list loaded from ``records/`` (read-only on the pages);
    else the organisation whose registrar and admin manage it. ``draft_id``: a list composed
    inside one draft (never on the lists page; a new row per change, so a row never changes
    once a document names it). No foreign key to ``draft``: ``draft.recipients`` already
    points here, and a cycle would make the tables unsortable.
    """

    __tablename__ = "recipient_list"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kinh_gui: Mapped[list[str]] = mapped_column(JSON, default=list)
    noi_nhan: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    archive: Mapped[list[str]] = mapped_column(JSON, default=list)
    archive_copies: Mapped[int | None] = mapped_column()
    organisation: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"), index=True)
    draft_id: Mapped[int | None] = mapped_column(index=True)
