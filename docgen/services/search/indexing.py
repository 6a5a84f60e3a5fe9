"""The full-text index: the same folded words in SQLite FTS5 and PostgreSQL (design D8).

``fold_tokens`` words (lower case, no diacritics, đ→d) so "dien hinh", "ĐIỂN HÌNH" and
"điển hình" find the same documents on both. The index is derived data: it can always be
rebuilt from the archived text and recipients (``reindex_all``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from docgen.models import Document, DocumentRecipient, DocumentText
from docgen.rules.text import fold, search_form
from docgen.services.search.query import HEADLINE, MAX_WORD, PAIR, word_pairs

# Column weights: trích yếu and số/ký hiệu count most, the body least.
FTS_COLUMNS = ("subject", "notation", "issuer", "signer", "recipients", "body")
HEADLINE_COLUMNS = ("subject", "notation")  # PostgreSQL weight A
BM25 = "bm25(document_fts, 10.0, 10.0, 4.0, 4.0, 2.0, 1.0)"
_WORD = re.compile(r"[^\W_]+")
MAX_PAIRS = 40_000  # distinct pairs of one column: ~0.6 MB of lexemes at most


def extra_lexemes(columns: dict[str, str]) -> list[str]:
    """Return a document's PostgreSQL pair and headline lexemes (``document_search_pair``).

    Why: the GIN index keeps no positions, so a phrase of common words ("Phú Quốc") was
    estimated as common as its words and answered by rechecking thousands of rows. With
    a lexeme per word pair (made per column: a phrase never spans two columns, as in
    FTS5) the index itself finds the few documents holding the pair; with "h~word" and
    "h~a~b" per headline word and pair, "in the trích yếu" needs no recheck either. They
    live in their own table so that the words' tsvector stays small (cheap to recheck).
    ``columns``: the folded words of each of ``FTS_COLUMNS`` (``index_words``). Words
    longer than ``MAX_WORD`` give no lexeme (no query asks for them), and a column's pairs
    stop at ``MAX_PAIRS`` distinct ones (a tsvector holds at most 1 MB): beyond that point
    of a very long body a phrase is not found on PostgreSQL.
    """
    out: set[str] = set()
    for name in FTS_COLUMNS:
        words = [w if len(w) <= MAX_WORD else "" for w in columns.get(name, "").split()]
        pairs = [p for p in word_pairs(words) if not p.startswith(PAIR) and not p.endswith(PAIR)]
        out.update(itertools.islice(dict.fromkeys(pairs), MAX_PAIRS))
        if name in HEADLINE_COLUMNS:
            out.update(HEADLINE + w for w in [*filter(None, words), *pairs])
    return sorted(out)


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    folded = fold(c)
    if len(folded) == 1:
        return folded
    if not folded:  # whitespace (and lone marks) fold to nothing; keep the offset
        return " "
    lower = c.lower()
    return lower if len(lower) == 1 else c


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character (C speed after)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_aligned(text_: str) -> str:
    """Return ``text_`` folded one character at a time: same length, same offsets."""
    return text_.translate(_FOLD_TABLE)


def index_words(value: str) -> str:
    """Return the folded words of ``value`` separated by single spaces (what is indexed).

    The same words as ``fold_tokens`` (a test checks it), folded through the per-character
    cache: several times faster on a long body, which matters inside the issuance lock.
    """
    return " ".join(_WORD.findall(fold_aligned(search_form(value))))


# PostgreSQL: each column's words at its weight, with a one-position gap between columns (a
# placeholder lexeme, deleted at the end), so that a phrase (``<->``) never runs from the end
# of one column into the next -- as in FTS5, where a phrase lies within one column.
PG_WEIGHTS = (("subject", "A"), ("notation", "A"), ("issuer", "B"), ("signer", "B"),
              ("recipients", "C"), ("body", "D"))  # fmt: skip
_GAP = "CAST('''~''' || chr(58) || '1' AS tsvector)"  # chr(58): ":", no bind parameter


def pg_tsvector(ref: Callable[[str], str]) -> str:
    """Return the SQL of a document's tsvector; ``ref`` names where each column's folded
    words come from (":subject" for a bound parameter, "f.subject" for a table column)."""
    parts = [f"setweight(to_tsvector('simple', {ref(c)}), '{w}')" for c, w in PG_WEIGHTS]
    return "ts_delete(" + f" || {_GAP} || ".join(parts) + ", '~')"


def index_document(session: Session, document: Document, body: str, recipients: list[str]) -> None:
    """Add a document's folded words to the backend's full-text index."""
    values = {
        "id": document.id,
        "subject": index_words(document.subject),
        "notation": index_words(document.notation),
        "issuer": index_words(f"{document.organ_name} {document.issuer}"),
        "signer": index_words(document.signer_name or ""),
        "recipients": index_words(" ; ".join(recipients)),
        "body": index_words(body),
    }
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text(
                "INSERT INTO document_fts(rowid, subject, notation, issuer, signer, recipients,"
                " body) VALUES (:id, :subject, :notation, :issuer, :signer, :recipients, :body)"
            ),
            values,
        )
        return
    tsv = pg_tsvector(lambda column: f":{column}")
    session.execute(
        text(f"INSERT INTO document_search(document_id, tsv) VALUES (:id, {tsv})"), values
    )
    session.execute(
        text(
            "INSERT INTO document_search_pair(document_id, lexemes) VALUES (:id, "
            "array_to_tsvector(CAST(:extra AS text[])))"
        ),
        {"id": document.id, "extra": extra_lexemes(values)},
    )


def reindex_all(session: Session, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Return how many documents were indexed after emptying and rebuilding the index.

    The index is derived data (the text and recipients are archived): rebuilding it is
    safe at any time and changes no sealed row. The caller commits (a job may commit in
    ``progress`` to show how far it got).
    """
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:  # a contentless FTS5 table is emptied by its own command, not by DELETE
        session.execute(text("INSERT INTO document_fts(document_fts) VALUES ('delete-all')"))
    else:
        session.execute(text("DELETE FROM document_search"))
        session.execute(text("DELETE FROM document_search_pair"))
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    done = 0
    for document_id in ids:  # a list, not a cursor: ``progress`` may commit between two
        document = session.get_one(Document, document_id)
        body = session.scalar(
            select(DocumentText.body).where(DocumentText.document_id == document.id)
        )
        recipients = session.scalars(
            select(DocumentRecipient.organ_name)
            .where(DocumentRecipient.document_id == document.id)
            .order_by(DocumentRecipient.position)
        )
        index_document(session, document, body or "", list(recipients))
        done += 1
        if progress is not None:
            progress(done, len(ids))
    return done
