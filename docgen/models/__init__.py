"""docgen's tables: reference data, registers and the immutable archive (SQLAlchemy 2.0)."""

from __future__ import annotations

from docgen.models import guards
from docgen.models.access import AccessKind, DocumentAccess
from docgen.models.accounts import ApiToken, SignInFailure, User
from docgen.models.archive import (
    GENESIS_HASH,
    IMMUTABLE_TABLES,
    AuditEvent,
    Blob,
    Document,
    DocumentEvent,
    DocumentRecipient,
    DocumentStatus,
    DocumentText,
    EventKind,
    Register,
    RegisterCounter,
    Rendition,
)
from docgen.models.base import Base
from docgen.models.campaigns import (
    Campaign,
    CampaignDeadline,
    CampaignDocument,
    CampaignParticipant,
    CampaignQuota,
    Nomination,
    NominationAttachment,
    NominationPackage,
)
from docgen.models.dispatch import DispatchChannel, DispatchMark, DispatchRecord
from docgen.models.dossier import Dossier, DossierFile, DossierRole
from docgen.models.drafts import Draft, DraftEvent, DraftState
from docgen.models.guards import ImmutableRecordError
from docgen.models.jobs import Job, JobKind, JobState
from docgen.models.readers import DocumentReader
from docgen.models.reference import OrganisationRow, RecipientListRow, SignerRow
from docgen.models.saved_search import SavedSearch

__all__ = [
    "GENESIS_HASH",
    "IMMUTABLE_TABLES",
    "AccessKind",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Blob",
    "Campaign",
    "CampaignDeadline",
    "CampaignDocument",
    "CampaignParticipant",
    "CampaignQuota",
    "DispatchChannel",
    "DispatchMark",
    "DispatchRecord",
    "Document",
    "DocumentAccess",
    "DocumentEvent",
    "DocumentReader",
    "DocumentRecipient",
    "DocumentStatus",
    "DocumentText",
    "Dossier",
    "DossierFile",
    "DossierRole",
    "Draft",
    "DraftEvent",
    "DraftState",
    "EventKind",
    "ImmutableRecordError",
    "Job",
    "JobKind",
    "JobState",
    "Nomination",
    "NominationAttachment",
    "NominationPackage",
    "OrganisationRow",
    "RecipientListRow",
    "Register",
    "RegisterCounter",
    "Rendition",
    "SavedSearch",
    "SignInFailure",
    "SignerRow",
    "User",
    "guards",
]
