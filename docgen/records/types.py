"""The typed reference records, re-exported from ``docgen.domain`` (new code imports from there)."""

from __future__ import annotations

from docgen.domain import (
    Authority,
    Campaign,
    Deadline,
    DocumentRecord,
    Organisation,
    OrgKind,
    Quota,
    RecipientEntry,
    RecipientList,
    RecordLookup,
    RegisterKind,
    RegisterSpec,
    Signer,
    Unit,
)

__all__ = [
    "Authority",
    "Campaign",
    "Deadline",
    "DocumentRecord",
    "OrgKind",
    "Organisation",
    "Quota",
    "RecipientEntry",
    "RecipientList",
    "RecordLookup",
    "RegisterKind",
    "RegisterSpec",
    "Signer",
    "Unit",
]
