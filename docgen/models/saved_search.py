"""Saved searches: a user's named query strings on the archive search page (issue 11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class SavedSearch(Base):
    """One saved search: the page's query string (filters, order, columns) under a name.

    Personal: only its user lists, runs or deletes it; saving a name again replaces it.
    """

    __tablename__ = "saved_search"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text)  # "q=thi+dua&year=2017&columns=number,date"
    created_at: Mapped[datetime] = mapped_column()
