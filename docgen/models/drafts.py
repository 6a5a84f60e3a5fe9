"""Drafts (dự thảo) and their signing history: mutable drafts, append-only draft events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base
from docgen.rules.drafts import DraftState


class Draft(Base):
    """A draft document: editable until issued, and never numbered (design D18).

    ``version`` is the optimistic-concurrency counter: every change names the version it
    changes and the UPDATE carries ``WHERE version = …``, so of two clerks editing at once
    the second gets a conflict instead of overwriting the first. A deleted draft keeps its
    row (``deleted_at``) because its events and audit trail keep pointing at it.
    """

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    template: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    register: Mapped[str | None] = mapped_column(String(100))  # register code; None: default
    signer: Mapped[str | None] = mapped_column(ForeignKey("signer.code"), index=True)
    recipients: Mapped[str | None] = mapped_column(ForeignKey("recipient_list.code"))
    unit: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True, default=DraftState.SOAN_THAO)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))
    last_comment: Mapped[str | None] = mapped_column(Text)  # the signer's, when returned
    deleted_at: Mapped[datetime | None] = mapped_column()

    __mapper_args__: ClassVar[dict[str, Any]] = {
        "version_id_col": version,
        "version_id_generator": False,
    }


class DraftEvent(Base):
    """One step in a draft's life: who did what, from which state to which (append-only)."""

    __tablename__ = "draft_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16))  # None: the draft was created
    to_state: Mapped[str | None] = mapped_column(String(16))  # None: the draft was deleted
    actor: Mapped[str] = mapped_column(String(100))  # the actor's username, as archived
    at: Mapped[datetime] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)
    paper: Mapped[bool] = mapped_column(default=False)  # "đã ký trên giấy", recorded
