"""Search at scale (issue 11): the ``saved_search`` table.

The fast query plans need no new index: FTS5 serves matches in rowid (= issue) order and
PostgreSQL walks ``document_search``'s primary key or its GIN index (design notes in
``docgen.services.search.backend``). A new table only; no archived row is touched.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_saved_search_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_search_user_id_name")),
    )
    op.create_index(op.f("ix_saved_search_user_id"), "saved_search", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_search_user_id"), table_name="saved_search")
    op.drop_table("saved_search")
