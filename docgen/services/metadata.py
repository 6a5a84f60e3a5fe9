"""Decree 30 Appendix VI Part II §I (outgoing documents): a document's metadata under the
Appendix's field names — one mapping for the API, the transfer export and the document page."""

from __future__ import annotations

from typing import Any

from docgen.models import Document


def appendix_vi(document: Document) -> dict[str, Any]:
    """Return the 16 fields of Appendix VI Part II §I of an issued document."""
    return {
        "FileCode": {
            "OrganId": document.file_organ_id,
            "FileCatalog": document.file_catalog,
            "FileNotation": document.file_notation,
        },
        "DocOrdinal": document.doc_ordinal,
        "TypeName": document.type_name,
        "CodeNumber": document.code_number,
        "CodeNotation": document.code_notation,
        "IssuedDate": document.issued_date.isoformat(),
        "OrganName": document.organ_name,
        "Subject": document.subject,
        "Language": document.language,
        "PageAmount": document.page_amount,
        "Description": document.description,
        "SignerInfo": {"Position": document.signer_position, "FullName": document.signer_name},
        "To": [{"OrganId": r.organ_id, "OrganName": r.organ_name} for r in document.recipients],
        "Priority": document.priority,
        "IssuedAmount": document.issued_amount,
        "DueDate": document.due_date.isoformat() if document.due_date else None,
    }
