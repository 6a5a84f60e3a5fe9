"""The central submission dossier (hồ sơ trình Trung ương, issue 10): archived immutably.

A ``Dossier`` is built once from a campaign's issued tờ trình and its selection: the parts
(the tờ trình's PDF, the Danh sách, one trích ngang per nominee, as DOCX and PDF), the merged
PDF, the ZIP and ``manifest.json`` are content-addressed blobs; ``DossierFile`` rows list them.
Both tables are append-only (ORM guards and SQL triggers, migration 0012); ``seal`` is the
SHA-256 over the dossier's facts and the manifest's hash, which ``docgen verify`` recomputes.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from docgen.models.base import Base


class DossierRole(StrEnum):
    """What a file of the dossier is."""

    SUBMISSION = "submission"  # the issued tờ trình (its archived PDF)
    APPENDIX = "appendix"  # the Danh sách (phụ lục), DOCX and PDF
    EXTRACT = "extract"  # one nominee's trích ngang thành tích, DOCX and PDF
    MERGED = "merged"  # the one PDF in dossier order, with bookmarks

    @property
    def label(self) -> str:
        return {
            DossierRole.SUBMISSION: "Tờ trình",
            DossierRole.APPENDIX: "Danh sách (phụ lục)",
            DossierRole.EXTRACT: "Trích ngang thành tích",
            DossierRole.MERGED: "Hồ sơ gộp (PDF)",
        }[self]


class Dossier(Base):
    """One built dossier of a campaign (never changed: a rebuild is a new row)."""

    __tablename__ = "dossier"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisation.code"), index=True)
    addressed_to: Mapped[str | None] = mapped_column(ForeignKey("organisation.code"), index=True)
    submission_document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    submission_notation: Mapped[str] = mapped_column(String(100))  # "12/TTr-BTĐKT"
    nominees: Mapped[list[int]] = mapped_column(JSON, default=list)  # nomination ids, in order
    merged_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    merged_pages: Mapped[int] = mapped_column()
    zip_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    manifest_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    seal: Mapped[str] = mapped_column(String(64))  # SHA-256 of the sealed facts (dossier_seal)
    job_id: Mapped[int | None] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column()


class DossierFile(Base):
    """One file of a dossier, as ``manifest.json`` lists it."""

    __tablename__ = "dossier_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(255))  # its name in the ZIP
    role: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), index=True)
    size: Mapped[int] = mapped_column()
    pages: Mapped[int | None] = mapped_column()  # PDFs only
    document: Mapped[str | None] = mapped_column(String(100))  # the source's number/notation
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"), index=True)
