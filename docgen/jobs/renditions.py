"""The renditions job: PDF and PDF/A of an issued document, made in a worker after issuance.

``queue_renditions`` adds the job row in the caller's transaction (the issuing one, or
``POST …/renditions`` for a document issued without one); the caller commits, then
``submit``s it. The handler
converts outside any write transaction and stores each rendition in a short transaction
guarded by its claim: killed between two steps, the retry makes only what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import Flask
from sqlalchemy.orm import Session

from docgen.errors import ConversionError
from docgen.jobs.runner import JobRun, Outcome, PassingFailure, handles
from docgen.models import Document, Job, JobKind, JobState
from docgen.policy import Actor, system_actor
from docgen.rendering.pdf import ConversionCrashed, ConversionTimeout
from docgen.runtime import get_converter
from docgen.services import jobs
from docgen.services.archive import get_rendition
from docgen.services.renditions import KINDS, convert, store_rendition

KIND_LABELS = {"pdf": "PDF", "pdfa": "PDF/A"}
_SHUTTING_DOWN = {"converter_closed", "converter_stopped"}  # worth a retry by another worker


def guard_key(document_id: int) -> str:
    """Return the guard key of a document's renditions job: one such job per document."""
    return f"renditions:{document_id}"


def queue_renditions(session: Session, document: Document, *, actor: Actor, now: datetime) -> Job:
    """Return the document's renditions job, added now unless one exists (the caller commits)."""
    return jobs.create_job(
        session,
        JobKind.RENDITIONS,
        actor=actor,
        organisation=document.issuer,
        now=now,
        params={"document_id": document.id},
        guard_key=guard_key(document.id),
        total=len(KINDS),
        message=f"Chờ tạo bản PDF, PDF/A của văn bản số {document.notation}.",
    )


def renditions_on_issue(
    app: Flask, session: Session, document: Document, *, actor: Actor, now: datetime
) -> Job | None:
    """Return the renditions job added to the issuing transaction (None when turned off).

    Called before the issuing commit, so the job row commits with the document: if the
    process dies right after, the worker's sweep still finds it. ``submit`` it after commit.
    """
    if not app.config.get("DOCGEN_RENDITIONS_ON_ISSUE", True):
        return None
    return queue_renditions(session, document, actor=actor, now=now)


def job_actor(session: Session, job: Job) -> Actor:
    """Return who a job acts as: its user while active, else the worker itself."""
    if job.user_id is not None:
        from docgen.services.accounts import actor_for, get_user

        user = get_user(session, job.user_id)
        if user is not None and user.active:
            return actor_for(user)
    return system_actor("worker")


@handles(JobKind.RENDITIONS)
def make_renditions(run: JobRun) -> Outcome:
    """Return the outcome of making a document's missing renditions, one guarded step each."""
    session = run.session
    document_id = int(run.job.params["document_id"])
    actor = job_actor(session, run.job)
    try:
        converter = get_converter(run.app)
    except ConversionError as exc:  # the worker is shutting down: the job is taken over later
        raise PassingFailure(exc.message, code=exc.code) from exc
    session.rollback()  # nothing to keep from the claim's reads
    for step, kind in enumerate(KINDS):
        label = KIND_LABELS[kind]
        run.report(step, len(KINDS), f"Đang tạo bản {label} ({step + 1}/{len(KINDS)}).", force=True)
        if get_rendition(session, document_id, kind) is not None:
            session.rollback()
            continue  # made by an earlier attempt
        try:
            pdf, pages = convert(session, document_id, kind, converter=converter)
        except (ConversionTimeout, ConversionCrashed) as exc:
            raise PassingFailure(exc.message, code=exc.code) from exc
        except ConversionError as exc:
            if exc.code not in _SHUTTING_DOWN:
                raise
            raise PassingFailure(exc.message, code=exc.code) from exc
        session.rollback()  # end the read; the store below is a short writer's transaction
        run.guard()
        store_rendition(
            session, document_id, kind, pdf, pages=pages, actor=actor, now=run.clock.now()
        )
        session.commit()
    return Outcome(
        message="Đã tạo xong bản PDF và PDF/A.",
        result={"document_id": document_id, "renditions": list(KINDS)},
    )


def make_renditions_now(app: Flask, document_ids: Iterable[int], *, actor: Actor) -> list[Job]:
    """Return the renditions jobs of ``document_ids`` after running them here, in the foreground.

    The CLI's way (``docgen renditions``, ``docgen load-samples``): the same job rows and
    the same guarded steps as the worker, so a worker running at the same time never makes
    a rendition twice. A failed job is retried once here; its error stays on the row.
    """
    from docgen.db import get_db
    from docgen.jobs.runner import app_clock, run_job, stall_after

    clock = app_clock(app)
    finished = []
    for document_id in document_ids:
        with get_db(app).session() as session:
            document = session.get_one(Document, document_id)
            job = queue_renditions(session, document, actor=actor, now=clock.now())
            if job.state == JobState.FAILED:
                jobs.retry(session, job.id, now=clock.now(), stall_after=stall_after(app))
            session.commit()
            job_id = job.id
        run_job(app, job_id)
        with get_db(app).session() as session:
            finished.append(jobs.get_job(session, job_id))
    return finished
