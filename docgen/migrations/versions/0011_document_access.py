"""The use log of issued documents: the ``document_access`` table (issue 11).

A new table only: no archived row is touched.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=32), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_access_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.code"],
            name=op.f("fk_document_access_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_document_access_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_access")),
    )
    op.create_index(
        "ix_document_access_document_at", "document_access", ["document_id", "at"], unique=False
    )
    for column in ("organisation_id", "user_id", "at"):
        op.create_index(
            op.f(f"ix_document_access_{column}"), "document_access", [column], unique=False
        )


def downgrade() -> None:
    for column in ("at", "user_id", "organisation_id"):
        op.drop_index(op.f(f"ix_document_access_{column}"), table_name="document_access")
    op.drop_index("ix_document_access_document_at", table_name="document_access")
    op.drop_table("document_access")
