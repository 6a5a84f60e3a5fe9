"""Drafts and their signing history: the ``draft`` and ``draft_event`` tables (issue 9).

New tables only: no archived row is touched, so the immutability triggers stay as they are.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("register", sa.String(length=100), nullable=True),
        sa.Column("signer", sa.String(length=64), nullable=True),
        sa.Column("recipients", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("last_comment", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        _fk("draft", "organisation_id", "organisation", "code"),
        _fk("draft", "author_id", "user_account", "id"),
        _fk("draft", "signer", "signer", "code"),
        _fk("draft", "recipients", "recipient_list", "code"),
        _fk("draft", "document_id", "document", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
    )
    for column in ("organisation_id", "author_id", "signer", "state"):
        op.create_index(op.f(f"ix_draft_{column}"), "draft", [column], unique=False)
    op.create_table(
        "draft_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("paper", sa.Boolean(), nullable=False),
        _fk("draft_event", "draft_id", "draft", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_event")),
    )
    op.create_index(op.f("ix_draft_event_draft_id"), "draft_event", ["draft_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_draft_event_draft_id"), table_name="draft_event")
    op.drop_table("draft_event")
    for column in ("state", "signer", "author_id", "organisation_id"):
        op.drop_index(op.f(f"ix_draft_{column}"), table_name="draft")
    op.drop_table("draft")
