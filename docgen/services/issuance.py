"""Issuing a document (design D5): validate, take the next number, render, store, seal — in
the caller's one transaction. Drafts are rendered without a number and stored nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from docgen.database import begin_write, is_sqlite
from docgen.domain import RecipientList, RecordLookup
from docgen.errors import Conflict, FieldError, RuleError
from docgen.models import Document, DocumentRecipient, DocumentText, OrganisationRow
from docgen.policy import Action, Actor
from docgen.rendering.documents import DocumentRenderer, Prepared, Rendered, Slotted
from docgen.rendering.fields import Invalid, clean_text
from docgen.rules.dates import short_date
from docgen.rules.numbering import format_number
from docgen.rules.text import fold, nfc
from docgen.services.archive import (
    audit,
    check_actor,
    next_number,
    require,
    resolve_register,
    store_blob,
)
from docgen.services.chain import (
    advance_head,
    document_content,
    lock_register,
    plain,
    seal,
    sha256_hex,
)
from docgen.services.clock import Clock
from docgen.services.lookup import DbRecordLookup
from docgen.services.search import index_document

LANGUAGE = "vi"
PRIORITIES = {0: "Thường", 1: "Khẩn", 2: "Thượng khẩn", 3: "Hỏa tốc"}
# Appendix VI Part II §I lengths of the fields docgen fills from what the clerk chose.
_LIMITS = {"subject": 500, "organ_name": 200, "type_name": 100, "signer_name": 50,
           "signer_position": 100, "description": 500}  # fmt: skip


@dataclass(frozen=True)
class IssueRequest:
    """What a clerk asks to issue: a template, its data and the choices around it."""

    template: str
    issuer: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    signer: str | None = None
    recipients: str | None = None
    unit: str | None = None
    register: str | None = None  # register code; default: the one the type belongs to
    issue_date: date | None = None  # default: today in Asia/Ho_Chi_Minh
    priority: int = 0
    due_date: date | None = None  # hạn trả lời
    description: str | None = None  # ghi chú
    issued_amount: int | None = None  # default: counted from the recipient list


def prepare_request(
    lookup: RecordLookup, request: IssueRequest, renderer: DocumentRenderer
) -> Prepared:
    """Return the validated request, or raise the renderer's errors."""
    return renderer.prepare(
        lookup,
        request.template,
        issuer=request.issuer,
        signer=request.signer,
        recipients=request.recipients,
        fields=request.fields,
        unit=request.unit,
    )


def render_draft(
    session: Session,
    request: IssueRequest,
    *,
    actor: Actor,
    clock: Clock,
    renderer: DocumentRenderer,
) -> Rendered:
    """Return the draft of a request: rendered without number and date, stored nowhere.

    Drafters and registrars draft for their own organisation only (``Forbidden`` otherwise).
    """
    require(actor, Action.RENDER_DRAFT, request.issuer,
            "Chỉ chuyên viên hoặc văn thư của cơ quan ban hành được soạn dự thảo.")  # fmt: skip
    lookup = DbRecordLookup(session, organisation=request.issuer)
    prepared = prepare_request(lookup, request, renderer)
    year = (request.issue_date or clock.today()).year
    return render_prepared(renderer, prepared, number=None, issue_date=None, year=year)


def render_prepared(
    renderer: DocumentRenderer,
    prepared: Prepared,
    *,
    number: int | None,
    issue_date: date | None,
    year: int,
) -> Rendered:
    """Return the rendered document (a step of its own, so tests can interrupt it)."""
    return renderer.render(prepared, number=number, issue_date=issue_date, year=year)


def render_slotted(renderer: DocumentRenderer, prepared: Prepared, *, issue_date: date) -> Slotted:
    """Return the document rendered with a slot for its number (a step of its own too)."""
    return renderer.render_slotted(prepared, issue_date=issue_date)


def issued_amount(the_list: RecipientList | None) -> int | None:
    """Return the copies a recipient list sends: one per Kính gửi, the counted Nơi nhận, Lưu."""
    if the_list is None:
        return None
    sent = len(the_list.kinh_gui) + sum(e.copies or 1 for e in the_list.noi_nhan)
    return sent + (the_list.archive_copies or 1 + len(the_list.archive))


def _check(request: IssueRequest, prepared: Prepared, today: date) -> date:
    """Return the issue date after the checks that need no number; raise on a bad request."""
    if not prepared.numbered:
        raise RuleError(f"Mẫu “{prepared.template}” không được cấp số.", code="not_numbered")
    problems: dict[str, str] = {}
    values = {
        "subject": prepared.summary,
        "organ_name": prepared.issuer.name,
        "type_name": prepared.doctype.name,
        "signer_name": prepared.signer.name if prepared.signer else "",
        "signer_position": prepared.signer.title if prepared.signer else "",
        "description": request.description or "",
    }
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit:
            problems[name] = f"dài quá {limit} ký tự (Phụ lục VI, Nghị định 30/2020/NĐ-CP)"
    try:  # sealed in the document's link: one line of text, nothing a page could not show
        clean_text("Ghi chú", values["description"], multiline=False)
    except Invalid as exc:
        problems["description"] = exc.problems[""]
    if request.priority not in PRIORITIES:
        problems["priority"] = "độ khẩn phải là 0 (thường), 1 (khẩn), 2 (thượng khẩn), 3 (hỏa tốc)"
    if request.issued_amount is not None and not 1 <= request.issued_amount <= 999:
        problems["issued_amount"] = "số lượng bản phát hành phải từ 1 đến 999"
    if problems:
        raise FieldError(problems)
    day = request.issue_date or today
    if day > today:
        raise RuleError(
            f"Ngày ban hành {short_date(day)} ở tương lai (hôm nay là {short_date(today)}).",
            code="future_issue_date",
            issue_date=day.isoformat(),
        )
    if request.due_date is not None and request.due_date < day:
        raise FieldError({"due_date": "hạn trả lời không được trước ngày ban hành"})
    return day


def _recipients(session: Session, the_list: RecipientList | None) -> list[tuple[str | None, str]]:
    """Return field 13 (To): (OrganId, OrganName) for Kính gửi, then each Nơi nhận entry."""
    if the_list is None:
        return []
    codes = {e.organisation for e in the_list.noi_nhan if e.organisation}
    identifiers = dict(
        session.execute(
            select(OrganisationRow.code, OrganisationRow.identifier).where(
                OrganisationRow.code.in_(codes)
            )
        ).all()
    ) if codes else {}  # fmt: skip
    out: list[tuple[str | None, str]] = [(None, name) for name in the_list.kinh_gui]
    out += [(identifiers.get(e.organisation or ""), e.name) for e in the_list.noi_nhan]
    return out


def issue_document(
    session: Session,
    request: IssueRequest,
    *,
    actor: Actor,
    clock: Clock,
    renderer: DocumentRenderer,
) -> Document:
    """Return the issued document: numbered, rendered, stored, indexed, sealed and audited.

    Everything happens in the session's transaction; the caller commits. A failure at any
    step leaves nothing once the caller rolls back: no number, no row, no blob. Only a
    registrar (văn thư) of the issuer issues (``Forbidden`` otherwise).
    """
    actor_name = check_actor(actor)
    require(actor, Action.ISSUE, request.issuer,
            "Chỉ văn thư của cơ quan ban hành được cấp số và ban hành văn bản.")  # fmt: skip
    begin_write(session)
    lookup = DbRecordLookup(session, organisation=request.issuer)
    prepared = prepare_request(lookup, request, renderer)
    day = _check(request, prepared, clock.today())
    to = _recipients(session, prepared.recipients)
    register = resolve_register(session, prepared.issuer, prepared.doctype, request.register)
    # PostgreSQL: render before the register's row lock (the slow part), then under the
    # lock only write the number into its slot, so concurrent clerks wait less. SQLite
    # holds one write lock for the whole transaction anyway: render once, with the number.
    slotted = None if is_sqlite(session) else render_slotted(renderer, prepared, issue_date=day)

    seq, prev_hash = lock_register(session, register.id)
    number, last_date = next_number(session, register.id, day)
    if day < last_date:
        raise Conflict(
            f"Không được lùi ngày: sổ “{register.name}” đã cấp số đến ngày "
            f"{short_date(last_date)}, không thể ban hành văn bản ngày {short_date(day)}.",
            code="backdated_issue_date",
            issue_date=day.isoformat(),
            last_date=last_date.isoformat(),
        )
    if slotted is not None:
        rendered = slotted.fill(number)
    else:
        rendered = render_prepared(renderer, prepared, number=number, issue_date=day, year=day.year)
    now = clock.now()

    document = Document(
        register_id=register.id,
        year=day.year,
        number=number,
        symbol=prepared.symbol,
        symbol_key=fold(prepared.symbol),
        doctype=prepared.doctype.code,
        template=prepared.template,
        issuer=prepared.issuer.code,
        organisation_id=prepared.issuer.code,
        signer=prepared.signer.code if prepared.signer else None,
        recipient_list=prepared.recipients.code if prepared.recipients else None,
        unit=prepared.unit,
        file_organ_id=prepared.issuer.identifier,
        file_catalog=None,
        file_notation=None,
        doc_ordinal=None,
        type_name=prepared.doctype.name,
        code_number=format_number(number),
        code_notation=prepared.symbol,
        issued_date=day,
        organ_name=prepared.issuer.name,
        organ_key=fold(prepared.issuer.name),
        subject=prepared.summary,
        language=LANGUAGE,
        page_amount=rendered.page_count,
        description=request.description,
        signer_position=prepared.signer.title if prepared.signer else None,
        signer_name=rendered.signer_name or None,
        signer_key=fold(rendered.signer_name) if rendered.signer_name else None,
        priority=request.priority,
        issued_amount=request.issued_amount or issued_amount(prepared.recipients),
        due_date=request.due_date,
        title=prepared.title,
        number_line=rendered.number_line,
        date_line=rendered.date_line,
        signer_lines=list(rendered.signer_lines),
        data=plain(dict(prepared.fields)),
        blob_sha256=store_blob(session, rendered.docx, now=now),
        issued_at=now,
        actor=actor_name,
    )
    text = nfc(rendered.text)
    content = document_content(document, to, sha256_hex(text))
    seal(document, content, seq=seq, prev_hash=prev_hash)
    session.add(document)
    try:
        session.flush()
    except IntegrityError as exc:  # the UNIQUE constraints are the last guard (design D5)
        raise Conflict(
            f"{prepared.issuer.name} đã có văn bản số {document.notation} năm {day.year}.",
            code="duplicate_number",
            notation=document.notation,
        ) from exc
    if to:  # plain INSERTs: these rows are never read back in this transaction
        session.execute(
            insert(DocumentRecipient),
            [
                {"document_id": document.id, "position": i, "organ_id": organ_id,
                 "organ_name": name, "organ_key": fold(name)}
                for i, (organ_id, name) in enumerate(to, start=1)
            ],
        )  # fmt: skip
    session.execute(insert(DocumentText), [{"document_id": document.id, "body": text}])
    index_document(session, document, text, [name for _, name in to])
    advance_head(session, register.id, document.row_hash)
    audit(
        session,
        at=now,
        actor=actor_name,
        action="issue",
        target=document,
        notation=document.notation,
        register=register.code,
        sha256=document.blob_sha256,
    )
    session.flush()
    return document
