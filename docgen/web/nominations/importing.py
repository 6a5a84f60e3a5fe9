"""Importing nominees from XLSX: the template, a dry run showing every row, the error report,
and "Nhập N người", which imports the very bytes the dry run read.

Between the dry run and the confirmation the uploaded file waits on the server, under the
instance folder, named by the uploader's id and its SHA-256 (nothing typed by a user reaches
a path); the confirmation names only the digest, so no client copy is trusted. Files older
than ``KEEP`` are pruned at each upload.
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue

from docgen.database import begin_write
from docgen.db import get_clock, get_session
from docgen.errors import NotFound
from docgen.identity import current_actor
from docgen.services import nomination_xlsx
from docgen.services.nomination_import import ImportRefused, ImportResult, import_nominations
from docgen.services.nominations import require_edit
from docgen.web.nominations import bp
from docgen.web.nominations.common import load_campaign
from docgen.web.nominations.forms import ImportConfirmForm, UploadForm

STAGING = "nomination-imports"
KEEP = 24 * 3600  # seconds an uploaded file waits for its confirmation
_DIGEST = re.compile(r"[0-9a-f]{64}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _folder() -> Path:
    return Path(current_app.instance_path) / STAGING


def _staged(digest: str) -> Path:
    """Return the path of the actor's staged upload ``digest`` (a 404 for anything else)."""
    actor = current_actor()
    if not _DIGEST.fullmatch(digest or "") or actor.user_id is None:
        raise NotFound("Không tìm thấy tệp đã tải lên; hãy tải tệp lên lần nữa.")
    return _folder() / f"{actor.user_id}-{digest}.xlsx"


def _stage(data: bytes) -> str:
    """Return the SHA-256 of ``data`` after keeping it for the confirmation (old files pruned)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - KEEP
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    path = _staged(digest)
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
    return digest


def _read_staged(digest: str) -> bytes:
    path = _staged(digest)
    if not path.exists():
        raise NotFound("Tệp đã tải lên không còn trên máy chủ (quá hạn); hãy tải tệp lên lần nữa.")
    return path.read_bytes()


def _check(campaign_id: int):
    session, actor = get_session(), current_actor()
    campaign = load_campaign(session, campaign_id, actor)
    require_edit(session, campaign, actor.organisation, actor)  # the board reads, never imports
    return campaign


@bp.get("/<int:campaign_id>/template.xlsx")
def import_template(campaign_id: int) -> ResponseReturnValue:
    campaign = load_campaign(get_session(), campaign_id, current_actor())
    return send_file(io.BytesIO(nomination_xlsx.build_template()), mimetype=XLSX,
                     as_attachment=True,
                     download_name=f"mau-danh-sach-gioi-thieu-{campaign.year}.xlsx")  # fmt: skip


def _page(campaign, *, result: ImportResult | None = None, digest: str | None = None,
          refused: str | None = None, status: int = 200) -> ResponseReturnValue:  # fmt: skip
    confirm = ImportConfirmForm(data={"digest": digest}) if result and result.ok else None
    html = render_template(
        "nominations/import.html", campaign=campaign, upload=UploadForm(), result=result,
        digest=digest, refused=refused, confirm=confirm,
    )  # fmt: skip
    return html, status


def _dry_run(campaign_id: int, data: bytes) -> ImportResult:
    return import_nominations(get_session(), campaign_id, data, actor=current_actor(),
                              now=get_clock().now(), dry_run=True)  # fmt: skip


@bp.route("/<int:campaign_id>/import", methods=["GET", "POST"])
def import_page(campaign_id: int) -> ResponseReturnValue:
    campaign = _check(campaign_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(campaign)
    upload = form.file.data
    data = upload.read() if upload is not None and getattr(upload, "filename", "") else b""
    if not data:
        return _page(campaign, refused="Chưa chọn tệp Excel (.xlsx) để nhập.", status=422)
    try:
        result = _dry_run(campaign_id, data)
    except ImportRefused as exc:
        return _page(campaign, refused=exc.message, status=422)
    digest = _stage(data)
    return _page(campaign, result=result, digest=digest, status=200 if result.ok else 422)


@bp.post("/<int:campaign_id>/import/confirm")
def import_confirm(campaign_id: int) -> ResponseReturnValue:
    campaign = _check(campaign_id)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        return _page(campaign, refused="Biểu mẫu đã hết hạn; hãy tải tệp lên lần nữa.", status=400)
    digest = form.digest.data or ""
    data = _read_staged(digest)
    session = get_session()
    session.rollback()
    begin_write(session)
    try:
        result = import_nominations(session, campaign_id, data, actor=current_actor(),
                                    now=get_clock().now())  # fmt: skip
    except ImportRefused as exc:
        session.rollback()
        return _page(campaign, refused=exc.message, status=422)
    if not result.ok:  # the list changed meanwhile (a duplicate now): nothing was saved
        session.rollback()
        return _page(campaign, result=result, digest=digest, status=409)
    session.commit()
    _staged(digest).unlink(missing_ok=True)
    flash(f"Đã nhập {result.saved} tập thể, cá nhân từ tệp Excel.", "ok")
    return redirect(url_for("nominations.package", campaign_id=campaign_id), 303)


@bp.get("/<int:campaign_id>/import/<digest>/report.xlsx")
def import_report(campaign_id: int, digest: str) -> ResponseReturnValue:
    _check(campaign_id)
    result = _dry_run(campaign_id, _read_staged(digest))
    return send_file(io.BytesIO(nomination_xlsx.error_report(result)), mimetype=XLSX,
                     as_attachment=True, download_name="bao-cao-loi-danh-sach.xlsx")  # fmt: skip
