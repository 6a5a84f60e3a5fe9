"""The submission dossier as a job ("Lập hồ sơ trình Trung ương"), and the same steps for the
console (``docgen dossier build``): the tờ trình's PDF made where missing, the dossier built
outside any transaction (progress on the job row), then archived in one short transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import Conflict, DocgenError
from docgen.jobs.renditions import job_actor
from docgen.jobs.runner import JobRun, Outcome, handles
from docgen.models import Job, JobKind
from docgen.models.dossier import Dossier
from docgen.policy import Actor
from docgen.rendering.documents import DocumentRenderer
from docgen.runtime import get_converter, get_renderer
from docgen.services import jobs, renditions
from docgen.services.archive import get_rendition
from docgen.services.dossier import (
    BuiltDossier,
    Progress,
    build_dossier,
    dossier_inputs,
)
from docgen.services.dossier_archive import archived_dossier, store_dossier


def queue_dossier(session: Session, campaign_id: int, *, actor: Actor, now: datetime) -> Job:
    """Return the dossier job of the campaign's issued tờ trình (the caller commits and submits
    it): one per tờ trình — asking again gives the same job; refuses at once when the campaign
    has no issued tờ trình, or when its dossier is already archived."""
    campaign, submission, rows = dossier_inputs(session, campaign_id, actor=actor)
    built = archived_dossier(session, submission.id)
    if built is not None:
        raise Conflict(
            f"Hồ sơ của {submission.type_name.lower()} số {submission.notation} đã được lập "
            f"(hồ sơ số {built.id}); tải lại hồ sơ đó.",
            code="dossier_exists",
            dossier=built.id,
        )
    session.rollback()  # the check's read ends: the job row is written as a writer (SQLite)
    return jobs.create_job(
        session, JobKind.DOSSIER, actor=actor, organisation=campaign.organisation_id, now=now,
        params={"campaign_id": campaign_id, "submission": submission.id}, total=len(rows) + 3,
        message="Chờ lập hồ sơ trình Trung ương.", guard_key=f"dossier:{submission.id}",
    )  # fmt: skip


def ensure_submission_pdf(
    session: Session, document_id: int, *, converter: renditions.PdfConverter, actor: Actor,
    now: Callable[[], datetime],
) -> None:  # fmt: skip
    """Make and store the tờ trình's PDF rendition if it is missing (its own transaction)."""
    if get_rendition(session, document_id, "pdf") is None:
        pdf, pages = renditions.convert(session, document_id, "pdf", converter=converter)
        session.rollback()
        begin_write(session)
        renditions.store_rendition(session, document_id, "pdf", pdf, pages=pages, actor=actor,
                                   now=now())  # fmt: skip
        session.commit()
    session.rollback()


def build_and_store(
    session: Session, campaign_id: int, *, actor: Actor, renderer: DocumentRenderer,
    converter: renditions.PdfConverter, now: Callable[[], datetime],
    progress: Progress | None = None, job_id: int | None = None, batch: bool = True,
    submission_id: int | None = None,
) -> tuple[Dossier, BuiltDossier]:  # fmt: skip
    """Return the archived dossier (committed) and what was built, timings included;
    ``submission_id`` is the tờ trình the dossier was asked for (a job's), if any."""
    _campaign, submission, _rows = dossier_inputs(
        session, campaign_id, actor=actor, submission_id=submission_id
    )
    ensure_submission_pdf(session, submission.id, converter=converter, actor=actor, now=now)
    built = build_dossier(
        session, campaign_id, actor=actor, renderer=renderer, converter=converter,
        workers=getattr(converter, "workers", 1), progress=progress, batch=batch,
    )  # fmt: skip
    session.rollback()
    begin_write(session)
    dossier = store_dossier(session, built, actor=actor, now=now(), job_id=job_id)
    session.commit()
    return dossier, built


@handles(JobKind.DOSSIER)
def make_dossier(run: JobRun) -> Outcome:
    """Return the outcome of building and archiving one dossier."""
    session = run.session
    actor = job_actor(session, run.job)
    if actor.system:  # its user was disabled: never build with the worker's rights
        raise DocgenError(
            "Người yêu cầu lập hồ sơ không còn hoạt động; hãy để người khác lập lại hồ sơ.",
            code="requester_inactive",
        )
    dossier, built = build_and_store(
        session, int(run.job.params["campaign_id"]), actor=actor,
        renderer=get_renderer(run.app), converter=get_converter(run.app), now=run.clock.now,
        progress=lambda done, total, message: run.report(done, total, message),
        job_id=run.job.id, submission_id=run.job.params.get("submission"),
    )  # fmt: skip
    return Outcome(
        message=f"Đã lập hồ sơ trình Trung ương: {len(built.nominees)} trích ngang, "
        f"{built.merged_pages} trang.",
        result={
            "dossier_id": dossier.id,
            "pages": built.merged_pages,
            "seal": dossier.seal,
            "timings": built.timings,
        },
    )
