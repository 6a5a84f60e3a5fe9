"""The plan a campaign implements, as the campaign's letters cite it (issue 10).

A recorded campaign names its plan by record code (``plan: ke-hoach-2017``); once that record
is issued into the archive, ``link_plan`` points the campaign at the document, and every letter
drafted for the campaign (cover letter, reminder, tờ trình) cites its real number and date.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from docgen.models import Campaign, Document


def plan_document(session: Session, campaign: Campaign) -> Document | None:
    """Return the issued plan ``campaign`` implements, if it is in the archive."""
    if campaign.plan_document_id is None:
        return None
    return session.get(Document, campaign.plan_document_id)


def plan_citation(session: Session, campaign: Campaign, *, with_subject: bool = True) -> str:
    """Return the plan as a letter cites it: "Kế hoạch số 45/KH-UBND ngày 20/3/2017 của Ủy ban
    nhân dân tỉnh Kiên Giang về …", or, before it is issued, "Kế hoạch <campaign title>"."""
    plan = plan_document(session, campaign)
    if plan is None:
        return f"Kế hoạch {_lower_first(campaign.title)}"
    day = f"{plan.issued_date.day}/{plan.issued_date.month}/{plan.issued_date.year}"
    text = f"{plan.type_name} số {plan.notation} ngày {day} của {plan.organ_name}"
    return f"{text} về {_lower_first(plan.subject)}" if with_subject else text


def link_plan(session: Session, record: str, document: Document) -> int:
    """Point the campaigns whose plan is the record ``record`` and not yet linked at
    ``document`` (just issued from it); return how many were linked."""
    ids = list(
        session.scalars(
            select(Campaign.id).where(
                Campaign.plan_record == record, Campaign.plan_document_id.is_(None)
            )
        )
    )
    if ids:
        session.execute(
            update(Campaign).where(Campaign.id.in_(ids)).values(plan_document_id=document.id)
        )
    return len(ids)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
