"""``GET /healthz`` (the process answers) and ``GET /readyz`` (it can do its work), for probes.

Readiness checks the database (reachable, schema at the migrations' head), the job queue
(its storage answers, nothing enqueued) and reports the converter and the last scheduled
backup. The first three decide 200 or 503; the converter runs in the workers and a failed
backup is no reason to take a server out of a load balancer, so those two are reported
with ``"required": false``. Details name what failed, never a URL, host or password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select, text

bp = Blueprint("health", __name__)

BACKUP_OVERDUE = timedelta(hours=26)  # a daily backup later than this is reported overdue


@dataclass(frozen=True)
class Check:
    """One line of the readiness report."""

    ok: bool
    detail: str
    required: bool = True  # set from ``REQUIRED`` by ``readiness``


def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Return 200 and ``{"status": "ok"}`` while the process serves requests."""
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """Return 200 with every check when ready, 503 with the same body when not."""
    checks = readiness(current_app._get_current_object())  # type: ignore[attr-defined]
    ready = all(check.ok for check in checks.values() if check.required)
    body = {
        "status": "ready" if ready else "not_ready",
        "checks": {name: asdict(check) for name, check in checks.items()},
    }
    return _no_store(jsonify(body)), 200 if ready else 503


def readiness(app: Flask) -> dict[str, Check]:
    """Return each readiness check of ``app`` by name; none raises."""
    return {
        name: replace(_guarded(probe, app), required=name in REQUIRED)
        for name, probe in _PROBES.items()
    }


def _guarded(probe: Callable[[Flask], Check], app: Flask) -> Check:
    try:
        return probe(app)
    except Exception as exc:  # a probe that breaks is a failing check, never a 500
        app.logger.warning("Kiểm tra sẵn sàng %s lỗi: %r", probe.__name__, exc)
        return Check(False, f"Lỗi khi kiểm tra ({type(exc).__name__}).")


def _database(app: Flask) -> Check:
    from docgen.db import get_db

    try:
        with get_db(app).engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return Check(False, f"Không kết nối được cơ sở dữ liệu ({type(exc).__name__}).")
    return Check(True, "Kết nối được.")


def _migrations(app: Flask) -> Check:
    from alembic.runtime.migration import MigrationContext

    from docgen.db import get_db

    heads = _script_heads(app)
    try:
        with get_db(app).engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:
        return Check(False, f"Không đọc được phiên bản cấu trúc ({type(exc).__name__}).")
    if current == heads:
        return Check(True, f"Cấu trúc dữ liệu ở phiên bản mới nhất ({', '.join(sorted(heads))}).")
    have = ", ".join(sorted(current)) or "chưa tạo"
    return Check(
        False,
        f"Cấu trúc dữ liệu ở phiên bản {have}, cần {', '.join(sorted(heads))}: "
        "chạy “docgen init-db”.",
    )


def _script_heads(app: Flask) -> set[str]:
    heads = app.extensions.get("docgen.migration_heads")
    if heads is None:  # reading the migration scripts once per app is enough
        from alembic.script import ScriptDirectory

        from docgen.database import alembic_config

        heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
        app.extensions["docgen.migration_heads"] = heads
    return heads


def _queue(app: Flask) -> Check:
    from docgen.jobs.queue import QueueUnavailable, get_queue

    queue = get_queue(app)
    try:
        queue.ping()
    except QueueUnavailable:
        return Check(False, f"Hàng đợi công việc không phản hồi ({_queue_kind(app)}).")
    return Check(True, f"Hàng đợi công việc phản hồi ({_queue_kind(app)}).")


def _queue_kind(app: Flask) -> str:
    return "Redis" if app.config.get("DOCGEN_QUEUE_URL") else "SQLite"


def _converter(app: Flask) -> Check:
    from docgen.rendering.convert_soffice import find_soffice

    if find_soffice() is None:
        return Check(
            False,
            "Không tìm thấy LibreOffice (soffice): không tạo được bản PDF, PDF/A "
            "(cài gói libreoffice-writer-nogui trên máy chạy docgen worker).",
        )
    return Check(True, "Có LibreOffice (soffice).")


def _backup(app: Flask) -> Check:
    from docgen.db import get_clock, get_db
    from docgen.models import Job, JobKind, JobState

    at = app.config.get("DOCGEN_BACKUP_AT")
    with get_db(app).session() as session:
        last = session.scalars(
            select(Job).where(Job.kind == JobKind.BACKUP).order_by(Job.id.desc()).limit(1)
        ).first()
    if last is None:
        detail = "Chưa có bản sao lưu theo lịch." if at else "Sao lưu theo lịch đang tắt."
        return Check(True, detail)
    when = _local(last.finished_at or last.created_at)
    if last.state == JobState.FAILED:
        # The error itself (pg_dump's words may name a host or a user) stays on the job row,
        # for `docgen jobs list` and the job's page; a public probe only says it failed.
        return Check(False, f"Lần sao lưu lúc {when} bị lỗi (công việc số {last.id}).")
    if last.state != JobState.DONE:
        return Check(True, f"Đang sao lưu (bắt đầu lúc {when}).")
    if at and last.finished_at and last.finished_at < get_clock().now() - BACKUP_OVERDUE:
        return Check(False, f"Bản sao lưu gần nhất đã quá hạn (lúc {when}).")
    return Check(True, f"Sao lưu lúc {when}: {last.message}")


def _accounts(app: Flask) -> Check:
    from docgen.db import get_db
    from docgen.services.accounts import admin_missing_hint

    with get_db(app).session() as session:
        hint = admin_missing_hint(session)
    return Check(hint is None, hint or "Có tài khoản quản trị.")


def _local(moment: datetime) -> str:
    from docgen.services.clock import VIETNAM

    return f"{moment.astimezone(VIETNAM):%d/%m/%Y %H:%M}"


_PROBES: dict[str, Callable[[Flask], Check]] = {
    "database": _database,
    "migrations": _migrations,
    "queue": _queue,
    "converter": _converter,
    "backup": _backup,
    "accounts": _accounts,  # a production start without any admin says how to create one
}
REQUIRED = {"database", "migrations", "queue"}  # the others are reported, not required


def init_app(app: Flask) -> None:
    """Register ``/healthz`` and ``/readyz``."""
    app.register_blueprint(bp)
