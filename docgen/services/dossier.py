"""The central submission dossier (hồ sơ trình Trung ương, issue 10), built in one step.

From the campaign's ISSUED tờ trình and the selection it names: the Danh sách (phụ lục) and
one trích ngang per nominee rendered from recorded data through the ordinary templates, with
their "Kèm theo" line citing the tờ trình's real number and date; every DOCX converted by the
app's LibreOffice pool (the trích ngang in one batch per worker, see rendering/dossier_pdf);
one merged PDF in dossier order with a bookmark per part and per nominee; a ZIP of every DOCX
and PDF, the merged PDF and ``manifest.json``. ``services/dossier_archive.py`` archives it
immutably (blobs + append-only rows + a seal that ``docgen verify`` recomputes). Services
never commit.
"""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import NotFound, RuleError
from docgen.models import Campaign, Document, Nomination, OrganisationRow
from docgen.models.dossier import Dossier, DossierFile, DossierRole
from docgen.policy import Action, Actor, can
from docgen.rendering.documents import DocumentRenderer
from docgen.rendering.dossier_pdf import (
    Bookmark,
    SplitFailed,
    concat_docx,
    merge_with_outline,
    split_by_markers,
)
from docgen.rendering.previews import page_count
from docgen.rules.dossier import citation, slug
from docgen.rules.nominations import COLLECTIVE
from docgen.services.archive import blob_bytes, get_rendition
from docgen.services.campaigns import get_campaign
from docgen.services.chain import sha256_hex
from docgen.services.dossier_drafts import addressee, issued_submission, submissions
from docgen.services.lookup import DbRecordLookup
from docgen.services.renditions import PdfConverter

Progress = Callable[[int, int, str], None]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
EXTRACT_TITLE = "TRÍCH NGANG THÀNH TÍCH"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries: the bytes depend on the dossier, not the clock
NO_SUBMISSION = (
    "Chưa có tờ trình nào của đợt thi đua đã được ban hành: hãy soạn tờ trình từ danh sách xét "
    "chọn (trang Hồ sơ trình Trung ương), trình ký, duyệt và ban hành, rồi lập hồ sơ."
)


@dataclass
class Part:
    """One file of the dossier before it is stored."""

    name: str
    role: DossierRole
    what: str
    media_type: str
    data: bytes
    pages: int | None = None
    document: str | None = None
    nomination_id: int | None = None


@dataclass
class BuiltDossier:
    campaign_id: int
    organisation_id: str
    addressed_to: str | None
    submission: Document
    nominees: list[int]
    files: list[Part]  # every file the ZIP holds but the manifest, merged PDF included
    merged: bytes
    merged_pages: int
    manifest: bytes
    zip: bytes
    timings: dict[str, float] = field(default_factory=dict)
    batched: bool = True


def may_read(actor: Actor, dossier: Dossier) -> bool:
    """The organiser's board, and the organisation the tờ trình went to, see the dossier."""
    return can(actor, Action.MANAGE_CAMPAIGN, dossier.organisation_id) or (
        dossier.addressed_to is not None and actor.of(dossier.addressed_to)
    )


def get_dossier(session: Session, dossier_id: int, actor: Actor) -> Dossier:
    """Return the dossier if ``actor`` may see it; ``NotFound`` otherwise (not disclosed)."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or not (actor.system or may_read(actor, dossier)):
        raise NotFound(f"Không có hồ sơ trình Trung ương số {dossier_id}.", id=dossier_id)
    return dossier


def dossier_files(session: Session, dossier_id: int) -> list[DossierFile]:
    query = select(DossierFile).where(DossierFile.dossier_id == dossier_id)
    return list(session.scalars(query.order_by(DossierFile.position)))


def dossiers_of(session: Session, campaign_id: int) -> list[Dossier]:
    query = select(Dossier).where(Dossier.campaign_id == campaign_id).order_by(Dossier.id.desc())
    return list(session.scalars(query))


def addressed_dossiers(session: Session, organisation: str) -> list[Dossier]:
    query = select(Dossier).where(Dossier.addressed_to == organisation)
    return list(session.scalars(query.order_by(Dossier.id.desc())))


def dossier_inputs(
    session: Session, campaign_id: int, *, actor: Actor, submission_id: int | None = None
) -> tuple[Campaign, Document, list[Nomination]]:
    """Return the campaign, its issued tờ trình in force and the nominees its snapshot names
    (in its order); ``RuleError`` when there is none, or when it is not ``submission_id`` (the
    one a queued job was asked for: withdrawn or replaced since)."""
    campaign = get_campaign(session, campaign_id)
    if not can(actor, Action.MANAGE_CAMPAIGN, campaign.organisation_id):
        raise NotFound(f"Không có đợt thi đua mã số {campaign_id}.", id=campaign_id)
    submission = issued_submission(session, campaign.id)
    if submission is None:
        raise RuleError(NO_SUBMISSION, code="no_submission")
    if submission_id is not None and submission.id != submission_id:
        raise RuleError(
            "Tờ trình được yêu cầu lập hồ sơ không còn là tờ trình hiện hành của đợt thi đua (đã "
            "thu hồi hoặc đã có tờ trình mới); hãy lập hồ sơ lại.",
            code="submission_changed",
        )
    link = next(lk for lk, d in reversed(submissions(session, campaign.id))
                if d.document_id == submission.id)  # fmt: skip
    ids = list((link.snapshot or {}).get("selected") or [])
    rows = {r.id: r for r in session.scalars(select(Nomination).where(Nomination.id.in_(ids)))}
    if sorted(rows) != sorted(ids):
        raise RuleError("Một số người được xét chọn trong tờ trình không còn trong cơ sở dữ liệu.")
    return campaign, submission, [rows[i] for i in ids]


def build_dossier(
    session: Session,
    campaign_id: int,
    *,
    actor: Actor,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    workers: int = 2,
    progress: Progress | None = None,
    batch: bool = True,
) -> BuiltDossier:
    """Return the dossier of the campaign's issued tờ trình (reads only; the tờ trình's PDF
    rendition must exist: ``jobs.dossier.ensure_submission_pdf`` makes it)."""
    campaign, submission, rows = dossier_inputs(session, campaign_id, actor=actor)
    report = progress or (lambda _d, _t, _m: None)
    total = len(rows) + 3
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    rendition = get_rendition(session, submission.id, "pdf")
    if rendition is None:
        raise NotFound(f"Tờ trình {submission.notation} chưa có bản PDF.", id=submission.id)
    cite = citation(submission.type_name, submission.notation, submission.issued_date,
                    submission.organ_name)  # fmt: skip
    orgs = dict(session.execute(select(OrganisationRow.code, OrganisationRow.name)).all())
    lookup = DbRecordLookup(session)
    appendix = _render(renderer, lookup, "danh-sach", submission, None, {
        "title": f"Danh sách điển hình tiên tiến tiêu biểu đề nghị giới thiệu Trung ương "
                 f"năm {campaign.year}",
        "parent_ref": cite, "rows": [_list_row(r, orgs) for r in rows],
    })  # fmt: skip
    extracts = [
        _render(
            renderer,
            lookup,
            "trich-ngang",
            submission,
            submission.signer,
            _extract_fields(r, orgs, cite),
        )
        for r in rows
    ]
    timings["render"] = time.perf_counter() - clock
    report(1, total, f"Đã điền {len(rows) + 1} văn bản; đang chuyển sang PDF.")
    clock = time.perf_counter()
    appendix_pdf, extract_pdfs, batched = _convert(
        converter, appendix, extracts, [r.name for r in rows], workers=workers, batch=batch,
        report=lambda done: report(1 + done, total, f"Đã chuyển {done}/{len(rows)} trích ngang."),
    )  # fmt: skip
    timings["convert"] = time.perf_counter() - clock
    clock = time.perf_counter()
    submission_pdf = blob_bytes(session, rendition.blob_sha256)
    parts = _parts(submission, submission_pdf, appendix, appendix_pdf, rows, extracts, extract_pdfs)
    merged, merged_pages = merge_with_outline(_outline(parts, rows))
    timings["merge"] = time.perf_counter() - clock
    report(len(rows) + 2, total, "Đã gộp tệp PDF; đang đóng gói ZIP.")
    clock = time.perf_counter()
    merged_name = f"ho-so-trinh-trung-uong-{campaign.year}.pdf"
    parts.append(Part(merged_name, DossierRole.MERGED, "Hồ sơ gộp theo thứ tự, có dấu trang",
                      PDF, merged, merged_pages))  # fmt: skip
    manifest = _manifest(campaign, submission, parts)
    archive = _zip(parts, manifest)
    timings["zip"] = time.perf_counter() - clock
    return BuiltDossier(
        campaign_id=campaign.id, organisation_id=campaign.organisation_id,
        addressed_to=addressee(session, campaign).code, submission=submission,
        nominees=[r.id for r in rows], files=parts, merged=merged, merged_pages=merged_pages,
        manifest=manifest, zip=archive, timings=timings, batched=batched,
    )  # fmt: skip


def _render(
    renderer: DocumentRenderer, lookup: DbRecordLookup, template: str, submission: Document,
    signer: str | None, fields: dict[str, Any],
) -> bytes:  # fmt: skip
    prepared = renderer.prepare(lookup, template, issuer=submission.issuer, signer=signer,
                                recipients=None, fields=fields)  # fmt: skip
    return renderer.render(prepared, number=None, issue_date=submission.issued_date).docx


def _list_row(row: Nomination, orgs: dict[str, str]) -> dict[str, Any]:
    return {
        "name": row.name, "kind": "tap-the" if row.kind == COLLECTIVE else "ca-nhan",
        "position": "" if row.kind == COLLECTIVE else row.position[:200],
        "unit": orgs.get(row.organisation_id, row.organisation_id), "field": row.field,
        "achievement": row.achievements[:3000], "note": "",
    }  # fmt: skip


def _extract_fields(row: Nomination, orgs: dict[str, str], cite: str) -> dict[str, Any]:
    lines = [line.strip() for line in row.achievements.splitlines() if line.strip()]
    if row.previous_awards.strip():
        lines.append(f"Các hình thức đã được khen thưởng: {row.previous_awards.strip()}")
    fields: dict[str, Any] = {
        "kind": "tap-the" if row.kind == COLLECTIVE else "ca-nhan", "attached_to": cite,
        "full_name": row.name, "unit": orgs.get(row.organisation_id, row.organisation_id),
        "position": row.position[:200], "achievements": lines or ["(không ghi)"],
    }  # fmt: skip
    if row.birth_year:
        fields["birth_year"] = row.birth_year
    if row.gender in ("nam", "nu"):
        fields["gender"] = "Nam" if row.gender == "nam" else "Nữ"
    return fields


def _convert(
    converter: PdfConverter, appendix: bytes, extracts: list[bytes], names: list[str], *,
    workers: int, batch: bool, report: Callable[[int], None],
) -> tuple[bytes, list[bytes], bool]:  # fmt: skip
    """Return the phụ lục's PDF, each trích ngang's PDF, and whether they were batched."""
    size = max(1, -(-len(extracts) // max(workers, 1)))
    chunks = [list(range(i, min(i + size, len(extracts)))) for i in range(0, len(extracts), size)]
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        appendix_job = pool.submit(converter.to_pdf, appendix)
        out: list[bytes] = []
        if batch and chunks:
            jobs = [pool.submit(converter.to_pdf, concat_docx([extracts[i] for i in c]))
                    for c in chunks]  # fmt: skip
            try:
                for chunk, job in zip(chunks, jobs, strict=True):
                    pdf = job.result()
                    out += split_by_markers(pdf, [names[i] for i in chunk], title=EXTRACT_TITLE)
                    report(len(out))
            except SplitFailed:
                out = []
        if len(out) != len(extracts):  # one by one: the batch could not be cut safely
            batch = False
            singles = [pool.submit(converter.to_pdf, docx) for docx in extracts]
            out = []
            for job in singles:
                out.append(job.result())
                report(len(out))
        return appendix_job.result(), out, batch


def _parts(
    submission: Document, submission_pdf: bytes, appendix: bytes, appendix_pdf: bytes,
    rows: list[Nomination], extracts: list[bytes], extract_pdfs: list[bytes],
) -> list[Part]:  # fmt: skip
    notation = submission.notation
    stem = f"01-to-trinh-{slug(notation)}"
    parts = [
        Part(f"{stem}.pdf", DossierRole.SUBMISSION, f"Tờ trình số {notation} (bản PDF lưu trữ)",
             PDF, submission_pdf, page_count(submission_pdf), notation),
        Part("02-phu-luc-danh-sach.docx", DossierRole.APPENDIX, "Danh sách (phụ lục), DOCX",
             DOCX, appendix, None, notation),
        Part("02-phu-luc-danh-sach.pdf", DossierRole.APPENDIX, "Danh sách (phụ lục), PDF",
             PDF, appendix_pdf, page_count(appendix_pdf), notation),
    ]  # fmt: skip
    for n, (row, docx, pdf) in enumerate(zip(rows, extracts, extract_pdfs, strict=True), start=1):
        name = f"03-trich-ngang/{n:03d}-{slug(row.name)}"
        what = f"Trích ngang thành tích: {row.name}"
        parts.append(Part(f"{name}.docx", DossierRole.EXTRACT, f"{what} (DOCX)", DOCX, docx,
                          None, notation, row.id))  # fmt: skip
        parts.append(Part(f"{name}.pdf", DossierRole.EXTRACT, f"{what} (PDF)", PDF, pdf,
                          page_count(pdf), notation, row.id))  # fmt: skip
    return parts


def _outline(parts: list[Part], rows: list[Nomination]) -> list[Bookmark]:
    pdfs = [p for p in parts if p.media_type == PDF]
    names = {r.id: r.name for r in rows}
    return [
        Bookmark(f"Tờ trình số {pdfs[0].document}", pdfs[0].data),
        Bookmark("Danh sách (phụ lục)", pdfs[1].data),
        Bookmark("Trích ngang thành tích", None,
                 [Bookmark(names[p.nomination_id], p.data) for p in pdfs[2:]]),  # type: ignore[index]
    ]  # fmt: skip


def manifest_entries(parts: list[Part] | list[DossierFile]) -> list[dict[str, Any]]:
    """Return the manifest's file list (also recomputed from the rows by verify)."""
    out = []
    for p in parts:
        sha = p.sha256 if isinstance(p, DossierFile) else sha256_hex(p.data)
        size = p.size if isinstance(p, DossierFile) else len(p.data)
        out.append({"name": p.name, "what": p.what, "role": str(p.role), "sha256": sha,
                    "size": size, "pages": p.pages, "document": p.document,
                    "nomination_id": p.nomination_id, "media_type": p.media_type})  # fmt: skip
    return out


def _manifest(campaign: Campaign, submission: Document, parts: list[Part]) -> bytes:
    body = {
        "campaign": {"id": campaign.id, "code": campaign.code, "year": campaign.year},
        "submission": {
            "document_id": submission.id,
            "notation": submission.notation,
            "issued_date": submission.issued_date.isoformat(),
            "issuer": submission.organ_name,
        },
        "files": manifest_entries(parts),
    }
    return json.dumps(body, ensure_ascii=False, indent=2).encode()


def _zip(parts: list[Part], manifest: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            archive.writestr(zipfile.ZipInfo(part.name, date_time=_FIXED_TIME), part.data)
        archive.writestr(zipfile.ZipInfo("manifest.json", date_time=_FIXED_TIME), manifest)
    return out.getvalue()
