"""``docgen register-book`` and ``docgen renditions``: printed registers and PDF copies."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from docgen.cli.archive import _friendly, _session, actor_option


@click.command("register-book")
@click.option("--issuer", required=True, help="Mã cơ quan ban hành (vd. ubnd-tinh).")
@click.option("--year", type=int, required=True)
@click.option("--register", help="Mã sổ (mặc định: sổ đăng ký văn bản đi chung).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tệp DOCX (mặc định: so-dang-ky-di-<cơ quan>-<năm>.docx); XLSX ghi cạnh nó.",
)
@with_appcontext
@_friendly
def register_book_command(issuer: str, year: int, register: str | None, out: Path | None) -> None:
    """In sổ đăng ký văn bản đi (Phụ lục IV Nghị định 30) ra DOCX và XLSX."""
    from docgen.rendering.documents import default_renderer
    from docgen.rendering.register_book import book_docx, book_xlsx
    from docgen.services.lookup import DbRecordLookup
    from docgen.services.register_book import register_book

    with _session() as session:
        book = register_book(session, DbRecordLookup(session), issuer, year, register=register)
    out = out or Path(f"so-dang-ky-di-{issuer}-{year}.docx")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(book_docx(default_renderer(), book))
    xlsx = out.with_suffix(".xlsx")
    xlsx.write_bytes(book_xlsx(book))
    click.echo(f"Sổ đăng ký văn bản đi năm {year} của {book.issuer.name}: {len(book.rows)} văn bản")
    click.echo(f"Đã ghi {out} và {xlsx}")


@click.command("renditions")
@click.option("--id", "document_ids", type=int, multiple=True, help="Chỉ các văn bản này.")
@actor_option
@with_appcontext
@_friendly
def renditions_command(document_ids: tuple[int, ...], actor: str) -> None:
    """Tạo bản PDF và PDF/A-2b cho các văn bản đã ban hành còn thiếu."""
    from docgen.db import get_clock
    from docgen.models import Document, Rendition
    from docgen.rendering.pdf import get_converter
    from docgen.services.renditions import KINDS, ensure_renditions

    converter = get_converter(
        workers=current_app.config["DOCGEN_CONVERTER_WORKERS"] or None,
        timeout=current_app.config["DOCGEN_CONVERTER_TIMEOUT"],
    )
    with _session() as session:
        query = select(Document.id).order_by(Document.id)
        if document_ids:
            query = query.where(Document.id.in_(document_ids))
        ids = list(session.scalars(query))
        done = {(d, k) for d, k in session.execute(select(Rendition.document_id, Rendition.kind))}
        todo = [i for i in ids if any((i, k) not in done for k in KINDS)]
        session.rollback()
        with click.progressbar(todo, label="Tạo bản PDF, PDF/A", show_pos=True) as bar:
            for document_id in bar:
                ensure_renditions(
                    session, document_id, converter=converter, actor=actor, now=get_clock().now()
                )
    click.echo(f"Đã tạo bản PDF, PDF/A cho {len(todo)} văn bản; {len(ids) - len(todo)} đã có sẵn.")


COMMANDS = [register_book_command, renditions_command]
