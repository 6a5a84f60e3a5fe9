"""What the registrar confirms before issuing an approved draft (issue 9, design D5).

Read only: the register the number will come from (looked up, never created), the date line
that will be printed, the signer block and the Decree-30 check of the draft as rendered.
The number itself is taken only by ``drafts.issue_approved`` in the issuing transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.checker import Finding, check_docx
from docgen.domain import RegisterKind
from docgen.models import Draft, Register
from docgen.rendering.context import Prepared
from docgen.rendering.documents import DocumentRenderer
from docgen.rules.dates import date_line, date_phrase
from docgen.rules.doctypes import DocKind
from docgen.services.draft_checks import issue_request
from docgen.services.issuance import prepare_request, render_prepared
from docgen.services.lookup import DbRecordLookup

# The draft warning is what issuing fills in (number and date): not a deviation to confirm.
DRAFT_ONLY_RULES = frozenset({"PL1.II.3.draft"})


@dataclass(frozen=True)
class Confirmation:
    """What the registrar confirms before issuing: nothing here takes a number."""

    register: str  # "Sổ văn bản đi (so-di-ubnd)"
    symbol: str  # "KH-UBND"; "" for documents that take no number
    date_line: str  # "Kiên Giang, ngày 20 tháng 3 năm 2017"
    date_phrase: str  # "ngày 20 tháng 3 năm 2017"
    signer_lines: tuple[str, ...]
    signer_name: str
    findings: list[Finding]
    pages: int | None


def confirmation(
    session: Session, draft: Draft, renderer: DocumentRenderer, today: date
) -> Confirmation:
    """Return the confirmation of issuing ``draft`` today (``DocgenError`` if it cannot be).

    The draft is rendered as it stands, without number and date, and checked by
    ``docgen check``; the warning that number and date are missing is left out, since
    issuing is what fills them in. Nothing is written (the register is only looked up).
    """
    lookup = DbRecordLookup(session, organisation=draft.organisation_id)
    prepared = prepare_request(lookup, issue_request(draft), renderer)
    rendered = render_prepared(renderer, prepared, number=None, issue_date=None, year=today.year)
    findings = [f for f in check_docx(rendered.docx) if f.rule not in DRAFT_ONLY_RULES]
    place = prepared.issuer.place or ""
    return Confirmation(
        register=_register_name(session, draft, prepared),
        symbol=prepared.symbol if prepared.numbered else "",
        date_line=date_line(place, today) if place else date_phrase(today),
        date_phrase=date_phrase(today),
        signer_lines=tuple(rendered.signer_lines or ()),
        signer_name=rendered.signer_name or "",
        findings=findings,
        pages=rendered.page_count,
    )


def _register_name(session: Session, draft: Draft, prepared: Prepared) -> str:
    """Return the register issuing will number in, read only (``resolve_register``'s order:
    the named one; copies; one for the type; advisory; general — created on first use)."""
    rows = list(
        session.scalars(
            select(Register).where(Register.organisation == draft.organisation_id)
            .order_by(Register.id)
        )
    )  # fmt: skip
    if draft.register:
        named = [r for r in rows if r.code == draft.register]
        return f"{named[0].name} ({named[0].code})" if named else draft.register
    by_kind = {kind: [r for r in rows if r.kind == kind] for kind in RegisterKind}
    doctype = prepared.doctype
    if doctype.kind is DocKind.COPY:
        candidates = by_kind[RegisterKind.COPIES]
    else:
        typed = [r for r in by_kind[RegisterKind.TYPES] if doctype.code in (r.doctypes or ())]
        candidates = typed + by_kind[RegisterKind.ADVISORY] + by_kind[RegisterKind.GENERAL]
    if candidates:
        return f"{candidates[0].name} ({candidates[0].code})"
    return "Sổ đăng ký văn bản đi của cơ quan (được tạo khi cấp số lần đầu)"
