"""Accounts: users of an organisation with their roles, personal API tokens, sign-in throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class User(Base):
    """A person who signs in: one organisation, one or more roles (design D14).

    ``username_key`` is the username case-folded (Unicode, NFC): the unique key, so that
    "VănThư" and "vănthư" are one account on both backends (SQLite's lower() is ASCII only).
    ``session_epoch`` goes into the session cookie; bumping it signs the user out everywhere.
    """

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    signer: Mapped[str | None] = mapped_column(ForeignKey("signer.code"))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    sample: Mapped[bool] = mapped_column(default=False)  # a demo account (make run)
    created_at: Mapped[datetime] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()

    # What Flask-Login asks of a user object (docgen.identity); no Flask import needed here.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Return whether the user may sign in (Flask-Login's name for ``active``)."""
        return self.active

    def get_id(self) -> str:
        """Return the session's user id: "id:epoch", so a new epoch ends old sessions."""
        return f"{self.id}:{self.session_epoch}"


class ApiToken(Base):
    """A personal access token: only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # the first characters, to recognise it
    created_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class SignInFailure(Base):
    """Failed sign-ins in a row for one username (existing or not), for the growing delay."""

    __tablename__ = "sign_in_failure"

    username_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column()
    locked_until: Mapped[datetime | None] = mapped_column()
