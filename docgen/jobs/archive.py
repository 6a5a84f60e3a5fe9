"""Archive-wide jobs: verify (re-hash everything) and re-index (rebuild the search index).

Both run the same services as the foreground commands (``docgen verify``, ``docgen
reindex``); only the face differs: here progress goes to the job row for the page.
"""

from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.jobs.runner import REPORT_EVERY, JobRun, Outcome, handles
from docgen.models import Job, JobKind
from docgen.policy import Actor
from docgen.services import jobs
from docgen.services.search import reindex_all
from docgen.services.verify import verify_archive

MAX_FINDINGS = 200  # kept in the job's result; the full list is one `docgen verify` away


def queue_archive_job(session: Session, kind: JobKind, *, actor: Actor, now: datetime) -> Job:
    """Return a new verify or re-index job of the whole archive (the caller commits)."""
    if kind not in (JobKind.VERIFY, JobKind.REINDEX):
        raise ValueError(f"not an archive-wide job: {kind}")
    return jobs.create_job(
        session, kind, actor=actor, organisation=actor.organisation, now=now,
        message=f"Chờ {kind.label.lower()}.",
    )  # fmt: skip


@handles(JobKind.VERIFY)
def verify(run: JobRun) -> Outcome:
    """Return the verify report as the job's outcome (read-only: one snapshot, no writes)."""

    def progress(done: int, total: int) -> None:
        run.report(done, total, f"Đã kiểm tra {done}/{total} bản ghi.")

    report = verify_archive(run.session, progress=progress)
    run.session.rollback()
    # Each finding keeps whose register it is: the pages show it only to who may see it.
    findings = [
        {"message": f.kept_message, "organisation": f.organisation, "secret": f.secret}
        for f in report.findings
    ]
    counts = {
        "blobs": report.blobs,
        "documents": report.documents,
        "events": report.events,
        "renditions": report.renditions,
    }
    verdict = "Phát hiện sai lệch trong kho lưu trữ." if findings else "Kho lưu trữ toàn vẹn."
    return Outcome(
        message=f"Đã kiểm tra toàn bộ kho lưu trữ. {verdict}",
        result={
            "clean": not findings,
            "counts": counts,
            "findings": findings[:MAX_FINDINGS],
            "findings_total": len(findings),
        },
    )


@handles(JobKind.REINDEX)
def reindex(run: JobRun) -> Outcome:
    """Return the outcome of rebuilding the search index, committed in guarded steps.

    Committing about once a second shows progress and keeps SQLite's write lock short;
    meanwhile searches find only the documents indexed so far (the archive is untouched).
    """
    session = run.session
    last = time.monotonic()

    def progress(done: int, total: int) -> None:
        nonlocal last
        if done < total and time.monotonic() - last < REPORT_EVERY:
            return
        last = time.monotonic()
        # in the work's own transaction: on SQLite a second writer would wait for this one
        jobs.progress(
            session, run.job.id, run.attempt, now=run.clock.now(), done=done, total=total,
            message=f"Đã lập chỉ mục {done}/{total} văn bản.",
        )  # fmt: skip
        session.commit()
        begin_write(session)

    session.rollback()
    run.guard()  # takes the writer's lock first (SQLite), with the claim checked
    count = reindex_all(session, progress=progress)
    run.guard()
    session.commit()
    return Outcome(message=f"Đã lập lại chỉ mục tìm kiếm cho {count} văn bản.",
                   result={"documents": count})  # fmt: skip
