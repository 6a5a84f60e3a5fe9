"""Attachments of a nominee (achievement reports): DOCX or PDF only, sniffed from the bytes.

The name a user gives a file says nothing of what it holds, so the type is read from the
content: a PDF starts with ``%PDF-``; a DOCX is a ZIP package (checked against the package
limits of docgen/uploads.py before anything else) with ``[Content_Types].xml`` and
``word/document.xml``. The bytes are stored once by their SHA-256 in the archive's blob table.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import DocgenError, NotFound
from docgen.models import AuditEvent, NominationAttachment
from docgen.policy import Actor
from docgen.services.archive import audit, blob_bytes, check_actor, store_blob
from docgen.services.campaigns import get_campaign
from docgen.services.nominations import get_nomination, package_for_edit
from docgen.uploads import MiB, PackageRejected, check_package

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_ATTACHMENT_BYTES = 10 * MiB
MAX_FILENAME = 255


class AttachmentRejected(DocgenError):
    code = "attachment_rejected"
    http_status = 415


def sniff(data: bytes) -> str:
    """Return the media type of ``data`` (PDF or DOCX), or raise ``AttachmentRejected``."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            names = {part.filename for part in check_package(data)}
        except zipfile.BadZipFile:
            names = set()
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                types = package.read("[Content_Types].xml")
            if b"wordprocessingml.document.main+xml" in types:
                return DOCX
    raise AttachmentRejected(
        "Chỉ nhận tệp Word (.docx) hoặc PDF; nội dung tệp này không phải DOCX hay PDF "
        "(tên tệp không quyết định loại tệp).",
    )


def _clean_name(filename: str) -> str:
    name = PurePath(filename.replace("\\", "/")).name.strip() or "tep-dinh-kem"
    return name[-MAX_FILENAME:]


def add_attachment(
    session: Session,
    nomination_id: int,
    filename: str,
    data: bytes,
    *,
    actor: Actor,
    now: datetime,
) -> NominationAttachment:
    """Return the new attachment of a nominee after checking its size and sniffing its type."""
    name = check_actor(actor)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise PackageRejected(
            f"Tệp đính kèm nặng {len(data) / MiB:.1f} MB, vượt giới hạn "
            f"{MAX_ATTACHMENT_BYTES // MiB} MB.".replace(".", ",", 1),
            code="attachment_too_large",
        )
    if not data:
        raise AttachmentRejected("Tệp đính kèm rỗng.")
    media_type = sniff(data)
    begin_write(session)
    nominee = get_nomination(session, nomination_id, actor)
    campaign = get_campaign(session, nominee.campaign_id)
    package_for_edit(session, campaign, nominee.organisation_id, actor, now)
    digest = store_blob(session, data, now=now)
    row = NominationAttachment(
        nomination_id=nominee.id,
        organisation_id=nominee.organisation_id,
        filename=_clean_name(filename),
        media_type=media_type,
        size=len(data),
        sha256=digest,
        created_by=name,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        at=now,
        actor=name,
        action="nomination_attach",
        target=row,
        nomination=nominee.id,
        sha256=digest,
        media_type=media_type,
    )
    return row


def list_attachments(
    session: Session, nomination_id: int, actor: Actor
) -> list[NominationAttachment]:
    get_nomination(session, nomination_id, actor)
    query = select(NominationAttachment).where(NominationAttachment.nomination_id == nomination_id)
    return list(session.scalars(query.order_by(NominationAttachment.id)))


def attachment_bytes(
    session: Session, attachment_id: int, actor: Actor
) -> tuple[NominationAttachment, bytes]:
    """Return an attachment and its bytes; 404 when ``actor`` may not see its nominee."""
    row = session.get(NominationAttachment, attachment_id)
    if row is None:
        raise NotFound(f"Không có tệp đính kèm mã số {attachment_id}.")
    get_nomination(session, row.nomination_id, actor)
    return row, blob_bytes(session, row.sha256)


def delete_attachment(session: Session, attachment_id: int, *, actor: Actor, now: datetime) -> None:
    name = check_actor(actor)
    begin_write(session)
    row = session.get(NominationAttachment, attachment_id)
    if row is None:
        raise NotFound(f"Không có tệp đính kèm mã số {attachment_id}.")
    nominee = get_nomination(session, row.nomination_id, actor)
    package_for_edit(
        session, get_campaign(session, nominee.campaign_id), nominee.organisation_id, actor, now
    )
    audit(session, at=now, actor=name, action="nomination_detach", target=row, sha256=row.sha256)
    session.delete(row)
    session.flush()


def attachment_blobs(session: Session) -> dict[str, str]:
    """Return SHA-256 → label of every stored file nominees use or used: attached now, or
    detached (its audit row keeps the hash). ``docgen verify`` counts them as referenced, so an
    attachment is never an "orphan"; its bytes are still re-hashed with every blob."""
    found: dict[str, str] = {}
    query = select(NominationAttachment.sha256, NominationAttachment.filename,
                   NominationAttachment.nomination_id)  # fmt: skip
    for sha, filename, nominee in session.execute(query):
        found.setdefault(sha, f"tệp đính kèm “{filename}” của người được giới thiệu #{nominee}")
    detached = select(AuditEvent.id, AuditEvent.details).where(
        AuditEvent.action == "nomination_detach"
    )
    for event_id, details in session.execute(detached):
        sha = (details or {}).get("sha256")
        if sha:
            found.setdefault(sha, f"tệp đính kèm đã gỡ (nhật ký #{event_id})")
    return found
