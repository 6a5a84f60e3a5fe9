"""WHERE clauses of a search: the actor's scope and the query's filters (both backends).

The scope is applied to every statement a search runs — results, counts, facets — so a
secret document shows nowhere, not even as a 1 in a facet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, false, or_, select
from sqlalchemy.orm import Session

from docgen.models import (
    Document,
    DocumentEvent,
    DocumentReader,
    DocumentRecipient,
    DocumentStatus,
    Register,
    User,
)
from docgen.policy import Actor, document_scope
from docgen.rules.doctypes import get_doctype
from docgen.rules.text import fold, nfc, upper_vi
from docgen.services.search.query import SearchQuery, parse_number


def status_expression() -> Any:
    """Return the SQL expression of a document's current status (its latest kind of event)."""

    def has(kind: str) -> Any:
        return exists().where(DocumentEvent.document_id == Document.id, DocumentEvent.kind == kind)

    return case(
        (has("withdrawn"), "withdrawn"),
        (has("superseded"), "superseded"),
        (has("corrected"), "corrected"),
        else_="in_force",
    )


def _symbol_clause(symbol: str) -> Any:
    """Return "the symbol is ``symbol`` or begins with it": "qd" finds qd-ubnd, qd-snv."""
    prefix = symbol + "-"
    # A range, not LIKE: the (symbol_key, number) index serves it on both backends.
    return or_(
        Document.symbol_key == symbol,
        and_(Document.symbol_key >= prefix, Document.symbol_key < symbol + "."),
    )


def filters(query: SearchQuery) -> list[Any]:
    """Return the WHERE clauses of ``query``'s filters (words excepted)."""
    where: list[Any] = []
    if query.number:
        number, symbol = parse_number(query.number)
        if number is not None:
            where.append(Document.number == number)
        if symbol is not None:
            where.append(_symbol_clause(symbol))
    if query.year is not None:
        where.append(Document.year == query.year)
    if query.doctype:
        where.append(Document.doctype == get_doctype(query.doctype).code)
    if query.issuer:
        key = fold(query.issuer)
        where.append(
            or_(Document.issuer == query.issuer, Document.organ_key.contains(key, autoescape=True))
        )
    if query.unit:
        where.append(Document.unit == upper_vi(nfc(query.unit).strip()))
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
        where.append(status_expression() == str(DocumentStatus(query.status)))
    return where


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
    is addressed to it, never secret ones.
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


def where_clauses(session: Session, query: SearchQuery, actor: Actor) -> list[Any]:
    """Return the filters and the scope of a search, ANDed by the caller."""
    where = filters(query)
    scope = scope_clause(session, actor)
    if scope is not None:
        where.append(scope)
    return where
