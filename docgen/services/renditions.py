"""PDF and PDF/A-2b renditions of issued documents, made from the issued DOCX bytes.

A rendition is made once, by a job queued by the issuing commit (converting inside the
issuing transaction would hold the register's lock for a LibreOffice round trip), stored as
a blob and chained into the register like every archive row; once stored it never changes.
Like every service this one never commits: the job owns its transactions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from docgen.errors import RuleError
from docgen.models import Document, Rendition
from docgen.policy import Actor, system_actor
from docgen.rendering.pdf import PdfMetadata
from docgen.rendering.previews import page_count
from docgen.services.archive import add_rendition, blob_bytes, get_document, get_rendition

_WORKER = system_actor("renditions")  # reads for the job, which was scoped when queued

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
    document = get_document(session, document_id, _WORKER)
    docx = blob_bytes(session, document.blob_sha256)
    pdf = converter.to_pdf(docx, pdfa=kind == "pdfa", metadata=pdf_metadata(document))
    return pdf, page_count(pdf)


def missing_kinds(session: Session, document_id: int) -> list[str]:
    """Return the rendition kinds the document does not have yet (raises if no document)."""
    get_document(session, document_id, _WORKER)
    return [kind for kind in KINDS if get_rendition(session, document_id, kind) is None]


def store_rendition(
    session: Session,
    document_id: int,
    kind: str,
    pdf: bytes,
    *,
    pages: int | None,
    actor: Actor,
    now: datetime,
) -> Rendition:
    """Return the document's rendition of ``kind``: the stored one, or ``pdf`` stored now.

    Storing takes the register's write lock, so the caller converts first (``convert``)
    and stores in a short transaction it then commits. A rendition that already exists is
    returned, never made twice (UNIQUE(document_id, kind) is the last guard).
    """
    existing = get_rendition(session, document_id, kind)
    if existing is not None:
        return existing
    return add_rendition(session, document_id, kind, pdf, actor=actor, now=now, page_count=pages)
