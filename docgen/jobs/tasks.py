"""The tasks every app's queue carries: one that runs a job row by its id."""

from __future__ import annotations

from flask import current_app

from docgen.jobs import (  # noqa: F401  (they register the job handlers)
    archive,
    dossier,
    renditions,
    transfer,
)
from docgen.jobs.queue import task
from docgen.jobs.runner import RUN_TASK, run_job


@task(name=RUN_TASK)
def run_job_task(job_id: int) -> None:
    """Run the job row ``job_id`` (the queue carries only the id; the row says the rest)."""
    run_job(current_app._get_current_object(), job_id)  # type: ignore[attr-defined]
