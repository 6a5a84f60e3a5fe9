"""The transfer export as a job: PDF/A made where missing (with progress), the ZIP built and
written under ``<instance>/exports/``, the export recorded in the audit log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import DocgenError
from docgen.jobs.renditions import job_actor
from docgen.jobs.runner import JobRun, Outcome, handles
from docgen.models import Job, JobKind
from docgen.policy import Action, Actor
from docgen.runtime import get_converter, get_renderer
from docgen.services import jobs
from docgen.services.archive import require
from docgen.services.lookup import DbRecordLookup
from docgen.services.transfer import build_transfer, ensure_pdfa, record_export, transfer_documents


def exports_dir(app: Flask) -> Path:
    """Return the folder of transfer exports (``<instance>/exports``)."""
    return Path(app.instance_path) / "exports"


def export_name(issuer: str, year: int, job_id: int) -> str:
    return f"giao-nop-{issuer}-{year}-{job_id}.zip"


def queue_export(session: Session, issuer: str, year: int, *, actor: Actor, now: datetime) -> Job:
    """Return a new transfer export job (the caller commits and submits it)."""
    require(actor, Action.REGISTER_BOOK, issuer,
            "Chỉ lưu trữ hoặc quản trị của cơ quan ban hành được giao nộp văn bản.")  # fmt: skip
    transfer_documents(session, issuer, year, actor=actor)  # refuses an empty year at once
    session.rollback()  # the check's read ends: the job row is written as a writer (SQLite)
    return jobs.create_job(
        session, JobKind.EXPORT, actor=actor, organisation=issuer, now=now,
        params={"issuer": issuer, "year": year}, message="Chờ giao nộp lưu trữ.",
    )  # fmt: skip


@handles(JobKind.EXPORT)
def make_export(run: JobRun) -> Outcome:
    """Return the outcome of one transfer export: the file written and its SHA-256."""
    session = run.session
    issuer, year = str(run.job.params["issuer"]), int(run.job.params["year"])
    actor = job_actor(session, run.job)
    if actor.system:  # its user was disabled: the export must not run with the worker's rights
        raise DocgenError(
            "Người yêu cầu giao nộp không còn hoạt động; hãy để người khác tạo lại bản giao nộp.",
            code="requester_inactive",
        )
    ids = [d.id for d in transfer_documents(session, issuer, year, actor=actor)]
    total = len(ids) + 1
    ensure_pdfa(
        session, ids, converter=get_converter(run.app), actor=actor, now=run.clock.now,
        progress=lambda done, _n, message: run.report(done, total, message),
    )  # fmt: skip
    run.report(len(ids), total, "Đang đóng gói tệp giao nộp.", force=True)
    export = build_transfer(
        session, DbRecordLookup(session), get_renderer(run.app), issuer, year,
        actor=actor, now=run.clock.now(),
    )  # fmt: skip
    folder = exports_dir(run.app)
    folder.mkdir(parents=True, exist_ok=True)
    name = export_name(issuer, year, run.job.id)
    (folder / name).write_bytes(export.content)
    session.rollback()
    begin_write(session)
    record_export(session, export, issuer, year, actor=actor, now=run.clock.now())
    session.commit()
    return Outcome(
        message=f"Đã đóng gói {export.documents} văn bản vào {name}.",
        result={
            "file": name,
            "sha256": export.sha256,
            "size": len(export.content),
            "documents": export.documents,
        },
    )
