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


_DOSSIER_TABLES = ("dossier_file", "dossier")


def _dossier() -> None:
    """The built submission dossiers and their files (helper C): append-only, like 0007."""
    op.create_table(
        "dossier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("addressed_to", sa.String(length=64), nullable=True),
        sa.Column("submission_document_id", sa.Integer(), nullable=False),
        sa.Column("submission_notation", sa.String(length=100), nullable=False),
        sa.Column("nominees", sa.JSON(), nullable=False),
        sa.Column("merged_sha256", sa.String(length=64), nullable=False),
        sa.Column("merged_pages", sa.Integer(), nullable=False),
        sa.Column("zip_sha256", sa.String(length=64), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        _fk("dossier", "campaign_id", "campaign", "id"),
        _fk("dossier", "organisation_id", "organisation", "code"),
        _fk("dossier", "addressed_to", "organisation", "code"),
        _fk("dossier", "submission_document_id", "document", "id"),
        _fk("dossier", "merged_sha256", "blob", "sha256"),
        _fk("dossier", "zip_sha256", "blob", "sha256"),
        _fk("dossier", "manifest_sha256", "blob", "sha256"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
    )
    _index("dossier", "campaign_id", "organisation_id", "addressed_to", "submission_document_id")
    op.create_table(
        "dossier_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=100), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        _fk("dossier_file", "dossier_id", "dossier", "id"),
        _fk("dossier_file", "sha256", "blob", "sha256"),
        _fk("dossier_file", "nomination_id", "nomination", "id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_file")),
    )
    _index("dossier_file", "dossier_id", "sha256", "nomination_id")
    for table in _DOSSIER_TABLES:
        if op.get_bind().dialect.name == "sqlite":
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'docgen: {table} is immutable'); END"
                )
            continue
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION docgen_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION docgen_refuse_change()"
        )


def _drop_dossier() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in _DOSSIER_TABLES:
        if sqlite:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
        else:
            op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    for column in ("dossier_id", "sha256", "nomination_id"):
        op.drop_index(op.f(f"ix_dossier_file_{column}"), table_name="dossier_file")
    op.drop_table("dossier_file")
    for column in ("campaign_id", "organisation_id", "addressed_to", "submission_document_id"):
        op.drop_index(op.f(f"ix_dossier_{column}"), table_name="dossier")
    op.drop_table("dossier")


def upgrade() -> None:
    _campaign_documents()
    _dossier()


def downgrade() -> None:
    _drop_dossier()
    for column in ("package_id", "organisation_id", "campaign_id"):
        op.drop_index(op.f(f"ix_campaign_document_{column}"), table_name="campaign_document")
    op.drop_table("campaign_document")
