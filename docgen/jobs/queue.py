"""The app's queue: one huey instance per app, and the tasks every such instance carries.

Tasks are declared once at import (``@task``, ``@periodic_task``) and bound to each app's
huey by ``make_queue``: a bound task runs inside its own app's context, so two apps in one
process never share a queue, a database or a converter. ``SqliteHuey`` in the instance
folder by default (its own file: huey's write locks must not fight the archive's), and
``RedisHuey`` when ``DOCGEN_QUEUE_URL`` is ``redis://…`` (several app servers).
"""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey

from docgen.errors import DocgenError

log = logging.getLogger(__name__)

# Modules that declare tasks; ``make_queue`` imports them so every app's huey knows them all.
TASK_MODULES = ("docgen.jobs.tasks", "docgen.jobs.scheduled")
QUEUE_FILE = "queue.sqlite3"
DEFAULT_QUEUE_NAME = "docgen"


class QueueUnavailable(DocgenError):
    """The queue cannot take a message now: the job row waits and a worker's sweep sends it."""

    code = "queue_unavailable"
    http_status = 503


@dataclass(frozen=True)
class TaskSpec:
    """A task as declared, before it is bound to an app's huey."""

    func: Callable[..., Any]
    options: dict[str, Any]
    schedule: Callable[[Any], bool] | None = None  # periodic tasks: huey's validate_datetime


_DECLARED: dict[str, TaskSpec] = {}


def task(name: str | None = None, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare ``func`` as a task of every app's queue (huey ``task`` options apply).

    The function runs inside the app's context: use ``current_app``, ``get_db()``…
    """

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        _DECLARED[name or func.__name__] = TaskSpec(func, options)
        return func

    return declare


def periodic_task(
    schedule: Callable[[Any], bool], name: str | None = None, **options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """Declare ``func`` as a periodic task (``schedule`` is e.g. ``huey.crontab(hour=2)``)."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        _DECLARED[name or func.__name__] = TaskSpec(func, options, schedule)
        return func

    return declare


@dataclass
class Queue:
    """An app's huey and its bound tasks, kept in ``app.extensions["docgen.queue"]``."""

    huey: Huey
    description: str  # where the queue is, for logs and the readiness page
    tasks: dict[str, Any] = field(default_factory=dict)  # name → huey TaskWrapper

    def enqueue(self, name: str, *args: Any, delay: float | None = None) -> None:
        """Put a call of task ``name`` on the queue; raise ``QueueUnavailable`` on failure."""
        wrapper = self.tasks[name]
        try:
            if delay:
                wrapper.schedule(args, delay=delay)
            else:
                wrapper(*args)
        except Exception as exc:  # any storage error (sqlite3, redis) means "not queued"
            raise self._unavailable(exc) from exc

    def pending_args(self, name: str) -> set[tuple[Any, ...]]:
        """Return the arguments of the calls of task ``name`` waiting in the queue."""
        wanted = self.tasks[name].task_class
        try:
            waiting = [*self.huey.pending(), *self.huey.scheduled()]
        except Exception as exc:
            raise self._unavailable(exc) from exc
        return {tuple(item.args) for item in waiting if isinstance(item, wanted)}

    def run_pending(self) -> int:
        """Return how many queued tasks were run here, in this thread, until none is left.

        For tests and one-off maintenance: the same tasks ``docgen worker`` runs.
        """
        count = 0
        while (message := self.huey.dequeue()) is not None:
            self.huey.execute(message)
            count += 1
        return count

    def available(self) -> bool:
        """Return whether the queue's storage answers now."""
        try:
            self.ping()
        except QueueUnavailable:
            return False
        return True

    def ping(self) -> None:
        """Raise ``QueueUnavailable`` unless the queue's storage answers (readiness checks)."""
        try:
            self.huey.pending_count()
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def _unavailable(self, exc: Exception) -> QueueUnavailable:
        return QueueUnavailable(
            f"Hàng đợi công việc ({self.description}) không sẵn sàng: {exc}",
            queue=self.description,
        )


def make_queue(app: Flask) -> Queue:
    """Return a new queue for ``app`` with every declared task bound to it."""
    for module in TASK_MODULES:
        importlib.import_module(module)
    name = app.config.get("DOCGEN_QUEUE_NAME") or DEFAULT_QUEUE_NAME
    url = app.config.get("DOCGEN_QUEUE_URL")
    # results=False: the job table holds what a job made; huey's result store would only grow
    if url:
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"DOCGEN_QUEUE_URL={url!r}: chỉ hỗ trợ redis://… (Redis)")
        from redis import ConnectionPool

        # Bounded waits: an unreachable Redis must not hold an issuing request (after its
        # commit) or a page's poll for the kernel's TCP timeout; reads block ≤ 1 s anyway.
        pool = ConnectionPool.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        huey: Huey = RedisHuey(name, connection_pool=pool, results=False)
        description = f"Redis {_without_password(url)}, hàng đợi “{name}”"
    else:
        folder = Path(app.instance_path)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / QUEUE_FILE
        huey = SqliteHuey(name, filename=str(path), results=False, timeout=10)
        description = f"SQLite {path.name}"
    queue = Queue(huey, description)
    for task_name, spec in _DECLARED.items():
        bound = _bind(app, spec.func)
        if spec.schedule is not None:
            queue.tasks[task_name] = huey.periodic_task(
                spec.schedule, name=task_name, **spec.options
            )(bound)
        else:
            queue.tasks[task_name] = huey.task(name=task_name, **spec.options)(bound)
    return queue


def _bind(app: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def in_app(*args: Any, **kwargs: Any) -> Any:
        with app.app_context():
            return func(*args, **kwargs)

    return in_app


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


_QUEUE = "docgen.queue"
_lock = threading.Lock()


def get_queue(app: Flask | None = None) -> Queue:
    """Return the queue of ``app`` (default: the current app), made on first use.

    Made lazily, not in ``create_app``: the instance folder (where the SQLite queue lives)
    is final only once the app is set up, and a process that never queues opens nothing.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    queue = app.extensions.get(_QUEUE)
    if queue is None:
        with _lock:
            queue = app.extensions.get(_QUEUE)
            if queue is None:
                queue = app.extensions[_QUEUE] = make_queue(app)
    return queue
