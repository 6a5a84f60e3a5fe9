"""What ``docgen verify`` (and the nightly verification job) checks of archived dossiers.

Every file of a dossier is a blob that ``verify_archive`` re-hashes; here a changed or missing
blob is reported again naming the dossier and the file, the manifest is re-read and compared
with the file rows, and the seal is recomputed over the dossier's facts and compared with the
seal the audit trail recorded when the dossier was built (a rewrite must then change two
immutable tables consistently; the register chain's printed anchor remains the stronger proof
for documents).
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from docgen.models import AuditEvent, Blob
from docgen.models.dossier import Dossier, DossierFile
from docgen.rules.dossier import dossier_seal
from docgen.services.dossier import manifest_entries
from docgen.services.dossier_archive import seal_facts
from docgen.services.verify import Finding, FindingKind, VerifyReport


def label(dossier: Dossier) -> str:
    return f"hồ sơ trình Trung ương #{dossier.id} (Tờ trình số {dossier.submission_notation})"


def check_dossiers(session: Session, report: VerifyReport, referenced: dict[str, str]) -> None:
    """Add a finding for each changed dossier blob, manifest or seal; mark their blobs used."""
    changed = {f.record for f in report.findings if f.kind is FindingKind.BLOB_CHANGED}
    files: dict[int, list[DossierFile]] = {}
    for row in session.scalars(
        select(DossierFile).order_by(DossierFile.dossier_id, DossierFile.position)
    ):
        files.setdefault(row.dossier_id, []).append(row)
    sealed = {  # the seal each dossier had when it was built, as the audit trail recorded it
        target: (details or {}).get("seal")
        for target, details in session.execute(
            select(AuditEvent.target_id, AuditEvent.details).where(
                AuditEvent.action == "dossier_build",
                AuditEvent.target_kind == Dossier.__tablename__,
            )
        )
    }
    for dossier in session.scalars(select(Dossier).order_by(Dossier.id)):
        where = label(dossier)
        found: list[Finding] = []
        rows = files.get(dossier.id, [])
        named = [(f.sha256, f"tệp “{f.name}”") for f in rows] + [
            (dossier.merged_sha256, "tệp PDF gộp"),
            (dossier.zip_sha256, "tệp ZIP"),
            (dossier.manifest_sha256, "manifest.json"),
        ]
        for sha, what in named:
            referenced.setdefault(sha, f"{where} — {what}")
            if f"tệp {sha[:12]}…" in changed:
                found.append(Finding(FindingKind.BLOB_CHANGED, f"{where} — {what}",
                                     f"nội dung không còn khớp SHA-256 {sha}"))  # fmt: skip
        if dossier_seal(seal_facts(dossier)) != dossier.seal:
            found.append(
                Finding(FindingKind.SEAL_BROKEN, where, "dữ liệu hồ sơ khác bản niêm phong")
            )
        elif sealed.get(str(dossier.id)) != dossier.seal:  # row and seal rewritten together
            detail = "niêm phong khác niêm phong ghi trong nhật ký khi lập hồ sơ"
            found.append(Finding(FindingKind.SEAL_BROKEN, where, detail))
        manifest = session.scalar(
            select(Blob.content).where(Blob.sha256 == dossier.manifest_sha256)
        )
        try:
            listed = json.loads(manifest or b"").get("files")
        except ValueError:
            listed = None
        if listed != manifest_entries(rows):
            found.append(Finding(FindingKind.FIELD_CHANGED, where,
                                 "danh sách tệp trong manifest.json khác các tệp đã lưu",
                                 field="manifest"))  # fmt: skip
        report.findings += [
            Finding(f.kind, f.record, f.detail, f.field, organisation=dossier.organisation_id)
            for f in found
        ]
