"""Links between documents for the document page: what replaced or corrected this one and what
this one replaced or corrected (both ways), and finding a document by its number and symbol.

A link to a document the reader may not see is shown without its number ("một văn bản khác"),
never as a 404 in waiting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import NotFound, RuleError
from docgen.models import Document, DocumentEvent
from docgen.policy import Actor
from docgen.rules.text import fold
from docgen.services import archive

_NOTATION = re.compile(r"^\s*(\d{1,6})\s*/\s*(\S+?)\s*$")


@dataclass(frozen=True)
class Link:
    """One status event seen from the document page."""

    event: DocumentEvent
    document_id: int | None  # the other document, when the reader may open it
    notation: str | None  # its number and symbol, when the reader may see it
    outgoing: bool  # True: this document was replaced/corrected; False: it replaced another


def links(session: Session, document: Document, *, actor: Actor) -> list[Link]:
    """Return the status links of ``document`` in both directions, oldest first."""
    own = session.scalars(
        select(DocumentEvent).where(DocumentEvent.document_id == document.id)
    ).all()
    naming = session.scalars(
        select(DocumentEvent).where(DocumentEvent.related_document_id == document.id)
    ).all()
    out = [_link(session, e, e.related_document_id, True, actor) for e in own]
    out += [_link(session, e, e.document_id, False, actor) for e in naming]
    return sorted(out, key=lambda link: (link.event.at, link.event.id))


def _link(
    session: Session, event: DocumentEvent, other: int | None, outgoing: bool, actor: Actor
) -> Link:
    if other is None:
        return Link(event, None, None, outgoing)
    try:
        found = archive.get_document(session, other, actor)
    except NotFound:
        return Link(event, None, None, outgoing)
    return Link(event, found.id, found.notation, outgoing)


def find_by_notation(
    session: Session, notation: str, *, year: int | None, actor: Actor
) -> Document:
    """Return the one document the actor may see whose number and symbol are ``notation``
    ("05/QĐ-UBND"); ``year`` decides between years. ``RuleError`` explains what is wrong."""
    match = _NOTATION.match(notation or "")
    if not match:
        raise RuleError(
            f"“{notation}” không phải số, ký hiệu văn bản (ví dụ: 05/KH-UBND).", code="bad_notation"
        )
    number, symbol = int(match[1]), fold(match[2]).replace(" ", "")
    query = select(Document).where(Document.number == number, Document.symbol_key == symbol)
    if year is not None:
        query = query.where(Document.year == year)
    found = []
    for candidate in session.scalars(query.order_by(Document.year.desc(), Document.id)):
        try:
            found.append(archive.get_document(session, candidate.id, actor))
        except NotFound:
            continue
    if not found:
        when = f" năm {year}" if year else ""
        raise RuleError(f"Không tìm thấy văn bản số {notation.strip()}{when}.", code="not_found")
    if len(found) > 1:
        years = ", ".join(str(d.year) for d in found)
        raise RuleError(
            f"Có {len(found)} văn bản số {notation.strip()} (các năm {years}): hãy chọn năm.",
            code="ambiguous",
        )
    return found[0]
