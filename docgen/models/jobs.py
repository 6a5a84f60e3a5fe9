"""Background jobs: the ``job`` row that pages and the API read (design D16).

The queue (huey) only carries a job's id; this row is the truth about it: what it is,
whose it is, how far it got, what it made. Workers update it in short transactions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class JobKind(StrEnum):
    RENDITIONS = "renditions"  # PDF and PDF/A of an issued document
    VERIFY = "verify"  # the whole archive re-hashed
    REINDEX = "reindex"  # the search index rebuilt
    BACKUP = "backup"  # the scheduled backup of the whole database (docgen/jobs/scheduled.py)
    EXPORT = "export"  # a transfer export of one issuer's year (docgen/jobs/transfer.py)
    DOSSIER = "dossier"  # a campaign's submission dossier (docgen/jobs/dossier.py)

    @property
    def label(self) -> str:
        """Return the kind as users read it."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    JobKind.RENDITIONS: "Tạo bản PDF, PDF/A",
    JobKind.VERIFY: "Kiểm tra toàn vẹn kho lưu trữ",
    JobKind.REINDEX: "Lập lại chỉ mục tìm kiếm",
    JobKind.BACKUP: "Sao lưu theo lịch",
    JobKind.EXPORT: "Giao nộp lưu trữ",
    JobKind.DOSSIER: "Lập hồ sơ trình Trung ương",
}


class JobState(StrEnum):
    QUEUED = "queued"  # đang chờ
    RUNNING = "running"  # đang chạy
    DONE = "done"  # xong
    FAILED = "failed"  # lỗi
    STALLED = "stalled"  # bị gián đoạn: never stored, computed from a silent heartbeat

    @property
    def label(self) -> str:
        """Return the state as users read it."""
        return _STATE_LABELS[self]

    @property
    def finished(self) -> bool:
        """Return whether the job will not change any more by itself."""
        return self in (JobState.DONE, JobState.FAILED)


_STATE_LABELS = {
    JobState.QUEUED: "đang chờ",
    JobState.RUNNING: "đang chạy",
    JobState.DONE: "đã xong",
    JobState.FAILED: "bị lỗi",
    JobState.STALLED: "bị gián đoạn",
}


class Job(Base):
    """One unit of background work and its visible progress.

    ``guard_key`` makes a job unique per thing it makes (``renditions:42``): the same work is
    never queued twice, and a retry reuses the row. ``attempts`` is the claim token: a
    worker writes progress and completion only while the row still carries its attempt,
    so a worker that was taken over can never complete the job a second time.
    """

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))  # who asked, as archive rows record it
    guard_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column()
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    heartbeat_at: Mapped[datetime | None] = mapped_column()
