"""Accounts: users, API tokens, sign-in throttling; organisation_id on organisation-owned rows.

``document`` and ``register`` get ``organisation_id`` (the owner for authorisation, design
D14), filled from the issuer / the register's organisation. The document table refuses
UPDATE (0001's triggers): the fill drops the trigger and recreates it in the same
transaction. On SQLite, making the column NOT NULL rebuilds the table (batch mode), which
drops its triggers too, so they are recreated after (``docgen.database.migration_connection``
turns foreign keys off during migrations and checks them before the commit, as SQLite
prescribes for rebuilding a referenced table).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OWNED = {"register": "organisation", "document": "issuer"}  # table → column the owner is


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisation.code"],
            name=op.f("fk_user_account_organisation_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["signer"], ["signer.code"], name=op.f("fk_user_account_signer_signer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("username_key", name=op.f("uq_user_account_username_key")),
    )
    op.create_index(
        op.f("ix_user_account_organisation"), "user_account", ["organisation"], unique=False
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_api_token_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_user_id"), "api_token", ["user_id"], unique=False)
    op.create_table(
        "sign_in_failure",
        sa.Column("username_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username_key", name=op.f("pk_sign_in_failure")),
    )
    for table, source in OWNED.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organisation_id", sa.String(length=64), nullable=True))
        if table == "document":
            _drop_update_trigger(sqlite)
        op.execute(f"UPDATE {table} SET organisation_id = {source}")
        if table == "document":
            _create_triggers(sqlite, rebuilt=False)
        with op.batch_alter_table(table) as batch:
            batch.alter_column("organisation_id", existing_type=sa.String(64), nullable=False)
            batch.create_foreign_key(
                op.f(f"fk_{table}_organisation_id_organisation"),
                "organisation",
                ["organisation_id"],
                ["code"],
            )
            batch.create_index(op.f(f"ix_{table}_organisation_id"), ["organisation_id"])
        if table == "document" and sqlite:
            _create_triggers(sqlite, rebuilt=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(op.f(f"ix_{table}_organisation_id"))
            batch.drop_constraint(
                op.f(f"fk_{table}_organisation_id_organisation"), type_="foreignkey"
            )
            batch.drop_column("organisation_id")
        if table == "document" and sqlite:
            _create_triggers(sqlite, rebuilt=True)
    op.drop_table("sign_in_failure")
    op.drop_index(op.f("ix_api_token_user_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_index(op.f("ix_user_account_organisation"), table_name="user_account")
    op.drop_table("user_account")


def _drop_update_trigger(sqlite: bool) -> None:
    if sqlite:
        op.execute("DROP TRIGGER document_no_update")
    else:
        op.execute("DROP TRIGGER document_no_change ON document")


def _create_triggers(sqlite: bool, *, rebuilt: bool) -> None:
    """Recreate 0001's triggers on ``document``: the UPDATE one, or all after a rebuild."""
    if not sqlite:
        op.execute(
            "CREATE TRIGGER document_no_change BEFORE UPDATE OR DELETE ON document "
            "FOR EACH ROW EXECUTE FUNCTION docgen_refuse_change()"
        )
        return
    for action in ("UPDATE", "DELETE") if rebuilt else ("UPDATE",):
        op.execute(f"DROP TRIGGER IF EXISTS document_no_{action.lower()}")
        op.execute(
            f"CREATE TRIGGER document_no_{action.lower()} BEFORE {action} ON document "
            "BEGIN SELECT RAISE(ABORT, 'docgen: document is immutable'); END"
        )
