"""PDF and PDF/A-2b renditions of issued documents, made from the issued DOCX bytes.

A rendition is made once, after the issuing commit (converting inside the issuing
transaction would hold the register's lock for a LibreOffice round trip), stored as a blob
and chained into the register like every archive row; once stored it never changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docgen.errors import Conflict, RuleError
from docgen.models import Document, Rendition
from docgen.rendering.pdf import PdfMetadata
from docgen.rendering.previews import page_count
from docgen.services.archive import add_rendition, blob_bytes, get_document, get_rendition

KINDS = ("pdf", "pdfa")


class PdfConverter(Protocol):
    """What renditions need of a converter (``docgen.rendering.pdf.Converter``)."""

    def to_pdf(
        self, docx: bytes, *, pdfa: bool = False, metadata: PdfMetadata | None = None
    ) -> bytes: ...


def pdf_metadata(document: Document) -> PdfMetadata:
    """Return the PDF metadata of an issued document: symbol, date, issuer, title, signer."""
    notation = document.notation
    return PdfMetadata(
        title=document.subject,
        author=document.organ_name,
        subject=f"{document.type_name} số {notation}",
        keywords=(document.type_name, notation),
        symbol=notation,
        issued=document.issued_date,
        signer=" ".join(filter(None, [document.signer_position, document.signer_name])),
    )


def convert(
    session: Session, document_id: int, kind: str, *, converter: PdfConverter
) -> tuple[bytes, int]:
    """Return (PDF bytes, page count) of a document's ``kind`` rendition; reads only."""
    if kind not in KINDS:
        raise RuleError(f"Loại bản chuyển đổi “{kind}” không hợp lệ (pdf, pdfa).", kind=kind)
    document = get_document(session, document_id)
    docx = blob_bytes(session, document.blob_sha256)
    pdf = converter.to_pdf(docx, pdfa=kind == "pdfa", metadata=pdf_metadata(document))
    return pdf, page_count(pdf)


def ensure_rendition(
    session: Session,
    document_id: int,
    kind: str,
    *,
    converter: PdfConverter,
    actor: str,
    now: datetime,
) -> Rendition:
    """Return the document's rendition of ``kind``, converting and storing it if missing.

    Unlike other services this one runs its own units of work, because the conversion
    (~0.1–1 s) must happen outside the register's write lock: read and convert, end that
    read, then store and commit in a short writer's transaction. A caller that loses a
    race to store the same rendition reads the winner's instead.
    """
    existing = get_rendition(session, document_id, kind)
    if existing is not None:
        return existing
    pdf, pages = convert(session, document_id, kind, converter=converter)
    session.rollback()  # end the read transaction; add_rendition begins the writer's one
    try:
        rendition = add_rendition(
            session, document_id, kind, pdf, actor=actor, now=now, page_count=pages
        )
        session.commit()
    except (Conflict, IntegrityError):
        session.rollback()
        rendition = get_rendition(session, document_id, kind)
        if rendition is None:
            raise
    return rendition


def ensure_renditions(
    session: Session, document_id: int, *, converter: PdfConverter, actor: str, now: datetime
) -> list[Rendition]:
    """Return the document's PDF and PDF/A renditions, making those that are missing."""
    return [
        ensure_rendition(session, document_id, kind, converter=converter, actor=actor, now=now)
        for kind in KINDS
    ]
