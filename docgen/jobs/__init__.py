"""Background jobs (design D16): the app's huey queue, the job runner, and the job kinds.

The ``job`` table is the truth pages and the API read; huey only carries job ids. Faces
add a job row in their transaction, commit, then ``submit`` it; ``docgen worker`` runs the
consumer, which claims rows, runs them and sweeps up rows that missed the queue.
"""

from __future__ import annotations

from flask import Flask

from docgen.jobs.queue import Queue, QueueUnavailable, get_queue
from docgen.jobs.runner import stall_after, submit, sweep

__all__ = ["Queue", "QueueUnavailable", "get_queue", "init_app", "stall_after", "submit", "sweep"]


def init_app(app: Flask) -> None:
    """Register the job pages; ``get_queue(app)`` makes the app's queue on first use."""
    from docgen.web import jobs as job_pages

    job_pages.init_app(app)
