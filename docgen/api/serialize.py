"""JSON shapes of the API: documents (with the Appendix VI metadata), events, hits, pages."""

from __future__ import annotations

from typing import Any

from flask import url_for

from docgen.models import Document, DocumentEvent, DocumentStatus, Rendition
from docgen.services.archive import DocumentView
from docgen.services.metadata import appendix_vi
from docgen.services.search import SearchHit, SearchPage


def links(document_id: int) -> dict[str, str]:
    """Return the document's links: itself and its exact issued bytes."""
    return {
        "self": url_for("api.get_document", document_id=document_id),
        "docx": url_for("api.get_docx", document_id=document_id),
    }


def document_summary(document: Document, status: DocumentStatus) -> dict[str, Any]:
    """Return the short form of a document used in lists and after issuing."""
    return {
        "id": document.id,
        "number": document.number,
        "code_number": document.code_number,
        "symbol": document.symbol,
        "notation": document.notation,
        "year": document.year,
        "issued_date": document.issued_date.isoformat(),
        "number_line": document.number_line,
        "date_line": document.date_line,
        "type": document.doctype,
        "type_name": document.type_name,
        "subject": document.subject,
        "issuer": {"code": document.issuer, "name": document.organ_name},
        "signer": {"code": document.signer, "name": document.signer_name},
        "status": str(status),
        "status_label": status.label,
        "sha256": document.blob_sha256,
        "links": links(document.id),
    }


def metadata(document: Document) -> dict[str, Any]:
    """Return Decree 30 Appendix VI Part II §I (outgoing documents) under its field names."""
    return appendix_vi(document)


def event_json(event: DocumentEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "document_id": event.document_id,
        "kind": event.kind,
        "related_document_id": event.related_document_id,
        "reason": event.reason,
        "actor": event.actor,
        "at": event.at.isoformat(),
    }


def rendition_json(rendition: Rendition) -> dict[str, Any]:
    return {
        "kind": rendition.kind,
        "sha256": rendition.blob_sha256,
        "page_count": rendition.page_count,
        "created_at": rendition.created_at.isoformat(),
    }


def document_full(view: DocumentView) -> dict[str, Any]:
    """Return everything about one document: summary, metadata, data, history."""
    document = view.document
    return {
        **document_summary(document, view.status),
        "register": view.register_code,
        "template": document.template,
        "title": document.title,
        "signer_lines": document.signer_lines,
        "issued_at": document.issued_at.isoformat(),
        "actor": document.actor,
        "row_hash": document.row_hash,
        "metadata": metadata(document),
        "data": document.data,
        "events": [event_json(e) for e in view.events],
        "renditions": [rendition_json(r) for r in view.renditions],
    }


def hit_json(hit: SearchHit) -> dict[str, Any]:
    out = document_summary(hit.document, hit.status)
    out["score"] = hit.score
    out["snippet"] = (
        {"text": hit.snippet.text, "highlights": [list(h) for h in hit.snippet.highlights]}
        if hit.snippet
        else None
    )
    return out


def page_json(page: SearchPage) -> dict[str, Any]:
    return {
        "items": [hit_json(h) for h in page.items],
        "total": page.total,
        "total_exact": page.exact,
        "order": str(page.order),
        "next_after": page.next_after,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
    }
