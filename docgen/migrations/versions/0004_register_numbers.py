"""Numbering: each register numbers on its own (uniqueness follows the register, not the issuer).

Decree 30 lets an organisation keep separate number systems (secret documents, advisory
bodies: nd30.md §2.2), so the general register and the secret register may both give
01/UBND-VHXH in one year. The key (issuer, year, number, symbol) spanned registers and
refused the second; it becomes (register_id, year, number, symbol), beside the existing
(register_id, year, number).

SQLite cannot change a table constraint in place: the document table is rebuilt. It is
referenced by other tables and carries triggers that refuse UPDATE and DELETE, so the
rebuild copies the rows aside, drops and recreates the table with foreign keys deferred
(re-inserting the rows satisfies the references again before the commit checks them), and
recreates the indexes and triggers that dropping it removed. The FTS index keys on document
ids and is untouched; row ids, sealed JSON and hashes are copied unchanged, so the chain
verifies as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_OLD = ("uq_document_issuer_year_number_symbol", ("issuer", "year", "number", "symbol"))
_NEW = ("uq_document_register_id_year_number_symbol", ("register_id", "year", "number", "symbol"))


def upgrade() -> None:
    _swap_unique(_OLD, _NEW)


def downgrade() -> None:
    _swap_unique(_NEW, _OLD)


def _swap_unique(old: tuple[str, tuple[str, ...]], new: tuple[str, tuple[str, ...]]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_document(_constraint_sql(*old), _constraint_sql(*new))
        return
    # PostgreSQL changes constraints in place; no row is touched, so no trigger fires.
    op.drop_constraint(old[0], "document", type_="unique")
    op.create_unique_constraint(new[0], "document", list(new[1]))


def _constraint_sql(name: str, columns: tuple[str, ...]) -> str:
    return f"CONSTRAINT {name} UNIQUE ({', '.join(columns)})"


def _rebuild_sqlite_document(old_sql: str, new_sql: str) -> None:
    """Rebuild ``document`` with ``old_sql`` replaced by ``new_sql`` in its CREATE TABLE."""
    conn = op.get_bind()

    def scalars(sql: str) -> list[str]:
        return [row[0] for row in conn.exec_driver_sql(sql)]

    (table_sql,) = scalars(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document'"
    )
    if table_sql.count(old_sql) != 1:
        raise RuntimeError(f"document: expected exactly one “{old_sql}” in {table_sql!r}")
    # Indexes and triggers die with the table; their own SQL recreates them as they were.
    dependents = scalars(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'document' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name"
    )
    count = conn.exec_driver_sql("SELECT count(*) FROM document").scalar_one()
    # Within this transaction: PRAGMA foreign_keys cannot change here, deferral can. DROP
    # TABLE's implicit delete fires no trigger; the re-insert resolves the children again.
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    conn.exec_driver_sql("CREATE TEMP TABLE document_rebuild AS SELECT * FROM document")
    conn.exec_driver_sql("DROP TABLE document")
    conn.exec_driver_sql(table_sql.replace(old_sql, new_sql))
    conn.exec_driver_sql("INSERT INTO document SELECT * FROM document_rebuild")
    conn.exec_driver_sql("DROP TABLE temp.document_rebuild")
    for sql in dependents:
        conn.exec_driver_sql(sql)
    copied = conn.exec_driver_sql("SELECT count(*) FROM document").scalar_one()
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if copied != count or broken:
        raise RuntimeError(f"document rebuild: {count} rows before, {copied} after; {broken}")
