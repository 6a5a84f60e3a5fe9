"""The archive: reference data, registers, blobs, issued documents, events, renditions, audit.

Besides the tables of ``docgen.models`` this creates, per backend, the full-text index
(SQLite FTS5 ``document_fts``; PostgreSQL ``document_search`` with a GIN index) and the
triggers that refuse UPDATE and DELETE on every archive table.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

IMMUTABLE_TABLES = (
    "blob",
    "document",
    "document_recipient",
    "document_text",
    "document_event",
    "rendition",
    "audit_event",
)


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_kind", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    op.create_table(
        "organisation",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("parent", sa.String(length=64), nullable=True),
        sa.Column("header_parent_lines", sa.JSON(), nullable=False),
        sa.Column("header_lines", sa.JSON(), nullable=False),
        sa.Column("symbol", sa.String(length=32), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("identifier", sa.String(length=13), nullable=True),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_organisation")),
    )
    op.create_table(
        "recipient_list",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kinh_gui", sa.JSON(), nullable=False),
        sa.Column("noi_nhan", sa.JSON(), nullable=False),
        sa.Column("archive", sa.JSON(), nullable=False),
        sa.Column("archive_copies", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_recipient_list")),
    )
    op.create_table(
        "register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("doctypes", sa.JSON(), nullable=False),
        sa.Column("configured", sa.Boolean(), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisation.code"],
            name=op.f("fk_register_organisation_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register")),
        sa.UniqueConstraint("code", name=op.f("uq_register_code")),
    )
    with op.batch_alter_table("register", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_organisation"), ["organisation"], unique=False
        )

    op.create_table(
        "signer",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.Column("head_title", sa.String(length=200), nullable=True),
        sa.Column("collective", sa.String(length=200), nullable=True),
        sa.Column("deputy_for", sa.String(length=200), nullable=True),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation"],
            ["organisation.code"],
            name=op.f("fk_signer_organisation_organisation"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_signer")),
    )
    with op.batch_alter_table("signer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signer_organisation"), ["organisation"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=30), nullable=False),
        sa.Column("symbol_key", sa.String(length=30), nullable=False),
        sa.Column("doctype", sa.String(length=32), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=64), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=True),
        sa.Column("recipient_list", sa.String(length=64), nullable=True),
        sa.Column("unit", sa.String(length=32), nullable=True),
        sa.Column("file_organ_id", sa.String(length=13), nullable=True),
        sa.Column("file_catalog", sa.Integer(), nullable=True),
        sa.Column("file_notation", sa.String(length=20), nullable=True),
        sa.Column("doc_ordinal", sa.Integer(), nullable=True),
        sa.Column("type_name", sa.String(length=100), nullable=False),
        sa.Column("code_number", sa.String(length=11), nullable=False),
        sa.Column("code_notation", sa.String(length=30), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=False),
        sa.Column("organ_name", sa.String(length=200), nullable=False),
        sa.Column("organ_key", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("language", sa.String(length=30), nullable=False),
        sa.Column("page_amount", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("signer_position", sa.String(length=100), nullable=True),
        sa.Column("signer_name", sa.String(length=50), nullable=True),
        sa.Column("signer_key", sa.String(length=50), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("issued_amount", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number_line", sa.Text(), nullable=False),
        sa.Column("date_line", sa.Text(), nullable=False),
        sa.Column("signer_lines", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blob.sha256"], name=op.f("fk_document_blob_sha256_blob")
        ),
        sa.ForeignKeyConstraint(
            ["issuer"], ["organisation.code"], name=op.f("fk_document_issuer_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["register_id"], ["register.id"], name=op.f("fk_document_register_id_register")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint(
            "issuer", "year", "number", "symbol", name=op.f("uq_document_issuer_year_number_symbol")
        ),
        sa.UniqueConstraint(
            "register_id", "chain_seq", name=op.f("uq_document_register_id_chain_seq")
        ),
        sa.UniqueConstraint(
            "register_id", "year", "number", name=op.f("uq_document_register_id_year_number")
        ),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_doctype"), ["doctype"], unique=False)
        batch_op.create_index("ix_document_issued_date", ["issued_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_issuer"), ["issuer"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_register_id"), ["register_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_signer"), ["signer"], unique=False)
        batch_op.create_index(
            "ix_document_symbol_key_number", ["symbol_key", "number"], unique=False
        )

    op.create_table(
        "register_counter",
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["register_id"], ["register.id"], name=op.f("fk_register_counter_register_id_register")
        ),
        sa.PrimaryKeyConstraint("register_id", "year", name=op.f("pk_register_counter")),
    )
    op.create_table(
        "document_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("related_document_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_event_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["register_id"], ["register.id"], name=op.f("fk_document_event_register_id_register")
        ),
        sa.ForeignKeyConstraint(
            ["related_document_id"],
            ["document.id"],
            name=op.f("fk_document_event_related_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_event")),
        sa.UniqueConstraint(
            "register_id", "chain_seq", name=op.f("uq_document_event_register_id_chain_seq")
        ),
    )
    with op.batch_alter_table("document_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_event_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_event_register_id"), ["register_id"], unique=False
        )

    op.create_table(
        "document_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organ_id", sa.String(length=13), nullable=True),
        sa.Column("organ_name", sa.Text(), nullable=False),
        sa.Column("organ_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_recipient_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_recipient")),
    )
    with op.batch_alter_table("document_recipient", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_recipient_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_recipient_organ_key"), ["organ_key"], unique=False
        )

    op.create_table(
        "document_text",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_document_text_document_id_document")
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_text")),
    )
    op.create_table(
        "rendition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"], ["blob.sha256"], name=op.f("fk_rendition_blob_sha256_blob")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_rendition_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["register_id"], ["register.id"], name=op.f("fk_rendition_register_id_register")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rendition")),
        sa.UniqueConstraint("document_id", "kind", name=op.f("uq_rendition_document_id_kind")),
        sa.UniqueConstraint(
            "register_id", "chain_seq", name=op.f("uq_rendition_register_id_chain_seq")
        ),
    )
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rendition_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_rendition_register_id"), ["register_id"], unique=False)
    _create_search_index()
    _forbid_changes()


def downgrade() -> None:
    _drop_extras()
    with op.batch_alter_table("rendition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rendition_register_id"))
        batch_op.drop_index(batch_op.f("ix_rendition_document_id"))

    op.drop_table("rendition")
    op.drop_table("document_text")
    with op.batch_alter_table("document_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_recipient_organ_key"))
        batch_op.drop_index(batch_op.f("ix_document_recipient_document_id"))

    op.drop_table("document_recipient")
    with op.batch_alter_table("document_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_event_register_id"))
        batch_op.drop_index(batch_op.f("ix_document_event_document_id"))

    op.drop_table("document_event")
    op.drop_table("register_counter")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_symbol_key_number")
        batch_op.drop_index(batch_op.f("ix_document_signer"))
        batch_op.drop_index(batch_op.f("ix_document_register_id"))
        batch_op.drop_index(batch_op.f("ix_document_number"))
        batch_op.drop_index(batch_op.f("ix_document_issuer"))
        batch_op.drop_index("ix_document_issued_date")
        batch_op.drop_index(batch_op.f("ix_document_doctype"))

    op.drop_table("document")
    with op.batch_alter_table("signer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signer_organisation"))

    op.drop_table("signer")
    with op.batch_alter_table("register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_organisation"))

    op.drop_table("register")
    op.drop_table("recipient_list")
    op.drop_table("organisation")
    op.drop_table("blob")
    op.drop_table("audit_event")


def _create_search_index() -> None:
    """Create the full-text index over folded text (design D8), one per backend."""
    if op.get_bind().dialect.name == "sqlite":
        # Contentless: the folded words are derived data; the original text is document_text.
        op.execute(
            "CREATE VIRTUAL TABLE document_fts USING fts5("
            "subject, notation, issuer, signer, recipients, body, "
            "content='', tokenize='unicode61 remove_diacritics 0')"
        )
        return
    op.create_table(
        "document_search",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), primary_key=True),
        sa.Column("tsv", sa.dialects.postgresql.TSVECTOR(), nullable=False),
    )
    op.create_index("ix_document_search_tsv", "document_search", ["tsv"], postgresql_using="gin")


def _forbid_changes() -> None:
    """Create triggers that abort any UPDATE or DELETE (and TRUNCATE) of archive rows."""
    if op.get_bind().dialect.name == "sqlite":
        for table in IMMUTABLE_TABLES:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'docgen: {table} is immutable'); END"
                )
        return
    op.execute(
        "CREATE FUNCTION docgen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'docgen: % is immutable', TG_TABLE_NAME "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$"
    )
    for table in IMMUTABLE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION docgen_refuse_change()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION docgen_refuse_change()"
        )


def _drop_extras() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE document_fts")
        return
    op.drop_table("document_search")
    for table in IMMUTABLE_TABLES:
        op.execute(f"DROP TRIGGER {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION docgen_refuse_change()")
