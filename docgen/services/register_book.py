"""The outgoing register of one issuer and year, read from the archive (Decree 30 Appendix IV)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.domain import RecordLookup
from docgen.errors import NotFound
from docgen.models import Document, DocumentRecipient, DocumentStatus, Register
from docgen.policy import Action, Actor, DocumentFacts, visible
from docgen.rendering.register_book import RegisterBook, RegisterRow
from docgen.services.archive import SECRET_KIND, require, statuses
from docgen.services.dispatch import dispatched


def register_book(
    session: Session,
    lookup: RecordLookup,
    issuer: str,
    year: int,
    *,
    register: str | None = None,
    actor: Actor,
) -> RegisterBook:
    """Return the register book of ``issuer`` for ``year``: every number, in number order.

    ``register`` picks one register by code; by default the issuer's general register
    (the one that holds its ordinary administrative documents). Archivists and admins of
    the issuer read it (``Forbidden`` otherwise); a secret register's book only its
    registrar (as its documents: ``NotFound`` for others).
    """
    require(actor, Action.REGISTER_BOOK, issuer,
            "Chỉ lưu trữ hoặc quản trị của cơ quan ban hành được xem sổ đăng ký.")  # fmt: skip
    org = lookup.organisation(issuer)
    query = select(Register).where(Register.organisation == org.code)
    if register:
        query = query.where(Register.code == register)
    else:
        query = query.where(Register.kind == "general")
    book_register = session.scalars(query.order_by(Register.id)).first()
    hidden = book_register is not None and book_register.kind == SECRET_KIND
    if hidden and not visible(actor, DocumentFacts(organisation=org.code, secret=True)):
        book_register = None  # a secret register's book: only for who may see its documents
    if book_register is None:
        raise NotFound(
            f"{org.name} chưa có sổ đăng ký văn bản đi"
            + (f" mã “{register}”." if register else " nào."),
            issuer=issuer,
        )
    documents = list(
        session.scalars(
            select(Document)
            .where(Document.register_id == book_register.id, Document.year == year)
            .order_by(Document.number)
        )
    )
    ids = [d.id for d in documents]
    names: dict[int, list[str]] = defaultdict(list)
    if ids:
        for row in session.scalars(
            select(DocumentRecipient)
            .where(DocumentRecipient.document_id.in_(ids))
            .order_by(DocumentRecipient.document_id, DocumentRecipient.position)
        ):
            names[row.document_id].append(row.organ_name)
    status = statuses(session, ids)
    sent = dispatched(session, documents)  # columns 7–8 from the dispatch records (phát hành)
    rows = [
        RegisterRow(
            number_symbol=d.notation,
            date=d.issued_date.strftime("%d/%m/%Y"),
            summary=f"{d.type_name}: {d.subject}",
            signer=d.signer_name or "",
            recipients="; ".join(names[d.id]),
            archive_unit=f"VT, {d.unit}" if d.unit else "VT",
            copies=str(sent[d.id].copies if d.id in sent else d.issued_amount or ""),
            sent_date=sent[d.id].dates if d.id in sent else "",
            note="" if status[d.id] is DocumentStatus.IN_FORCE else status[d.id].label.capitalize(),
        )
        for d in documents
    ]
    return RegisterBook(
        issuer=org,
        year=year,
        rows=rows,
        first_date=documents[0].issued_date if documents else None,
        last_date=documents[-1].issued_date if documents else None,
        first_number=documents[0].number if documents else None,
        last_number=documents[-1].number if documents else None,
        chain_head=f"{book_register.code} {book_register.chain_seq} {book_register.head_hash}"
        if book_register.chain_seq
        else None,
    )
