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
in id batches, folded in Python as at issuance, copied in, then indexed), and the words'
tsvector is rebuilt alongside: words in the search form (NFKC: "m²" is "m2" on both engines)
and a one-position gap between columns, so that a phrase never runs from one column into
the next (FTS5 keeps phrases within a column). SQLite's FTS5 keeps positions and needs no
pairs; its index is rebuilt only if some archived text changes in the search form.

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
REFOLD = "COPY search_refold (id, subject, notation, issuer, signer, recipients, body) FROM STDIN"
_ROWS = (
    "SELECT d.id, d.subject, d.code_number, d.symbol, d.organ_name, d.issuer, d.signer_name,"
    " t.body, ({recipients}) FROM document d LEFT JOIN document_text t ON t.document_id = d.id"
    " WHERE d.id > :after ORDER BY d.id LIMIT :batch"
)
# A document's recipients in their order, as ``index_document`` joins them.
_RECIPIENTS = {
    "postgresql": "SELECT string_agg(r.organ_name, ' ; ' ORDER BY r.position)"
    " FROM document_recipient r WHERE r.document_id = d.id",
    "sqlite": "SELECT group_concat(organ_name, ' ; ') FROM (SELECT r.organ_name"
    " FROM document_recipient r WHERE r.document_id = d.id ORDER BY r.position)",
}


def _literal(lexeme: str) -> str:
    """Return ``lexeme`` as written in a tsvector's text form (COPY parses it)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _columns(conn, after: int) -> list[tuple[int, dict[str, str]]]:
    """Return (document id, its folded words per column, as ``index_document`` makes them)
    of the next batch."""
    from docgen.services.search.indexing import index_words

    out = []
    rows = text(_ROWS.format(recipients=_RECIPIENTS[conn.dialect.name]))
    for row in conn.execute(rows, {"after": after, "batch": BATCH}):
        id_, subject, code, symbol, organ, issuer, signer, body, recipients = row
        out.append((id_, {
            "subject": index_words(subject),
            "notation": index_words(f"{code}/{symbol}"),
            "issuer": index_words(f"{organ} {issuer}"),
            "signer": index_words(signer or ""),
            "recipients": index_words(recipients or ""),
            "body": index_words(body or ""),
        }))  # fmt: skip
    return out


def _sqlite_upgrade(conn) -> None:
    """Rebuild SQLite's index if any archived text changes in the search form (NFKC): words
    such as "m²" are now indexed as "m2", as queries now ask for them. Plain SQL over this
    revision's tables (never today's models)."""
    import unicodedata

    rows = conn.execute(text(
        "SELECT d.subject, d.organ_name, d.signer_name, t.body FROM document d"
        " LEFT JOIN document_text t ON t.document_id = d.id"
        " UNION ALL SELECT organ_name, NULL, NULL, NULL FROM document_recipient"
    ))  # fmt: skip
    if all(all(v is None or unicodedata.is_normalized("NFKC", v) for v in row) for row in rows):
        return
    conn.execute(text("INSERT INTO document_fts(document_fts) VALUES ('delete-all')"))
    after, done = 0, 0
    while batch := _columns(conn, after):
        conn.execute(
            text("INSERT INTO document_fts(rowid, subject, notation, issuer, signer, recipients,"
                 " body) VALUES (:id, :subject, :notation, :issuer, :signer, :recipients, :body)"),
            [{"id": id_, **columns} for id_, columns in batch],
        )  # fmt: skip
        after, done = batch[-1][0], done + len(batch)
    print(f"0013: search index rebuilt in the search form ({done} documents)")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _sqlite_upgrade(conn)
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
    from docgen.services.search.indexing import PG_WEIGHTS, extra_lexemes, pg_tsvector

    # The words' tsvector is rebuilt too: in the search form, with a gap between columns
    # (``pg_tsvector``), through a scratch table filled by COPY, one batch at a time; its
    # GIN index is made again afterwards (cheaper than updating it row by row).
    op.drop_index("ix_document_search_tsv", table_name="document_search")
    conn.execute(text(
        "CREATE TEMPORARY TABLE search_refold (id integer PRIMARY KEY, subject text, "
        "notation text, issuer text, signer text, recipients text, body text)"
    ))  # fmt: skip
    raw = conn.connection.driver_connection
    after, done = 0, 0
    while batch := _columns(conn, after):
        with raw.cursor() as cur:
            with cur.copy(COPY) as copy:
                for id_, columns in batch:
                    copy.write_row((id_, " ".join(_literal(x) for x in extra_lexemes(columns))))
            with cur.copy(REFOLD) as copy:
                for id_, columns in batch:
                    copy.write_row((id_, *(columns[c] for c, _w in PG_WEIGHTS)))
        conn.execute(text(
            f"UPDATE document_search s SET tsv = {pg_tsvector(lambda c: f'f.{c}')} "
            "FROM search_refold f WHERE s.document_id = f.id"
        ))  # fmt: skip
        conn.execute(text("TRUNCATE search_refold"))
        after, done = batch[-1][0], done + len(batch)
    conn.execute(text("DROP TABLE search_refold"))
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    op.create_index("ix_document_search_tsv", "document_search", ["tsv"], postgresql_using="gin")
    op.create_index(
        "ix_document_search_pair_lexemes",
        "document_search_pair",
        ["lexemes"],
        postgresql_using="gin",
    )
    if done:
        conn.execute(text("ANALYZE document_search, document_search_pair"))
        took = time.perf_counter() - started
        print(f"0013: {done} documents given pair lexemes and a new tsvector in {took:.1f} s")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.drop_table("document_search_pair")
