"""Search at a million documents on PostgreSQL (issue 11): word-pair and headline lexemes.

Why: ``document_search``'s GIN index keeps no positions, so a phrase whose words are
common ("Phú Quốc": "phu" and "quoc" are everywhere, the pair is rare) was estimated as
common as its words and answered by walking the id order rechecking rows (0.8 s), and
"in the trích yếu" (weight A) was a recheck of every row for relevance (6 s). A new
table ``document_search_pair`` holds per document a lexeme per adjacent word pair of a
column ("phu~quoc") and per headline word and pair ("h~thi", "h~thi~dua"), made by
``extra_lexemes`` as documents are indexed; its GIN index answers phrases and headline
terms exactly (``tsquery_parts``). A table of its own, not more lexemes in
``document_search.tsv``: that tsvector is rechecked row by row on walks and counts, and
tripling its size made every recheck ~3 times slower (measured).

The index is derived data: the new table is filled here from the archived text (read
in id batches, folded in Python as at issuance, copied in, then indexed). SQLite's FTS5
keeps positions and needs nothing: a no-op there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from alembic import op
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 5000
COPY = "COPY document_search_pair (document_id, lexemes) FROM STDIN"
_ROWS = text(
    "SELECT d.id, d.subject, d.code_number, d.symbol, d.organ_name, d.issuer, d.signer_name,"
    " t.body, (SELECT string_agg(r.organ_name, ' ; ' ORDER BY r.position)"
    "  FROM document_recipient r WHERE r.document_id = d.id)"
    " FROM document_search s JOIN document d ON d.id = s.document_id"
    " LEFT JOIN document_text t ON t.document_id = d.id"
    " WHERE s.document_id > :after ORDER BY s.document_id LIMIT :batch"
)


def _literal(lexeme: str) -> str:
    """Return ``lexeme`` as written in a tsvector's text form (COPY parses it)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _extra_rows(conn, after: int) -> list[tuple[int, str]]:
    """Return (document id, its extra lexemes as tsvector text) of the next batch."""
    from docgen.services.search.indexing import extra_lexemes, index_words

    out = []
    for row in conn.execute(_ROWS, {"after": after, "batch": BATCH}):
        id_, subject, code, symbol, organ, issuer, signer, body, recipients = row
        columns = {
            "subject": index_words(subject),
            "notation": index_words(f"{code}/{symbol}"),
            "issuer": index_words(f"{organ} {issuer}"),
            "signer": index_words(signer or ""),
            "recipients": index_words(recipients or ""),
            "body": index_words(body or ""),
        }
        out.append((id_, " ".join(_literal(x) for x in extra_lexemes(columns))))
    return out


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        return
    started = time.perf_counter()
    op.create_table(
        "document_search_pair",
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id"), primary_key=True),
        sa.Column("lexemes", TSVECTOR(), nullable=False),
    )
    # Rare pairs must be estimated rare, so that PostgreSQL looks them up in the index
    # rather than walking the ids: a larger sample of lexeme frequencies.
    op.execute("ALTER TABLE document_search_pair ALTER COLUMN lexemes SET STATISTICS 1000")
    raw = conn.connection.driver_connection
    after, done = 0, 0
    while batch := _extra_rows(conn, after):
        with raw.cursor() as cur, cur.copy(COPY) as copy:
            for row in batch:
                copy.write_row(row)
        after, done = batch[-1][0], done + len(batch)
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    op.create_index(
        "ix_document_search_pair_lexemes",
        "document_search_pair",
        ["lexemes"],
        postgresql_using="gin",
    )
    if done:
        conn.execute(text("ANALYZE document_search_pair"))
        print(f"0013: {done} documents given pair lexemes in {time.perf_counter() - started:.1f} s")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.drop_table("document_search_pair")
