"""Named readers of secret documents: the ``document_reader`` table.

A new table only: no archived row is touched, so the immutability triggers stay as they
are. The partial unique index (one active grant per document and user) is supported by
both SQLite and PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ACTIVE = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "document_reader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=100), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_reader_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_document_reader_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.code"],
            name=op.f("fk_document_reader_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_reader")),
    )
    for column in ("document_id", "user_id", "organisation_id"):
        op.create_index(
            op.f(f"ix_document_reader_{column}"), "document_reader", [column], unique=False
        )
    op.create_index(
        "uq_document_reader_active",
        "document_reader",
        ["document_id", "user_id"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_document_reader_active", table_name="document_reader")
    for column in ("organisation_id", "user_id", "document_id"):
        op.drop_index(op.f(f"ix_document_reader_{column}"), table_name="document_reader")
    op.drop_table("document_reader")
