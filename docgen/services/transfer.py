"""Transfer export (giao nộp lưu trữ): one issuer's documents of one year as a ZIP.

The ZIP holds, for each document in register order, its PDF/A (the archived rendition — made
and sealed now if it was missing) and a metadata file carrying the Decree 30 Appendix VI
Part II §I fields; the Mục lục văn bản as DOCX and XLSX; and ``manifest.json`` listing every
other file with its SHA-256, size, what it is and the document it comes from. The export is
recorded in the audit log. It runs as a job (``docgen/jobs/transfer.py``) or from the CLI.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from docgen.database import begin_write
from docgen.domain import RecordLookup
from docgen.errors import DocgenError, NotFound
from docgen.models import Document, Register
from docgen.policy import Action, Actor
from docgen.rendering.documents import DocumentRenderer
from docgen.rendering.item_list import ItemList, ItemRow, item_list_docx, item_list_xlsx
from docgen.services import renditions
from docgen.services.archive import (
    SECRET_KIND,
    audit,
    blob_bytes,
    check_actor,
    get_rendition,
    require,
)
from docgen.services.chain import sha256_hex
from docgen.services.integrity import check_document
from docgen.services.metadata import appendix_vi

Progress = Callable[[int, int, str], None]
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries: the bytes depend on the archive, not the clock


@dataclass(frozen=True)
class ManifestEntry:
    name: str
    what: str
    sha256: str
    size: int
    document: str | None  # the source document's number and symbol


@dataclass(frozen=True)
class TransferExport:
    content: bytes  # the ZIP
    manifest: list[ManifestEntry]
    documents: int

    @property
    def sha256(self) -> str:
        return sha256_hex(self.content)


def transfer_documents(session: Session, issuer: str, year: int, *, actor: Actor) -> list[Document]:
    """Return the issuer's documents of ``year`` to transfer, in register order.

    Secret registers are never part of an export: secret documents are handed over by their
    own procedure, and a ZIP is downloaded by every archivist of the organisation.
    """
    require(actor, Action.REGISTER_BOOK, issuer,
            "Chỉ lưu trữ hoặc quản trị của cơ quan ban hành được giao nộp văn bản.")  # fmt: skip
    allowed = session.scalars(
        select(Register.id)
        .where(Register.organisation == issuer, Register.kind != SECRET_KIND)
        .order_by(Register.id)
    ).all()
    documents = list(
        session.scalars(
            select(Document)
            .where(Document.register_id.in_(allowed), Document.year == year)
            .options(selectinload(Document.recipients))
            .order_by(Document.register_id, Document.number, Document.id)
        )
    )
    if not documents:
        raise NotFound(
            f"Không có văn bản nào của “{issuer}” năm {year} để giao nộp.", issuer=issuer, year=year
        )
    return documents


def ensure_pdfa(
    session: Session, document_ids: list[int], *, converter: renditions.PdfConverter,
    actor: Actor, now: Callable[[], datetime], progress: Progress | None = None,
) -> int:  # fmt: skip
    """Make and seal the PDF/A of every document that lacks one; return how many were made.

    Each conversion runs outside a transaction and is stored in its own short one, as the
    renditions job does, so a long export never holds the register's write lock.
    """
    made = 0
    for n, document_id in enumerate(document_ids, start=1):
        if get_rendition(session, document_id, "pdfa") is None:
            pdf, pages = renditions.convert(session, document_id, "pdfa", converter=converter)
            session.rollback()
            begin_write(session)
            renditions.store_rendition(
                session, document_id, "pdfa", pdf, pages=pages, actor=actor, now=now()
            )
            session.commit()
            made += 1
        if progress is not None:
            progress(n, len(document_ids), f"Đã chuẩn bị PDF/A {n}/{len(document_ids)} văn bản.")
    session.rollback()
    return made


def build_transfer(
    session: Session,
    lookup: RecordLookup,
    renderer: DocumentRenderer,
    issuer: str,
    year: int,
    *,
    actor: Actor,
    now: datetime,
) -> TransferExport:
    """Return the transfer ZIP of ``issuer``'s documents of ``year`` (PDF/A must exist)."""
    documents = transfer_documents(session, issuer, year, actor=actor)
    organisation = lookup.organisation(issuer)
    files: list[tuple[str, str, bytes, str | None]] = []
    rows: list[ItemRow] = []
    for index, document in enumerate(documents, start=1):
        notation = f"{document.code_number}/{document.symbol}"
        stem = f"{index:04d}_{document.code_number}-{document.symbol.replace('/', '-')}"
        rendition = get_rendition(session, document.id, "pdfa")
        if rendition is None:
            raise NotFound(
                f"Văn bản {notation} chưa có bản PDF/A: hãy tạo bản chuyển đổi trước.",
                document_id=document.id,
            )
        _require_intact(session, document, notation, actor=actor, now=now)
        files.append(
            (
                f"van-ban/{stem}.pdf",
                "Bản PDF/A của văn bản",
                blob_bytes(session, rendition.blob_sha256),
                notation,
            )
        )
        meta = {
            "document_id": document.id,
            "register": document.register_id,
            "row_hash": document.row_hash,  # the document's link in its register's chain
            "docx_sha256": document.blob_sha256,  # the exact bytes issued
            "pdfa_sha256": rendition.blob_sha256,
            **appendix_vi(document),
        }
        files.append(
            (
                f"van-ban/{stem}.json",
                "Dữ liệu đặc tả (Phụ lục VI Phần II §I, Nghị định 30/2020/NĐ-CP)",
                json.dumps(meta, ensure_ascii=False, indent=2).encode(),
                notation,
            )
        )
        rows.append(
            ItemRow(
                index=str(index),
                number_symbol=notation,
                date=document.issued_date.strftime("%d/%m/%Y"),
                summary=f"{document.type_name}: {document.subject}",
                author=document.organ_name,
                pages=str(rendition.page_count or document.page_amount or ""),
            )
        )
    items = ItemList(
        issuer=organisation,
        year=year,
        title=f"Văn bản đi năm {year} của {organisation.name}",
        rows=rows,
    )
    files.append(
        ("muc-luc-van-ban.docx", "Mục lục văn bản (DOCX)", item_list_docx(renderer, items), None)
    )
    files.append(("muc-luc-van-ban.xlsx", "Mục lục văn bản (XLSX)", item_list_xlsx(items), None))
    manifest = [
        ManifestEntry(name, what, sha256_hex(data), len(data), source)
        for name, what, data, source in files
    ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive_zip:
        for name, _what, data, _source in files:
            archive_zip.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
        body = {
            "issuer": {"code": issuer, "name": organisation.name},
            "year": year,
            "documents": len(documents),
            "made_at": now.isoformat(),
            "made_by": actor.username,
            "files": [asdict(entry) for entry in manifest],
        }
        archive_zip.writestr(
            zipfile.ZipInfo("manifest.json", date_time=_FIXED_TIME),
            json.dumps(body, ensure_ascii=False, indent=2),
        )
    return TransferExport(out.getvalue(), manifest, len(documents))


def _require_intact(
    session: Session, document: Document, notation: str, *, actor: Actor, now: datetime
) -> None:
    """Refuse to hand over a document whose bytes, seal or chain links no longer check out:
    a manifest of fresh hashes over tampered files would certify the tampering."""
    result = check_document(session, document.id, actor=actor, now=now)
    if not result.ok:
        first = result.findings[0].kept_message
        raise ArchiveTampered(
            f"Không giao nộp được: văn bản {notation} không còn toàn vẹn ({first}). "
            "Hãy chạy “docgen verify” và xử lý trước khi giao nộp.",
            document_id=document.id,
        )


class ArchiveTampered(DocgenError):
    """A document to hand over fails its integrity check."""

    code = "archive_tampered"
    http_status = 409


def record_export(
    session: Session, export: TransferExport, issuer: str, year: int, *, actor: Actor, now: datetime
) -> None:
    """Record the export in the audit log (who, when, what, the ZIP's SHA-256)."""
    register = session.scalars(
        select(Register).where(Register.organisation == issuer).order_by(Register.id)
    ).first()
    audit(
        session, at=now, actor=check_actor(actor), action="transfer_export", target=register,
        issuer=issuer, year=year, documents=export.documents, sha256=export.sha256,
        files=len(export.manifest) + 1,
    )  # fmt: skip
