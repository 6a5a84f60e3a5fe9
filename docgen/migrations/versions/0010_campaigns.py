"""Campaigns and nominations (issue 10, design D19): campaigns with their deadlines, quotas and
participants; each organisation's nomination package, nominees and attachments.

New tables only: no archived row is touched. Attachments reference the content-addressed
``blob`` table (whose rows are immutable), as renditions do.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("plan_document_id", sa.Integer(), nullable=True),
        sa.Column("plan_record", sa.String(length=64), nullable=True),
        sa.Column("deadline_reading", sa.String(length=16), nullable=False),
        sa.Column("refuse_late", sa.Boolean(), nullable=False),
        sa.Column("selection_min", sa.Integer(), nullable=False),
        sa.Column("selection_max", sa.Integer(), nullable=False),
        sa.Column("copied_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("campaign", "organisation_id", "organisation", "code"),
        _fk("campaign", "plan_document_id", "document", "id"),
        _fk("campaign", "copied_from_id", "campaign", "id"),
        _pk("campaign"),
        sa.UniqueConstraint("code", name=op.f("uq_campaign_code")),
    )
    _index("campaign", "year", "organisation_id")
    op.create_table(
        "campaign_deadline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("campaign_deadline", "campaign_id", "campaign", "id"),
        _pk("campaign_deadline"),
        sa.UniqueConstraint(
            "campaign_id", "code", name=op.f("uq_campaign_deadline_campaign_id_code")
        ),
    )
    _index("campaign_deadline", "campaign_id")
    op.create_table(
        "campaign_quota",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("campaign_quota", "campaign_id", "campaign", "id"),
        _pk("campaign_quota"),
    )
    _index("campaign_quota", "campaign_id")
    op.create_table(
        "campaign_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        _fk("campaign_participant", "campaign_id", "campaign", "id"),
        _fk("campaign_participant", "organisation_id", "organisation", "code"),
        _pk("campaign_participant"),
        sa.UniqueConstraint(
            "campaign_id",
            "organisation_id",
            name=op.f("uq_campaign_participant_campaign_id_organisation_id"),
        ),
    )
    _index("campaign_participant", "campaign_id", "organisation_id")
    op.create_table(
        "nomination_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", TZ, nullable=True),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("nomination_package", "campaign_id", "campaign", "id"),
        _fk("nomination_package", "organisation_id", "organisation", "code"),
        _pk("nomination_package"),
        sa.UniqueConstraint(
            "campaign_id",
            "organisation_id",
            name=op.f("uq_nomination_package_campaign_id_organisation_id"),
        ),
    )
    _index("nomination_package", "campaign_id", "organisation_id")
    op.create_table(
        "nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("gender", sa.String(length=8), nullable=True),
        sa.Column("position", sa.String(length=500), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("classification", sa.String(length=200), nullable=False),
        sa.Column("achievements", sa.Text(), nullable=False),
        sa.Column("previous_awards", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        _fk("nomination", "campaign_id", "campaign", "id"),
        _fk("nomination", "organisation_id", "organisation", "code"),
        _fk("nomination", "package_id", "nomination_package", "id"),
        _pk("nomination"),
    )
    _index("nomination", "campaign_id", "organisation_id", "package_id")
    op.create_table(
        "nomination_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("nomination_attachment", "nomination_id", "nomination", "id"),
        _fk("nomination_attachment", "organisation_id", "organisation", "code"),
        _fk("nomination_attachment", "sha256", "blob", "sha256"),
        _pk("nomination_attachment"),
    )
    _index("nomination_attachment", "nomination_id", "organisation_id", "sha256")


def downgrade() -> None:
    for table, columns in (
        ("nomination_attachment", ("sha256", "organisation_id", "nomination_id")),
        ("nomination", ("package_id", "organisation_id", "campaign_id")),
        ("nomination_package", ("organisation_id", "campaign_id")),
        ("campaign_participant", ("organisation_id", "campaign_id")),
        ("campaign_quota", ("campaign_id",)),
        ("campaign_deadline", ("campaign_id",)),
        ("campaign", ("organisation_id", "year")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
