"""Archive search (design D8): one interface over SQLite FTS5 and PostgreSQL full text.

Both backends index the same folded words (``fold_tokens``: lower case, no diacritics, đ→d),
so "dien hinh", "ĐIỂN HÌNH" and "điển hình" find the same documents on both. Snippets are
cut from the original text: folding one character at a time keeps offsets aligned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    column,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from docgen.errors import RuleError
from docgen.models import (
    Document,
    DocumentEvent,
    DocumentReader,
    DocumentRecipient,
    DocumentStatus,
    DocumentText,
    Register,
    User,
)
from docgen.policy import Actor, document_scope
from docgen.rules.doctypes import get_doctype
from docgen.rules.text import fold, fold_tokens, nfc

MAX_PER_PAGE = 100
SNIPPET_CHARS = 200
# Column weights: trích yếu and số/ký hiệu count most, the body least.
_FTS_COLUMNS = ("subject", "notation", "issuer", "signer", "recipients", "body")
_BM25 = "bm25(document_fts, 10.0, 10.0, 4.0, 4.0, 2.0, 1.0)"
_PG_INDEX = table("document_search", column("document_id"), column("tsv"))
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchQuery:
    """Filters of an archive search; every one is optional."""

    q: str | None = None  # words; "quoted words" form a phrase
    number: str | None = None  # "05/KH-UBND", "05" or "KH-UBND"
    year: int | None = None
    doctype: str | None = None  # slug or abbreviation: "ke-hoach", "KH"
    issuer: str | None = None  # code, or part of the name
    signer: str | None = None  # code, or part of the name
    date_from: date | None = None
    date_to: date | None = None
    recipient: str | None = None  # part of a recipient's name
    status: DocumentStatus | None = None
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Snippet:
    """A piece of the original text with the matched words' spans (start, end) in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchHit:
    document: Document
    status: DocumentStatus
    score: float | None  # higher is better; None without words
    snippet: Snippet | None


@dataclass(frozen=True)
class SearchPage:
    items: list[SearchHit]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


# --- folding and indexing -------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    folded = fold(c)
    if len(folded) == 1:
        return folded
    if not folded:  # whitespace (and lone marks) fold to nothing; keep the offset
        return " "
    lower = c.lower()
    return lower if len(lower) == 1 else c


def fold_aligned(text_: str) -> str:
    """Return ``text_`` folded one character at a time: same length, same offsets."""
    return "".join(_fold_char(c) for c in text_)


def index_words(value: str) -> str:
    """Return the folded words of ``value`` separated by single spaces (what is indexed).

    The same words as ``fold_tokens`` (a test checks it), folded through the per-character
    cache: several times faster on a long body, which matters inside the issuance lock.
    """
    return " ".join(_WORD.findall(fold_aligned(nfc(value))))


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
    session.execute(
        text(
            "INSERT INTO document_search(document_id, tsv) VALUES (:id, "
            "setweight(to_tsvector('simple', :subject), 'A') || "
            "setweight(to_tsvector('simple', :notation), 'A') || "
            "setweight(to_tsvector('simple', :issuer), 'B') || "
            "setweight(to_tsvector('simple', :signer), 'B') || "
            "setweight(to_tsvector('simple', :recipients), 'C') || "
            "setweight(to_tsvector('simple', :body), 'D'))"
        ),
        values,
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


# --- queries ---------------------------------------------------------------------------------


def parse_terms(q: str) -> list[list[str]]:
    """Return the query's terms: each a list of folded words (more than one = a phrase)."""
    terms = [fold_tokens(p) for p in _PHRASE.findall(q)]
    terms += [[word] for word in fold_tokens(_PHRASE.sub(" ", q))]
    return [t for t in terms if t]


def fts5_expression(terms: list[list[str]]) -> str:
    """Return the FTS5 MATCH text: every term must occur; phrases in order."""
    return " ".join('"' + " ".join(t) + '"' for t in terms)


def tsquery_expression(terms: list[list[str]]) -> str:
    """Return the PostgreSQL tsquery text equivalent to ``fts5_expression``."""
    return " & ".join("(" + " <-> ".join(t) + ")" for t in terms)


def parse_number(value: str) -> tuple[int | None, str | None]:
    """Return (number, folded symbol) from "05/KH-UBND", "05" or "KH-UBND"."""
    value = nfc(value).strip().removeprefix("Số:").strip()
    if "/" in value:
        raw_number, _, symbol = value.partition("/")
    elif value.isdigit():
        raw_number, symbol = value, ""
    else:
        raw_number, symbol = "", value
    number = None
    if raw_number:
        if not raw_number.strip().isdigit():
            raise RuleError(f"Số văn bản “{value}” không hợp lệ.", code="invalid_number")
        number = int(raw_number)
    return number, fold(symbol) if symbol.strip() else None


def _status_expression() -> Any:
    def has(kind: str) -> Any:
        return exists().where(DocumentEvent.document_id == Document.id, DocumentEvent.kind == kind)

    return case(
        (has("withdrawn"), "withdrawn"),
        (has("superseded"), "superseded"),
        (has("corrected"), "corrected"),
        else_="in_force",
    )


def _filters(query: SearchQuery) -> list[Any]:
    where: list[Any] = []
    if query.number:
        number, symbol = parse_number(query.number)
        if number is not None:
            where.append(Document.number == number)
        if symbol is not None:
            where.append(Document.symbol_key == symbol)
    if query.year is not None:
        where.append(Document.year == query.year)
    if query.doctype:
        where.append(Document.doctype == get_doctype(query.doctype).code)
    if query.issuer:
        key = fold(query.issuer)
        where.append(
            or_(Document.issuer == query.issuer, Document.organ_key.contains(key, autoescape=True))
        )
    if query.signer:
        key = fold(query.signer)
        where.append(
            or_(Document.signer == query.signer, Document.signer_key.contains(key, autoescape=True))
        )
    if query.date_from is not None:
        where.append(Document.issued_date >= query.date_from)
    if query.date_to is not None:
        where.append(Document.issued_date <= query.date_to)
    if query.recipient:
        key = fold(query.recipient)
        where.append(
            Document.id.in_(
                select(DocumentRecipient.document_id).where(
                    DocumentRecipient.organ_key.contains(key, autoescape=True)
                )
            )
        )
    if query.status is not None:
        where.append(_status_expression() == str(DocumentStatus(query.status)))
    return where


def _ranked(session: Session, terms: list[list[str]]) -> Any:
    """Return a subquery (doc_id, score) of documents matching every term; higher is better."""
    if session.get_bind().dialect.name == "sqlite":
        return (
            select(
                literal_column("document_fts.rowid").label("doc_id"),
                literal_column(f"-{_BM25}").label("score"),
            )
            .select_from(text("document_fts"))
            .where(
                text("document_fts MATCH :fts_query").bindparams(fts_query=fts5_expression(terms))
            )
            .subquery()
        )
    tsquery = func.to_tsquery("simple", tsquery_expression(terms))
    return (
        select(
            _PG_INDEX.c.document_id.label("doc_id"),
            func.ts_rank(_PG_INDEX.c.tsv, tsquery).label("score"),
        )
        .where(_PG_INDEX.c.tsv.op("@@")(tsquery))
        .subquery()
    )


def _matching(session: Session, terms: list[list[str]]) -> Any:
    """Return the index rows matching every term, unranked (for counting)."""
    if session.get_bind().dialect.name == "sqlite":
        return (
            select(literal_column("document_fts.rowid").label("doc_id"))
            .select_from(text("document_fts"))
            .where(
                text("document_fts MATCH :fts_count").bindparams(fts_count=fts5_expression(terms))
            )
            .subquery("matching")
        )
    tsquery = func.to_tsquery("simple", tsquery_expression(terms))
    return (
        select(_PG_INDEX.c.document_id.label("doc_id"))
        .where(_PG_INDEX.c.tsv.op("@@")(tsquery))
        .subquery("matching")
    )


def _named_reader(username: str | None) -> Any:
    """Return the clause "``username`` holds an active grant to read the document"."""
    if not username:
        return false()
    grants = (
        select(DocumentReader.document_id)
        .join(User, User.id == DocumentReader.user_id)
        .where(User.username == username, DocumentReader.revoked_at.is_(None))
    )
    return Document.id.in_(grants)


def scope_clause(session: Session, actor: Actor) -> Any | None:
    """Return the WHERE clause limiting documents to what ``actor`` may see (None: all).

    Own organisation's documents; secret ones (issued into a secret register) only for the
    organisation's registrar and the users it named (an active grant); the board also what
    is addressed to it, never secret ones. Applied to results and counts alike, so a secret
    document shows nowhere, not even as 1.
    """
    from docgen.services.archive import SECRET_KIND, lists_addressed_to

    scope = document_scope(actor)
    if scope.organisations is None:
        return None
    is_secret = Document.register_id.in_(select(Register.id).where(Register.kind == SECRET_KIND))
    parts = []
    if scope.organisations:
        own = Document.organisation_id.in_(sorted(scope.organisations))
        secret_ok = Document.organisation_id.in_(sorted(scope.secret_organisations or ()))
        parts.append(and_(own, or_(~is_secret, secret_ok, _named_reader(scope.username))))
    if scope.addressed_to:
        codes = lists_addressed_to(session, scope.addressed_to)
        if codes:
            parts.append(and_(~is_secret, Document.recipient_list.in_(codes)))
    return or_(*parts) if parts else false()


def search(session: Session, query: SearchQuery, *, actor: Actor) -> SearchPage:
    """Return one page of the documents ``actor`` may see that match ``query``, best first
    (newest first without words)."""
    if query.page < 1 or not 1 <= query.per_page <= MAX_PER_PAGE:
        raise RuleError(
            f"Trang phải từ 1 trở lên, mỗi trang từ 1 đến {MAX_PER_PAGE} văn bản.",
            code="invalid_page",
        )
    terms = parse_terms(query.q or "")
    where = _filters(query)
    scope = scope_clause(session, actor)
    if scope is not None:
        where.append(scope)
    # Step 1 ranks narrow rows (id, score) for the page; step 2 loads those documents. The
    # total is a separate count: a window count(*) would materialise every ranked match.
    # Ties in score fall back to newest first (ids grow with issuance).
    stmt: Select[Any]
    if terms:
        ranked = _ranked(session, terms)
        stmt = select(ranked.c.doc_id, ranked.c.score)
        matching = _matching(session, terms)
        count = select(func.count()).select_from(matching)
        if where:
            stmt = stmt.join(Document, ranked.c.doc_id == Document.id)
            count = count.join(Document, matching.c.doc_id == Document.id)
        order = [ranked.c.score.desc(), ranked.c.doc_id.desc()]
    else:
        stmt = select(Document.id, literal_column("NULL").label("score"))
        count = select(func.count()).select_from(Document)
        order = [Document.issued_date.desc(), Document.number.desc(), Document.id.desc()]
    if where:
        stmt, count = stmt.where(and_(*where)), count.where(and_(*where))
    offset = (query.page - 1) * query.per_page
    picked = session.execute(stmt.order_by(*order).limit(query.per_page).offset(offset)).all()
    total = session.scalar(count) or 0
    loaded = {
        d.id: d
        for d in session.scalars(select(Document).where(Document.id.in_([r[0] for r in picked])))
    }
    rows = [(loaded[r[0]], r[1]) for r in picked]
    from docgen.services.archive import statuses

    states = statuses(session, [row[0].id for row in rows])
    bodies: dict[int, str] = {}
    if terms and rows:
        bodies = dict(
            session.execute(
                select(DocumentText.document_id, DocumentText.body).where(
                    DocumentText.document_id.in_([row[0].id for row in rows])
                )
            ).all()
        )
    words = sorted({w for t in terms for w in t}, key=len, reverse=True)
    items = [
        SearchHit(
            document=doc,
            status=states[doc.id],
            score=None if score is None else float(score),
            snippet=make_snippet(bodies.get(doc.id, ""), words) if terms else None,
        )
        for doc, score in rows
    ]
    return SearchPage(items=items, total=total, page=query.page, per_page=query.per_page)


def make_snippet(original: str, words: list[str], width: int = SNIPPET_CHARS) -> Snippet | None:
    """Return the part of ``original`` around its densest cluster of ``words``, with spans."""
    if not original or not words:
        return None
    folded = fold_aligned(original)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")(?![^\W_])")
    spans = [m.span() for m in pattern.finditer(folded)]
    if not spans:
        return None
    best, best_count = spans[0][0], 0
    for start, _ in spans:
        found = {folded[s:e] for s, e in spans if start <= s and e <= start + width}
        if len(found) > best_count:
            best, best_count = start, len(found)
    begin = max(0, best - width // 4)
    while begin > 0 and not original[begin - 1].isspace():
        begin -= 1
    end = min(len(original), begin + width)
    while end < len(original) and not original[end].isspace():
        end += 1
    piece = original[begin:end]
    marks = tuple((s - begin, e - begin) for s, e in spans if begin <= s and e <= end)
    return Snippet(text=piece, highlights=marks)
