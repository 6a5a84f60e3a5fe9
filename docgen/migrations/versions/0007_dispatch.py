"""Dispatch (phát hành) of issued documents: the append-only ``dispatch_record`` table, and the
organisations' contact (address, ĐT, Fax, E-mail, Website) printed on envelopes.

``dispatch_record`` gets the same triggers as the archive tables (0001): an UPDATE or DELETE
of a row is refused by the database itself; a correction is a new row. On PostgreSQL the
triggers call 0001's ``docgen_refuse_change()``.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLE = "dispatch_record"


def _fk(column: str, target: str, target_column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{target_column}"], name=op.f(f"fk_{TABLE}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact", sa.JSON(), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _fk("document_id", "document", "id"),
        _fk("organisation_id", "organisation", "code"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(
        "ix_dispatch_record_document_position", TABLE, ["document_id", "position"], unique=False
    )
    for column in ("organisation_id", "sent_on"):
        op.create_index(op.f(f"ix_{TABLE}_{column}"), TABLE, [column], unique=False)
    _forbid_changes()


def _forbid_changes() -> None:
    """Create triggers that abort any UPDATE or DELETE (and TRUNCATE) of dispatch rows."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'docgen: {TABLE} is immutable'); END"
            )
        return
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION docgen_refuse_change()"
    )
    op.execute(
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION docgen_refuse_change()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER {TABLE}_no_{action}")
    else:
        op.execute(f"DROP TRIGGER {TABLE}_no_change ON {TABLE}")
        op.execute(f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE}")
    for column in ("sent_on", "organisation_id"):
        op.drop_index(op.f(f"ix_{TABLE}_{column}"), table_name=TABLE)
    op.drop_index("ix_dispatch_record_document_position", table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("contact")
