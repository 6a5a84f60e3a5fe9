"""The archived dossier (issue 10): stored once per tờ trình, every file a blob, the rows
written once and sealed; the seal and its facts are what ``docgen verify`` recomputes.

Services never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.errors import Conflict
from docgen.models.dossier import Dossier, DossierFile
from docgen.policy import Actor
from docgen.rules.dossier import dossier_seal
from docgen.services.archive import audit, check_actor, store_blob
from docgen.services.chain import sha256_hex
from docgen.services.dossier import BuiltDossier


def seal_facts(dossier: Dossier) -> dict[str, Any]:
    """Return what the seal covers: the dossier's facts and the hashes of what it archives."""
    return {
        "campaign_id": dossier.campaign_id, "organisation_id": dossier.organisation_id,
        "addressed_to": dossier.addressed_to, "submission": dossier.submission_document_id,
        "submission_notation": dossier.submission_notation, "nominees": list(dossier.nominees),
        "merged_sha256": dossier.merged_sha256, "merged_pages": dossier.merged_pages,
        "zip_sha256": dossier.zip_sha256, "manifest_sha256": dossier.manifest_sha256,
        "created_by": dossier.created_by, "created_at": _moment(dossier.created_at),
        "job_id": dossier.job_id,
    }  # fmt: skip


def _moment(at: datetime) -> str:
    """Return ``at`` as the seal reads it: UTC, to the second (both engines store it alike)."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def store_dossier(
    session: Session, built: BuiltDossier, *, actor: Actor, now: datetime, job_id: int | None = None
) -> Dossier:
    """Return the archived dossier: every file a blob, the rows written once, sealed, audited.
    A tờ trình has one dossier: a second is refused (its bytes would differ only in dates)."""
    name = check_actor(actor)
    existing = archived_dossier(session, built.submission.id)
    if existing is not None:
        raise Conflict(
            f"Hồ sơ của tờ trình số {built.submission.notation} đã được lập (hồ sơ số "
            f"{existing.id}).",
            code="dossier_exists",
            dossier=existing.id,
        )
    for part in built.files:
        store_blob(session, part.data, now=now)
    dossier = Dossier(
        campaign_id=built.campaign_id, organisation_id=built.organisation_id,
        addressed_to=built.addressed_to, submission_document_id=built.submission.id,
        submission_notation=built.submission.notation, nominees=list(built.nominees),
        merged_sha256=store_blob(session, built.merged, now=now), merged_pages=built.merged_pages,
        zip_sha256=store_blob(session, built.zip, now=now),
        manifest_sha256=store_blob(session, built.manifest, now=now),
        seal="", job_id=job_id, created_by=name, created_at=now,
    )  # fmt: skip
    dossier.seal = dossier_seal(seal_facts(dossier))
    session.add(dossier)
    session.flush()
    for position, part in enumerate(built.files, start=1):
        session.add(DossierFile(
            dossier_id=dossier.id, position=position, name=part.name, role=str(part.role),
            what=part.what, media_type=part.media_type, sha256=sha256_hex(part.data),
            size=len(part.data), pages=part.pages, document=part.document,
            nomination_id=part.nomination_id,
        ))  # fmt: skip
    session.flush()
    audit(session, at=now, actor=name, action="dossier_build", target=dossier,
          files=len(built.files), nominees=len(built.nominees), seal=dossier.seal)  # fmt: skip
    return dossier


def archived_dossier(session: Session, submission_id: int) -> Dossier | None:
    """Return the dossier archived for the tờ trình ``submission_id``, if any."""
    query = select(Dossier).where(Dossier.submission_document_id == submission_id)
    return session.scalar(query)
