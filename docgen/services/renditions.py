"""PDF and PDF/A-2b renditions of issued documents, made from the issued DOCX bytes.

A rendition is made once, after the issuing commit (converting inside the issuing
transaction would hold the register's lock for a LibreOffice round trip), stored as a blob
and chained into the register like every archive row; once stored it never changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

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


def make_rendition(
    session: Session,
    document_id: int,
    kind: str,
    *,
    converter: PdfConverter,
    actor: str,
    now: datetime,
) -> Rendition:
    """Return the document's rendition of ``kind``, converting and storing it if missing.

    The caller commits. Two callers racing for the same rendition: the second one's insert
    fails on UNIQUE(document, kind); it should roll back and call again to read the first.
    """
    existing = get_rendition(session, document_id, kind)
    if existing is not None:
        return existing
    document = get_document(session, document_id)
    docx = blob_bytes(session, document.blob_sha256)
    pdf = converter.to_pdf(docx, pdfa=kind == "pdfa", metadata=pdf_metadata(document))
    return add_rendition(
        session, document_id, kind, pdf, actor=actor, now=now, page_count=page_count(pdf)
    )


def make_renditions(
    session: Session, document_id: int, *, converter: PdfConverter, actor: str, now: datetime
) -> list[Rendition]:
    """Return the document's PDF and PDF/A renditions, making those that are missing."""
    return [
        make_rendition(session, document_id, kind, converter=converter, actor=actor, now=now)
        for kind in KINDS
    ]
