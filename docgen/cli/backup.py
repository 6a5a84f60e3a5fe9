"""Backup commands: ``backup`` (a consistent snapshot while the service runs) and ``restore``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from docgen.errors import DocgenError


@click.command("backup")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp sao lưu (mặc định: thư mục sao lưu, tên theo thời điểm).",
)
@with_appcontext
def backup_command(out: Path | None) -> None:
    """Sao lưu toàn bộ cơ sở dữ liệu (cả tệp lưu trữ) vào một tệp, khi dịch vụ vẫn chạy."""
    from docgen.config import backup_dir
    from docgen.db import get_clock, get_db
    from docgen.services.backup import backup_name, take_backup
    from docgen.services.clock import VIETNAM

    now = get_clock().now()
    out = out or backup_dir(current_app) / backup_name(now.astimezone(VIETNAM))
    try:
        manifest = take_backup(get_db().engine, out, now=now)
    except DocgenError as exc:
        raise click.ClickException(exc.message) from exc
    counts = manifest.counts
    click.echo(
        f"Đã sao lưu {counts['document']} văn bản, {counts['blob']} tệp lưu trữ, "
        f"{len(manifest.chain_heads)} sổ đăng ký ({manifest.database}, cấu trúc "
        f"{manifest.alembic_revision}) vào {out}"
    )
    click.echo(f"Kích thước: {out.stat().st_size} byte")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(backup: Path) -> None:
    """Khôi phục tệp sao lưu vào cơ sở dữ liệu TRỐNG, rồi kiểm tra toàn vẹn kho lưu trữ.

    Dừng mọi tiến trình docgen đang dùng cơ sở dữ liệu đích trước khi khôi phục. Thoát với
    mã 1 nếu tệp hỏng, đích không trống, hoặc kiểm tra toàn vẹn phát hiện sai lệch.
    """
    from docgen.db import get_db
    from docgen.services.backup import restore_backup
    from docgen.services.clock import VIETNAM
    from docgen.services.verify import verify_archive

    database = get_db()
    try:
        report = restore_backup(database.engine, backup)
    except DocgenError as exc:
        raise click.ClickException(exc.message) from exc
    manifest = report.manifest
    taken = datetime.fromisoformat(manifest.created_at).astimezone(VIETNAM)
    click.echo(
        f"Đã khôi phục {manifest.counts['document']} văn bản, {manifest.counts['blob']} tệp "
        f"lưu trữ từ bản sao lưu lúc {taken:%H:%M:%S ngày %d/%m/%Y}."
    )
    if report.upgraded_from is not None:
        click.echo(f"Đã nâng cấp cấu trúc dữ liệu từ phiên bản {report.upgraded_from}.")
    with database.session() as session:
        verified = verify_archive(session)
    click.echo(
        f"Kiểm tra: {verified.blobs} tệp, {verified.documents} văn bản, {verified.events} sự "
        f"kiện, {verified.renditions} bản chuyển đổi."
    )
    for finding in verified.findings:
        click.echo(finding.message)
    if verified.findings:
        click.echo(f"Phát hiện {len(verified.findings)} sai lệch.", err=True)
        raise SystemExit(1)
    click.echo("Kho lưu trữ toàn vẹn.")


COMMANDS = [backup_command, restore_command]
