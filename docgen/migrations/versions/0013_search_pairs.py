"""Search at a million documents on PostgreSQL (issue 11): word-pair and headline lexemes.

Why: ``document_search``'s GIN index keeps no positions, so a phrase whose words are
common ("Phú Quốc": "phu" and "quoc" are everywhere, the pair is rare) was estimated as
common as its words and answered by walking the id order rechecking rows (0.8 s), and
"in the trích yếu" (weight A) was a recheck of every row for relevance (6 s). Each
document's tsvector gains a lexeme per adjacent word pair of a column ("phu~quoc") and
per headline word ("h~thi"), made by ``extra_lexemes`` as new documents are indexed:
the index then answers phrases and headline terms itself (``tsquery_expression``).

The index is derived data: the existing rows are completed here from the archived text
(read in id batches, folded in Python as at issuance, then one UPDATE with the GIN index
dropped and rebuilt). SQLite's FTS5 keeps positions and needs nothing: a no-op there.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from __future__ import annotations

import time

from alembic import op
from sqlalchemy import text

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH = 5000
_ROWS = text(
    "SELECT d.id, d.subject, d.code_number, d.symbol, d.organ_name, d.issuer, d.signer_name,"
    " t.body, (SELECT string_agg(r.organ_name, ' ; ' ORDER BY r.position)"
    "  FROM document_recipient r WHERE r.document_id = d.id)"
    " FROM document_search s JOIN document d ON d.id = s.document_id"
    " LEFT JOIN document_text t ON t.document_id = d.id"
    " WHERE s.document_id > :after ORDER BY s.document_id LIMIT :batch"
)


def _extra_rows(conn, after: int) -> list[tuple[int, list[str]]]:
    """Return (document id, extra lexemes) of the next batch of indexed documents."""
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
        out.append((id_, extra_lexemes(columns)))
    return out


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        return
    started = time.perf_counter()
    conn.execute(text("CREATE TEMPORARY TABLE search_extra (document_id integer, extra text[])"))
    raw = conn.connection.driver_connection
    after, done = 0, 0
    while batch := _extra_rows(conn, after):
        with raw.cursor() as cur, cur.copy("COPY search_extra FROM STDIN") as copy:
            for row in batch:
                copy.write_row(row)
        after, done = batch[-1][0], done + len(batch)
    if done:
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        conn.execute(text("DROP INDEX ix_document_search_tsv"))
        conn.execute(
            text(
                "UPDATE document_search s SET tsv = s.tsv || array_to_tsvector(e.extra)"
                " FROM search_extra e WHERE e.document_id = s.document_id"
            )
        )
        conn.execute(text("CREATE INDEX ix_document_search_tsv ON document_search USING gin (tsv)"))
        conn.execute(text("ANALYZE document_search"))
    conn.execute(text("DROP TABLE search_extra"))
    if done:
        print(f"0013: {done} documents given pair lexemes in {time.perf_counter() - started:.1f} s")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "UPDATE document_search SET tsv = ts_delete(tsv, ARRAY("
        "SELECT lexeme FROM unnest(tsv) WHERE strpos(lexeme, '~') > 0))"
        " WHERE tsv::text LIKE '%~%'"
    )
