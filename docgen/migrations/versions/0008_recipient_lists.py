"""Recipient lists get an owner: ``recipient_list.organisation`` and ``recipient_list.draft_id``.

``organisation`` NULL keeps the lists loaded from ``records/`` shared (read-only on the
pages); a list made on the pages belongs to its organisation. ``draft_id`` marks a list
composed inside one draft. Two nullable columns added: no row is rewritten, so existing
lists stay shared. SQLite adds a column with a foreign key only through a table rebuild,
which ``batch_alter_table`` does (the table has no trigger to recreate).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recipient_list") as batch:
        batch.add_column(sa.Column("organisation", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("draft_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_recipient_list_organisation_organisation"),
            "organisation",
            ["organisation"],
            ["code"],
        )
        batch.create_index(op.f("ix_recipient_list_organisation"), ["organisation"], unique=False)
        batch.create_index(op.f("ix_recipient_list_draft_id"), ["draft_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("recipient_list") as batch:
        batch.drop_index(op.f("ix_recipient_list_draft_id"))
        batch.drop_index(op.f("ix_recipient_list_organisation"))
        batch.drop_constraint(
            op.f("fk_recipient_list_organisation_organisation"), type_="foreignkey"
        )
        batch.drop_column("draft_id")
        batch.drop_column("organisation")
