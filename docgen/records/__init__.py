"""Recorded reference data: typed records (``types``) and their validating YAML loader."""

from __future__ import annotations

from docgen.records.loader import Records, load_records
from docgen.records.types import (
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
from docgen.records.validate import RecordProblem

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
    "RecordProblem",
    "Records",
    "RegisterKind",
    "RegisterSpec",
    "Signer",
    "Unit",
    "load_records",
]
