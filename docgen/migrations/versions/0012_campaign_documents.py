"""Campaign work (issue 10): the drafts docgen prepares from a campaign's data
(``campaign_document``) and the submission dossier.

New tables only: no archived row is touched.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def _campaign_documents() -> None:
    op.create_table(
        "campaign_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("campaign_document", "campaign_id", "campaign", "id"),
        _fk("campaign_document", "organisation_id", "organisation", "code"),
        _fk("campaign_document", "package_id", "nomination_package", "id"),
        _fk("campaign_document", "draft_id", "draft", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_document")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_campaign_document_draft_id")),
    )
    _index("campaign_document", "campaign_id", "organisation_id", "package_id")


def upgrade() -> None:
    _campaign_documents()


def downgrade() -> None:
    for column in ("package_id", "organisation_id", "campaign_id"):
        op.drop_index(op.f(f"ix_campaign_document_{column}"), table_name="campaign_document")
    op.drop_table("campaign_document")
