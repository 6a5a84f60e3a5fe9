"""``docgen render``, ``build-templates``, ``templates``: the document-engine commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from docgen.errors import DocgenError


def _records():
    from docgen.records import load_records

    return load_records(
        Path(current_app.config["DOCGEN_RECORDS_DIR"]),
        templates=Path(current_app.config["DOCGEN_TEMPLATES_DIR"]),
    )


def _renderer():
    from docgen.runtime import get_renderer

    return get_renderer()


@click.command("render")
@click.argument("template")
@click.option(
    "--record", "record_code", help="Mã bản ghi trong records/documents/ (vd. ke-hoach-2017)."
)
@click.option(
    "--data",
    "data_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp JSON/YAML: issuer, signer, recipients, unit, fields.",
)
@click.option("--number", type=int, help="Số văn bản (để trống: bản dự thảo).")
@click.option(
    "--date",
    "issue_date",
    type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]),
    help="Ngày ban hành (yyyy-mm-dd hoặc dd/mm/yyyy).",
)
@click.option("--year", type=int, help="Năm in trên bản dự thảo khi chưa có ngày.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--pdf", is_flag=True, help="Ghi thêm bản PDF (LibreOffice) cạnh tệp DOCX.")
@with_appcontext
def render_command(template, record_code, data_file, number, issue_date, year, out, pdf) -> None:
    """Điền mẫu TEMPLATE từ dữ liệu đã ghi và ghi ra tệp DOCX (và PDF)."""
    try:
        records = _records()
        if record_code:
            rec = records.document(record_code)
            if rec.template != template:
                raise click.UsageError(
                    f"Bản ghi “{record_code}” dùng mẫu “{rec.template}”, không phải “{template}”."
                )
            request = rec.request()
            number = number if number is not None else rec.number
            day = issue_date.date() if issue_date else rec.issue_date
            year = year or rec.year or (day.year if day else None)
        elif data_file:
            import yaml

            request = yaml.safe_load(data_file.read_text(encoding="utf-8"))
            day = issue_date.date() if issue_date else None
        else:
            raise click.UsageError("Cần --record hoặc --data.")
        year = year or (day.year if day else date.today().year)
        renderer = _renderer()
        prepared = renderer.prepare(
            records,
            template,
            issuer=request["issuer"],
            signer=request.get("signer"),
            recipients=request.get("recipients"),
            fields=request.get("fields", {}),
            unit=request.get("unit"),
        )
        rendered = renderer.render(prepared, number=number, issue_date=day, year=year)
    except DocgenError as exc:
        raise click.ClickException(exc.message) from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(rendered.docx)
    click.echo(
        f"Đã ghi {out} ({len(rendered.docx):,} byte) — {rendered.number_line or prepared.summary}"
    )
    if pdf:
        from docgen.rendering.pdf import PdfMetadata
        from docgen.runtime import get_converter

        meta = PdfMetadata(
            title=prepared.summary,
            author=prepared.issuer.name,
            symbol=rendered.number_line.removeprefix("Số:").strip(),
            issued=day,
            signer=rendered.signer_name,
        )
        try:
            pdf_bytes = get_converter().to_pdf(rendered.docx, metadata=meta)
        except DocgenError as exc:
            raise click.ClickException(exc.message) from exc
        pdf_path = out.with_suffix(".pdf")
        pdf_path.write_bytes(pdf_bytes)
        click.echo(f"Đã ghi {pdf_path} ({len(pdf_bytes):,} byte)")


@click.command("build-templates")
@click.argument("codes", nargs=-1)
@with_appcontext
def build_templates_command(codes: tuple[str, ...]) -> None:
    """Dựng lại các mẫu DOCX trong templates/ từ các khối dùng chung."""
    from docgen.rendering.builder import build_all

    folder = Path(current_app.config["DOCGEN_TEMPLATES_DIR"])
    for path in build_all(folder, list(codes) or None):
        click.echo(f"Đã dựng {path}")


@click.command("templates")
@with_appcontext
def list_templates_command() -> None:
    """Liệt kê các mẫu văn bản và trường dữ liệu của từng mẫu."""
    for spec in _renderer().templates:
        click.echo(f"{spec.code}: {spec.name}")
        for f in spec.fields:
            mark = "*" if f.required else " "
            click.echo(f"  {mark} {f.name} ({f.type}) — {f.label}")


COMMANDS = [render_command, build_templates_command, list_templates_command]
