"""``docgen register-book``, ``docgen renditions`` and ``docgen export``: printed registers,
PDF copies and the transfer export to the archive."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from docgen.cli.archive import _friendly, _session, actor_option
from docgen.policy import Actor


@click.command("register-book")
@click.option("--issuer", required=True, help="Mã cơ quan ban hành (vd. ubnd-tinh).")
@click.option("--year", type=int, required=True)
@click.option("--register", help="Mã sổ (mặc định: sổ đăng ký văn bản đi chung).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp DOCX (mặc định: so-dang-ky-di-<cơ quan>-<năm>.docx); XLSX ghi cạnh nó.",
)
@actor_option
@with_appcontext
@_friendly
def register_book_command(
    issuer: str, year: int, register: str | None, out: Path | None, actor: Actor
) -> None:
    """In sổ đăng ký văn bản đi (Phụ lục IV Nghị định 30) ra DOCX và XLSX."""
    from docgen.rendering.register_book import book_docx, book_xlsx
    from docgen.runtime import get_renderer
    from docgen.services.lookup import DbRecordLookup
    from docgen.services.register_book import register_book

    with _session() as session:
        book = register_book(
            session, DbRecordLookup(session), issuer, year, register=register, actor=actor
        )
    out = out or Path(f"so-dang-ky-di-{issuer}-{year}.docx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(book_docx(get_renderer(), book))
    xlsx = out.with_suffix(".xlsx")
    xlsx.write_bytes(book_xlsx(book))
    click.echo(f"Sổ đăng ký văn bản đi năm {year} của {book.issuer.name}: {len(book.rows)} văn bản")
    click.echo(f"Đã ghi {out} và {xlsx}")


@click.command("renditions")
@click.option("--id", "document_ids", type=int, multiple=True, help="Chỉ các văn bản này.")
@actor_option
@with_appcontext
@_friendly
def renditions_command(document_ids: tuple[int, ...], actor: Actor) -> None:
    """Tạo ngay (không qua hàng đợi) bản PDF và PDF/A-2b cho các văn bản còn thiếu."""
    from docgen.jobs.renditions import make_renditions_now
    from docgen.models import Document, JobState, Rendition
    from docgen.services.renditions import KINDS

    with _session() as session:
        query = select(Document.id).order_by(Document.id)
        if document_ids:
            query = query.where(Document.id.in_(document_ids))
        ids = list(session.scalars(query))
        done = {(d, k) for d, k in session.execute(select(Rendition.document_id, Rendition.kind))}
        todo = [i for i in ids if any((i, k) not in done for k in KINDS)]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    failed = []
    with click.progressbar(todo, label="Tạo bản PDF, PDF/A", show_pos=True) as bar:
        for document_id in bar:
            for job in make_renditions_now(app, [document_id], actor=actor):
                if job.state != JobState.DONE:
                    failed.append(f"Văn bản {document_id}: {job.error or job.message}")
    click.echo(f"Đã tạo bản PDF, PDF/A cho {len(todo) - len(failed)} văn bản; "
               f"{len(ids) - len(todo)} đã có sẵn.")  # fmt: skip
    if failed:
        raise click.ClickException("\n".join(failed))


@click.command("export")
@click.option("--issuer", required=True, help="Mã cơ quan ban hành (vd. ubnd-tinh).")
@click.option("--year", type=int, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Tệp ZIP giao nộp.")  # fmt: skip
@actor_option
@with_appcontext
@_friendly
def export_command(issuer: str, year: int, out: Path, actor: Actor) -> None:
    """Đóng gói văn bản đi của một cơ quan trong một năm để giao nộp lưu trữ (ZIP)."""
    from docgen.database import begin_write
    from docgen.db import get_clock
    from docgen.runtime import get_converter, get_renderer
    from docgen.services.lookup import DbRecordLookup
    from docgen.services.transfer import (
        build_transfer,
        ensure_pdfa,
        record_export,
        transfer_documents,
    )

    clock = get_clock()
    with _session() as session:
        ids = [d.id for d in transfer_documents(session, issuer, year, actor=actor)]
        with click.progressbar(length=len(ids), label="Chuẩn bị PDF/A", show_pos=True) as bar:
            made = ensure_pdfa(
                session, ids, converter=get_converter(), actor=actor, now=clock.now,
                progress=lambda done, _total, _message: bar.update(done - bar.pos),
            )  # fmt: skip
        export = build_transfer(
            session, DbRecordLookup(session), get_renderer(), issuer, year, actor=actor,
            now=clock.now(),
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(export.content)
        session.rollback()
        begin_write(session)
        record_export(session, export, issuer, year, actor=actor, now=clock.now())
        session.commit()
    click.echo(f"Đã đóng gói {export.documents} văn bản ({made} bản PDF/A mới tạo) vào {out}")
    click.echo(f"SHA-256: {export.sha256}")


COMMANDS = [register_book_command, renditions_command, export_command]
