"""The campaign's six-month and year report (bao-cao, issue 10): figures from the records.

``draft_report`` drafts a ``bao-cao`` of the organiser (the board) through the drafting desk's
own service: the summary, the computed sentences and tables, and clearly marked places where
the clerk writes the prose (I. KẾT QUẢ THỰC HIỆN, II. PHƯƠNG HƯỚNG …) in the drafting form.
The draft is linked to the campaign (``REPORT``) with a snapshot of its figures and sentences.
Figures change until the report is issued: ``refresh_report`` replaces the tables and the
computed sentences of a not-yet-issued draft, and keeps everything the clerk wrote.
Services take a session and never commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import Session

from docgen.errors import Conflict, FieldError, Forbidden, NotFound, RuleError
from docgen.models import (
    AuditEvent,
    Campaign,
    CampaignParticipant,
    Draft,
    Nomination,
    NominationPackage,
    OrganisationRow,
    RecipientListRow,
)
from docgen.models.campaigns import CampaignDocument, CampaignDocumentPurpose
from docgen.policy import Action, Actor, can
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.campaign_report import (
    CampaignReport,
    ReportFacts,
    ReportPeriod,
    compute_report,
    period,
)
from docgen.rules.campaigns import Timing, timing
from docgen.rules.drafts import DraftState
from docgen.rules.recipient_lines import Lines, check_lines
from docgen.services import campaign_documents, drafts
from docgen.services import recipient_lists as lists
from docgen.services.campaigns import (
    get_campaign,
    minimum_by_kind,
    nominations_deadline,
    quotas,
)
from docgen.services.lookup import list_usable_by

TEMPLATE = "bao-cao"
ARCHIVE_UNIT = "TĐKT"  # "Lưu: VT, TĐKT."
REPORT_TO = ("UBND tỉnh (b/c)", "ubnd-tinh")  # the plan: "báo cáo kết quả thực hiện về UBND tỉnh"

# Where the clerk writes: a bracketed instruction the preview prints until it is replaced.
PROSE_RESULTS = (
    "[Người soạn viết: tình hình triển khai Kế hoạch; công tác tuyên truyền, phát hiện, bồi "
    "dưỡng, nhân rộng điển hình tiên tiến; những kết quả nổi bật, so với cùng kỳ năm trước.]"
)
PROSE_OUTLOOK = (
    "[Người soạn viết: đánh giá chung (ưu điểm, hạn chế và nguyên nhân); phương hướng, nhiệm "
    "vụ trọng tâm và kiến nghị, đề xuất.]"
)


# --- reading ------------------------------------------------------------------------------------


def report_campaign(session: Session, campaign_id: int, actor: Actor) -> Campaign:
    """Return the campaign ``actor``'s board reports on; ``NotFound`` for another organiser's."""
    campaign = get_campaign(session, campaign_id)
    if not can(actor, Action.MANAGE_CAMPAIGN, campaign.organisation_id):
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id}.", id=campaign_id)
    return campaign


def report_facts(session: Session, campaign: Campaign) -> list[ReportFacts]:
    """Return every addressed organisation with its package and nominees by (kind, state)."""
    counts: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    nominees = (
        select(Nomination.package_id, Nomination.kind, Nomination.state, func.count())
        .where(Nomination.campaign_id == campaign.id)
        .group_by(Nomination.package_id, Nomination.kind, Nomination.state)
    )
    for package_id, kind, state, n in session.execute(nominees):
        counts[package_id][(kind, state)] = n
    query = (
        select(
            OrganisationRow.code,
            OrganisationRow.name,
            OrganisationRow.kind,
            NominationPackage.id,
            NominationPackage.state,
            NominationPackage.submitted_at,
            NominationPackage.late,
        )
        .select_from(CampaignParticipant)
        .join(OrganisationRow, OrganisationRow.code == CampaignParticipant.organisation_id)
        .outerjoin(
            NominationPackage,
            and_(
                NominationPackage.campaign_id == campaign.id,
                NominationPackage.organisation_id == CampaignParticipant.organisation_id,
            ),
        )
        .where(CampaignParticipant.campaign_id == campaign.id)
    )
    rows = session.execute(query)
    first = first_submissions(session, campaign)
    deadline = nominations_deadline(session, campaign)
    facts = []
    for code, name, kind, package, state, at, late in rows:
        if package in first:  # a package returned and sent again counts from its first sending
            at = first[package]
            late = deadline is not None and timing(at, deadline) is Timing.LATE
        nominees = counts.get(package or 0, {})
        facts.append(ReportFacts(code, name, kind, state, at, bool(late), nominees))
    return facts


def first_submissions(session: Session, campaign: Campaign) -> dict[int, datetime]:
    """Return package id → the moment it was first sent, from the audit trail: a package
    returned and sent again keeps, for a report, the period and timeliness of its first sending
    (its row keeps only the last)."""
    query = (
        select(AuditEvent.target_id, func.min(AuditEvent.at))
        .join(NominationPackage, cast(NominationPackage.id, String) == AuditEvent.target_id)
        .where(
            AuditEvent.action == "package_submit",
            AuditEvent.target_kind == NominationPackage.__tablename__,
            NominationPackage.campaign_id == campaign.id,
        )
        .group_by(AuditEvent.target_id)
    )
    return {int(target): at for target, at in session.execute(query)}


def campaign_report(
    session: Session, campaign: Campaign, kind: ReportPeriod | str
) -> CampaignReport:
    """Return the report's figures of ``campaign`` for period ``kind`` of its year."""
    return compute_report(
        report_facts(session, campaign),
        minimum_by_kind(quotas(session, campaign)),
        period(ReportPeriod(kind), campaign.year),
    )


# --- the draft's data ---------------------------------------------------------------------------


def _subject(campaign: Campaign) -> str:
    """Return the campaign's title as a summary continues it: lower-cased, its year left off."""
    title = campaign.title.removesuffix(f" năm {campaign.year}").strip()
    return title[:1].lower() + title[1:]


def computed_blocks(report: CampaignReport) -> list[dict[str, str]]:
    """Return the body paragraphs stating the figures (what a refresh replaces)."""
    return [{"kind": "para", "text": text} for text in report.sentences()]


def report_data(campaign: Campaign, report: CampaignReport) -> dict[str, Any]:
    """Return the bao-cao fields: summary, body (prose marks + sentences), tables, conclusion."""
    p = report.period
    return {
        "summary": f"Kết quả {_subject(campaign)} {p.label}"[:500],
        "body": [
            {"kind": "section", "text": "I. KẾT QUẢ THỰC HIỆN"},
            {"kind": "para", "text": PROSE_RESULTS},
            *computed_blocks(report),
        ],
        "figures": report.figures((campaign.selection_min, campaign.selection_max)),
        "breakdown": report.breakdown(),
        "conclusion": [
            {"kind": "section", "text": p.kind.outlook(p.year)},
            {"kind": "para", "text": PROSE_OUTLOOK},
        ],
    }


def _snapshot(report: CampaignReport, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "period": str(report.period.kind),
        "year": report.period.year,
        "counts": report.snapshot(),
        "figures": data["figures"],
        "breakdown": data["breakdown"],
        "sentences": [b["text"] for b in computed_blocks(report)],
    }


def _recipients(session: Session, draft: Draft, year: int, *, actor: Actor, now: datetime) -> str:
    """Return the code of the draft's Nơi nhận: the recorded report list of the year when the
    organisation may use it, else one composed for the draft (UBND tỉnh; Lưu: VT, TĐKT)."""
    recorded = session.get(RecipientListRow, f"bao-cao-6-thang-{year}")
    if recorded is not None and list_usable_by(recorded, draft.organisation_id):
        return recorded.code
    name, organisation = REPORT_TO
    known = session.get(OrganisationRow, organisation) is not None
    block, problems = check_lines(
        Lines(noi_nhan=((name, "", organisation if known else ""),), archive=ARCHIVE_UNIT),
        organisations={organisation} if known else set(),
    )
    if problems:
        raise RuleError("Không lập được nơi nhận: " + "; ".join(problems.values()))
    code = lists.compose_for_draft(session, draft, block, actor=actor, now=now)
    assert code is not None  # the block names UBND tỉnh
    return code


# --- writing ------------------------------------------------------------------------------------


def draft_report(
    session: Session,
    campaign_id: int,
    *,
    period: ReportPeriod | str,
    actor: Actor,
    renderer: DocumentRenderer,
    now: datetime,
) -> Draft:
    """Return the new report draft of the campaign's organiser for ``period`` (h1 or year).

    ``NotFound`` for another organiser's campaign; ``Forbidden`` for a board member who is not
    a drafter (or registrar) of the organiser; ``FieldError`` for an unknown period.
    """
    kind = _period_kind(period)
    campaign = report_campaign(session, campaign_id, actor)
    if not can(actor, Action.RENDER_DRAFT, campaign.organisation_id):
        raise Forbidden(
            "Soạn báo cáo cần vai trò Chuyên viên (hoặc Văn thư) của Ban Thi đua - Khen thưởng.",
            code="report_needs_drafter",
        )
    report = campaign_report(session, campaign, kind)
    data = report_data(campaign, report)
    draft = drafts.create_draft(
        session, actor=actor, template=TEMPLATE, data=data, renderer=renderer, now=now,
        signer=campaign_documents.sole_signer(session, campaign.organisation_id),
    )  # fmt: skip
    code = _recipients(session, draft, campaign.year, actor=actor, now=now)
    draft = drafts.update_draft(session, draft.id, actor=actor, version=draft.version, now=now,
                                recipients=code)  # fmt: skip
    campaign_documents.record_draft(
        session, draft, campaign_id=campaign.id, purpose=CampaignDocumentPurpose.REPORT,
        actor=actor, now=now, snapshot=_snapshot(report, data),
    )  # fmt: skip
    return draft


def _period_kind(value: ReportPeriod | str) -> ReportPeriod:
    try:
        return ReportPeriod(value)
    except ValueError:
        raise FieldError({"period": "Chọn kỳ báo cáo: 6 tháng đầu năm hoặc cả năm."}) from None


def _report_link(session: Session, draft: Draft) -> CampaignDocument:
    link = campaign_documents.link_of(session, draft.id)
    if link is None or link.purpose != CampaignDocumentPurpose.REPORT:
        raise NotFound(f"Dự thảo mã số {draft.id} không phải báo cáo của đợt thi đua.")
    return link


def merge_sentences(
    body: list[dict[str, str]], old: list[str], new: list[dict[str, str]]
) -> tuple[list[dict[str, str]], bool]:
    """Return ``body`` with the computed paragraphs ``old`` replaced by ``new``, and whether
    they were found. Everything else stays; if the clerk rewrote them, the new sentences are
    added at the end of the body (before the tables), never over the clerk's words."""
    out: list[dict[str, str]] = []
    found = False
    for block in body:
        if block.get("text") in old:
            if not found:
                out.extend(new)
                found = True
            continue
        out.append(block)
    return (out, True) if found else ([*out, *new], False)


@dataclass(frozen=True)
class Refreshed:
    draft: Draft
    sentences_replaced: bool  # False: the clerk had rewritten them; the new ones were added


def refresh_report(
    session: Session,
    draft_id: int,
    *,
    actor: Actor,
    version: int,
    now: datetime,
    campaign_id: int | None = None,
) -> Refreshed:
    """Return the report draft with today's figures: its tables and computed sentences
    replaced, the clerk's prose (and summary, signer, recipients) kept.

    Only a draft not yet issued; a draft sent for signature or approved goes back to soạn
    thảo (its signer approved other figures), as any edit does. ``campaign_id``, when given,
    must be the report's campaign (a page's URL names both): ``NotFound`` otherwise.
    """
    draft = drafts.get_draft(session, draft_id, actor)
    link = _report_link(session, draft)
    if campaign_id is not None and link.campaign_id != campaign_id:
        raise NotFound(f"Dự thảo mã số {draft.id} không phải báo cáo của đợt thi đua này.")
    if draft.state == DraftState.DA_BAN_HANH:
        raise Conflict(
            "Báo cáo đã ban hành: số liệu của văn bản đã ban hành không thay đổi được.",
            code="report_issued",
        )
    campaign = report_campaign(session, link.campaign_id, actor)
    snapshot = dict(link.snapshot or {})
    report = campaign_report(session, campaign, snapshot.get("period", ReportPeriod.FIRST_HALF))
    fresh = report_data(campaign, report)
    data = dict(draft.data or {})
    body, replaced = merge_sentences(
        list(data.get("body") or []), list(snapshot.get("sentences") or []),
        computed_blocks(report),
    )  # fmt: skip
    data.update(body=body, figures=fresh["figures"], breakdown=fresh["breakdown"])
    draft = drafts.update_draft(session, draft.id, actor=actor, version=version, now=now,
                                data=data)  # fmt: skip
    link.snapshot = _snapshot(report, fresh)
    session.flush()
    return Refreshed(draft, replaced)


@dataclass(frozen=True)
class ReportDraft:
    """A report draft of the campaign, and whether its figures are still today's."""

    draft: Draft
    period: ReportPeriod
    stale: bool


def report_drafts(session: Session, campaign: Campaign) -> list[ReportDraft]:
    """Return the campaign's report drafts (oldest first), each saying if its figures moved."""
    found = campaign_documents.links_of_campaign(
        session, campaign.id, purpose=CampaignDocumentPurpose.REPORT
    )
    current: dict[str, dict[str, Any]] = {}
    out = []
    for link, draft in found:
        kind = ReportPeriod(link.snapshot.get("period", ReportPeriod.FIRST_HALF))
        if kind not in current:
            current[kind] = campaign_report(session, campaign, kind).snapshot()
        issued = draft.state == DraftState.DA_BAN_HANH
        stale = not issued and link.snapshot.get("counts") != current[kind]
        out.append(ReportDraft(draft, kind, stale))
    return out
