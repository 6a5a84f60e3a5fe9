"""``verify_archive``: re-hash every blob and every link of every register's chain, and report
each changed byte range, changed metadata field, missing or inserted record (design D7).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from docgen.domain import RegisterKind
from docgen.models import (
    GENESIS_HASH,
    Blob,
    Document,
    DocumentEvent,
    DocumentRecipient,
    DocumentText,
    Register,
    RegisterCounter,
    Rendition,
)
from docgen.services.chain import (
    canonical_json,
    document_content,
    event_content,
    plain,
    rendition_content,
    sealed_body,
    sha256_hex,
)

Progress = Callable[[int, int], None]  # (done, total)
_CHUNK = 500
SECRET_REGISTER_KIND = str(RegisterKind.SECRET)


class FindingKind(StrEnum):
    BLOB_CHANGED = "blob_changed"
    BLOB_MISSING = "blob_missing"
    ORPHAN_BLOB = "orphan_blob"
    FIELD_CHANGED = "field_changed"
    SEAL_BROKEN = "seal_broken"
    ROW_MISSING = "row_missing"
    ROW_INSERTED = "row_inserted"
    CHAIN_BROKEN = "chain_broken"
    ANCHOR_MISMATCH = "anchor_mismatch"  # the chain no longer carries a printed head


_TITLES = {
    FindingKind.BLOB_CHANGED: "Tệp lưu trữ bị thay đổi",
    FindingKind.BLOB_MISSING: "Thiếu tệp lưu trữ",
    FindingKind.ORPHAN_BLOB: "Tệp lưu trữ không thuộc văn bản nào",
    FindingKind.FIELD_CHANGED: "Dữ liệu đặc tả bị sửa",
    FindingKind.SEAL_BROKEN: "Bản niêm phong của bản ghi bị sửa",
    FindingKind.ROW_MISSING: "Thiếu bản ghi",
    FindingKind.ROW_INSERTED: "Bản ghi bị chèn thêm",
    FindingKind.CHAIN_BROKEN: "Chuỗi băm bị đứt",
    FindingKind.ANCHOR_MISMATCH: "Chuỗi băm khác đầu chuỗi đã in",
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    record: str  # which record, in words: "văn bản 05/KH-UBND (sổ ubnd-tinh:general)"
    detail: str
    field: str | None = None  # the changed field, for FIELD_CHANGED
    organisation: str | None = None  # the register's owner (None: a blob of no one register)
    secret: bool = False  # the register is secret: only who may see its documents reads it

    @property
    def message(self) -> str:
        """Return the finding as one Vietnamese line (for the console: with the values)."""
        where = f" — trường “{self.field}”" if self.field else ""
        return f"{_TITLES[self.kind]}: {self.record}{where}: {self.detail}"

    @property
    def kept_message(self) -> str:
        """Return the line a stored report keeps: a changed field is named, its sealed and
        current values are not (a report is read by more people than the document)."""
        if self.kind is FindingKind.FIELD_CHANGED:
            title, field = _TITLES[self.kind], self.field
            return f"{title}: {self.record} — trường “{field}” khác bản niêm phong"
        return self.message


@dataclass
class VerifyReport:
    findings: list[Finding] = field(default_factory=list)
    blobs: int = 0
    documents: int = 0
    events: int = 0
    renditions: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def kinds(self) -> set[FindingKind]:
        return {f.kind for f in self.findings}


@dataclass
class _Link:
    seq: int
    prev_hash: str
    row_hash: str
    label: str


def verify_archive(session: Session, *, progress: Progress | None = None) -> VerifyReport:
    """Return every problem found in the archive; an empty report means nothing changed."""
    report = VerifyReport()
    total = sum(
        session.scalar(select(func.count()).select_from(m)) or 0
        for m in (Blob, Document, DocumentEvent, Rendition)
    )
    done = 0

    def tick(n: int = 1) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    blobs = _check_blobs(session, report, tick)
    referenced: dict[str, str] = {}
    for register in session.scalars(select(Register).order_by(Register.id)):
        start = len(report.findings)
        _check_register(session, register, report, referenced, tick)
        secret = register.kind == SECRET_REGISTER_KIND
        report.findings[start:] = [
            replace(f, organisation=register.organisation, secret=secret)
            for f in report.findings[start:]
        ]
    from docgen.services.dossier_verify import check_dossiers  # it imports this module
    from docgen.services.nomination_files import attachment_blobs

    check_dossiers(session, report, referenced)  # the submission dossiers (issue 10)
    for sha, label in attachment_blobs(session).items():  # nominees' files (issue 10)
        referenced.setdefault(sha, label)
    for sha, label in referenced.items():
        if sha not in blobs:
            report.findings.append(Finding(FindingKind.BLOB_MISSING, label, f"SHA-256 {sha}"))
    for sha in sorted(blobs.keys() - referenced.keys()):
        report.findings.append(
            Finding(FindingKind.ORPHAN_BLOB, f"tệp {sha[:12]}…", "không được tham chiếu")
        )
    if progress is not None:
        progress(total, total)
    return report


def _check_blobs(
    session: Session, report: VerifyReport, tick: Callable[[int], None]
) -> dict[str, int]:
    seen: dict[str, int] = {}
    rows = session.execute(
        select(Blob.sha256, Blob.size, Blob.content)
        .order_by(Blob.sha256)
        .execution_options(yield_per=50)
    )
    for sha, size, content in rows:
        report.blobs += 1
        seen[sha] = size
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha or len(content) != size:
            report.findings.append(
                Finding(
                    FindingKind.BLOB_CHANGED,
                    f"tệp {sha[:12]}…",
                    f"SHA-256 tính lại là {actual}, kích thước {len(content)} byte "
                    f"(ghi nhận {size} byte)",
                )
            )
        tick(1)
    return seen


def compare_link(link: Any, content: dict[str, Any], label: str) -> list[Finding]:
    """Return findings for one link: a broken seal, and each sealed field that differs now.

    ``content`` is what the link seals today, rebuilt from its row by ``services.chain``.
    """
    out: list[Finding] = []
    sealed_text = link.sealed
    current = sealed_body(content, seq=link.chain_seq, prev_hash=link.prev_hash)
    if sha256_hex(sealed_text) != link.row_hash:
        out.append(Finding(FindingKind.SEAL_BROKEN, label, "mã băm của bản niêm phong không khớp"))
    try:
        sealed = json.loads(sealed_text)
    except ValueError:
        return [*out, Finding(FindingKind.SEAL_BROKEN, label, "bản niêm phong không đọc được")]
    for name in sorted(set(sealed) | set(current)):
        was, now = sealed.get(name), plain(current.get(name))
        if canonical_json(was) != canonical_json(now):
            out.append(
                Finding(
                    FindingKind.FIELD_CHANGED,
                    label,
                    f"niêm phong: {was!r}, hiện tại: {now!r}",
                    field=name,
                )
            )
    return out


def _documents(session: Session, register_id: int) -> Iterator[tuple[Any, list[Any], str | None]]:
    """Yield (document row, its recipients, its text) in chain order, a chunk at a time."""
    table = Document.__table__
    last = 0
    while True:
        rows = session.execute(
            select(table)
            .where(table.c.register_id == register_id, table.c.chain_seq > last)
            .order_by(table.c.chain_seq, table.c.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        ids = [r.id for r in rows]
        recipients: dict[int, list[Any]] = defaultdict(list)
        for r in session.execute(
            select(DocumentRecipient.__table__)
            .where(DocumentRecipient.document_id.in_(ids))
            .order_by(DocumentRecipient.document_id, DocumentRecipient.position)
        ):
            recipients[r.document_id].append(r)
        texts = dict(
            session.execute(
                select(DocumentText.document_id, DocumentText.body).where(
                    DocumentText.document_id.in_(ids)
                )
            ).all()
        )
        for row in rows:
            yield row, recipients[row.id], texts.get(row.id)
        last = rows[-1].chain_seq


def _check_register(
    session: Session,
    register: Register,
    report: VerifyReport,
    referenced: dict[str, str],
    tick: Callable[[int], None],
) -> None:
    links: list[_Link] = []
    hashes: dict[int, str] = {}  # document id → row_hash, for events and renditions
    numbers: dict[int, dict[int, str]] = defaultdict(dict)  # year → number → label
    where = f"sổ {register.code}"
    for row, recipients, body in _documents(session, register.id):
        report.documents += 1
        label = f"văn bản {row.code_number}/{row.symbol} năm {row.year} ({where})"
        to = [(r.organ_id, r.organ_name) for r in recipients]
        current = document_content(row, to, sha256_hex(body) if body is not None else None)
        report.findings += compare_link(row, current, label)
        links.append(_Link(row.chain_seq, row.prev_hash, row.row_hash, label))
        hashes[row.id] = row.row_hash
        numbers[row.year][row.number] = label
        referenced.setdefault(row.blob_sha256, label)
        tick(1)
    for event in session.scalars(
        select(DocumentEvent).where(DocumentEvent.register_id == register.id)
    ):
        report.events += 1
        label = f"sự kiện “{event.kind}” #{event.id} của văn bản #{event.document_id} ({where})"
        related = _hash_of(session, hashes, event.related_document_id)
        current = event_content(event, hashes.get(event.document_id), related)
        report.findings += compare_link(event, current, label)
        links.append(_Link(event.chain_seq, event.prev_hash, event.row_hash, label))
        tick(1)
    for rendition in session.scalars(select(Rendition).where(Rendition.register_id == register.id)):
        report.renditions += 1
        label = (
            f"bản {rendition.kind} #{rendition.id} của văn bản #{rendition.document_id} ({where})"
        )
        current = rendition_content(rendition, hashes.get(rendition.document_id))
        report.findings += compare_link(rendition, current, label)
        links.append(_Link(rendition.chain_seq, rendition.prev_hash, rendition.row_hash, label))
        referenced.setdefault(rendition.blob_sha256, label)
        tick(1)
    _walk_chain(register, links, report)
    _check_numbers(session, register, numbers, report)


def _hash_of(session: Session, known: dict[int, str], document_id: int | None) -> str | None:
    if document_id is None:
        return None
    if document_id not in known:  # a replacement from another register
        found = session.scalar(select(Document.row_hash).where(Document.id == document_id))
        if found is None:
            return None
        known[document_id] = found
    return known[document_id]


def _walk_chain(register: Register, links: list[_Link], report: VerifyReport) -> None:
    where = f"sổ {register.code}"
    by_seq: dict[int, list[_Link]] = defaultdict(list)
    for link in links:
        by_seq[link.seq].append(link)
    prev = GENESIS_HASH
    last_seq = max(by_seq, default=0)
    for seq in range(1, max(last_seq, register.chain_seq) + 1):
        group = by_seq.get(seq, [])
        if seq > register.chain_seq:
            for link in group:
                report.findings.append(
                    Finding(
                        FindingKind.ROW_INSERTED,
                        link.label,
                        f"vị trí {seq} nằm sau đầu chuỗi ({register.chain_seq})",
                    )
                )
            continue
        if not group:
            report.findings.append(
                Finding(
                    FindingKind.ROW_MISSING,
                    f"vị trí {seq} của chuỗi ({where})",
                    "bản ghi đã bị xóa",
                )
            )
            prev = None  # type: ignore[assignment]
            continue
        genuine = next((lk for lk in group if prev is not None and lk.prev_hash == prev), group[0])
        for link in group:
            if link is not genuine:
                report.findings.append(
                    Finding(FindingKind.ROW_INSERTED, link.label, f"trùng vị trí {seq} trong chuỗi")
                )
        if prev is not None and genuine.prev_hash != prev:
            report.findings.append(
                Finding(FindingKind.CHAIN_BROKEN, genuine.label, "không nối với bản ghi đứng trước")
            )
        prev = genuine.row_hash
    if register.chain_seq and prev is not None and prev != register.head_hash:
        report.findings.append(
            Finding(
                FindingKind.CHAIN_BROKEN, where, "đầu chuỗi ghi trong sổ không khớp bản ghi cuối"
            )
        )


def _check_numbers(
    session: Session, register: Register, numbers: dict[int, dict[int, str]], report: VerifyReport
) -> None:
    where = f"sổ {register.code}"
    counters = dict(
        session.execute(
            select(RegisterCounter.year, RegisterCounter.last_number).where(
                RegisterCounter.register_id == register.id
            )
        ).all()
    )
    for year in sorted(set(counters) | set(numbers)):
        last = counters.get(year, 0)
        taken = numbers.get(year, {})
        for n in range(1, last + 1):
            if n not in taken:
                report.findings.append(
                    Finding(
                        FindingKind.ROW_MISSING,
                        f"số {n:02d} năm {year} ({where})",
                        "không còn văn bản mang số này",
                    )
                )
        for n, label in sorted(taken.items()):
            if n > last:
                report.findings.append(
                    Finding(
                        FindingKind.ROW_INSERTED, label, f"số lớn hơn số cuối đã cấp ({last:02d})"
                    )
                )
