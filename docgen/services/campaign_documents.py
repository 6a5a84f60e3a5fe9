"""Drafts prepared from a campaign's data, and what happens when one is issued (issue 10).

A cover letter, a reminder, a tờ trình, the People's Committee's letter or a report is an
ordinary draft (services/drafts.py) plus one ``CampaignDocument`` row saying which campaign it
serves and what data it was made from. When such a draft is issued, ``document_issued`` runs
the handler registered for its purpose inside the issuing transaction: if the handler raises,
the issuance rolls back and no number is spent (a late cover letter of a campaign that refuses
late packages, a nominee list changed since the letter was drafted).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.models import Document, Draft, SignerRow
from docgen.models.campaigns import CampaignDocument, CampaignDocumentPurpose
from docgen.policy import Actor

# The modules holding ``@on_issue`` handlers, imported before a handler is looked up (they
# import this module, so it cannot import them at its top).
HANDLER_MODULES: tuple[str, ...] = (
    "docgen.services.package_cover",
    "docgen.services.dossier_drafts",
    "docgen.services.reminders",
)

# purpose → handler(session, link, draft, document, actor, now); modules register theirs.
IssueHandler = Callable[[Session, CampaignDocument, Draft, Document, Actor, datetime], None]
ON_ISSUE: dict[CampaignDocumentPurpose, IssueHandler] = {}


def on_issue(purpose: CampaignDocumentPurpose) -> Callable[[IssueHandler], IssueHandler]:
    """Register the function run when a draft of ``purpose`` is issued."""

    def register(handler: IssueHandler) -> IssueHandler:
        ON_ISSUE[purpose] = handler
        return handler

    return register


def record_draft(
    session: Session,
    draft: Draft,
    *,
    campaign_id: int,
    purpose: CampaignDocumentPurpose,
    actor: Actor,
    now: datetime,
    package_id: int | None = None,
    snapshot: dict[str, Any] | None = None,
) -> CampaignDocument:
    """Return the new link saying ``draft`` was prepared for ``campaign_id`` as ``purpose``."""
    link = CampaignDocument(
        campaign_id=campaign_id,
        purpose=purpose,
        organisation_id=draft.organisation_id,
        package_id=package_id,
        draft_id=draft.id,
        snapshot=snapshot or {},
        created_by=actor.username,
        created_at=now,
    )
    session.add(link)
    session.flush()
    return link


def sole_signer(session: Session, organisation: str) -> str | None:
    """Return the organisation's signer record when it has exactly one, else None (the clerk
    picks on the drafting desk): a drafted letter then needs no choice the data makes."""
    codes = list(
        session.scalars(select(SignerRow.code).where(SignerRow.organisation == organisation))
    )
    return codes[0] if len(codes) == 1 else None


def link_of(session: Session, draft_id: int) -> CampaignDocument | None:
    return session.scalar(select(CampaignDocument).where(CampaignDocument.draft_id == draft_id))


def links_of_campaign(
    session: Session,
    campaign_id: int,
    *,
    purpose: CampaignDocumentPurpose | None = None,
    organisation: str | None = None,
    package_id: int | None = None,
) -> list[tuple[CampaignDocument, Draft]]:
    """Return the campaign's prepared drafts (oldest first), optionally of one purpose,
    organisation or package; deleted drafts are left out."""
    query = (
        select(CampaignDocument, Draft)
        .join(Draft, Draft.id == CampaignDocument.draft_id)
        .where(CampaignDocument.campaign_id == campaign_id, Draft.deleted_at.is_(None))
        .order_by(CampaignDocument.id)
    )
    if purpose is not None:
        query = query.where(CampaignDocument.purpose == purpose)
    if organisation is not None:
        query = query.where(CampaignDocument.organisation_id == organisation)
    if package_id is not None:
        query = query.where(CampaignDocument.package_id == package_id)
    return [(link, draft) for link, draft in session.execute(query).all()]


def document_issued(
    session: Session, draft: Draft, document: Document, *, actor: Actor, now: datetime
) -> None:
    """Run the handler of ``draft``'s purpose, if it was prepared for a campaign."""
    link = link_of(session, draft.id)
    if link is None:
        return
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    handler = ON_ISSUE.get(CampaignDocumentPurpose(link.purpose))
    if handler is not None:
        handler(session, link, draft, document, actor, now)
