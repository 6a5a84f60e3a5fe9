"""``docgen load-samples``: issue the recorded sample documents into an empty archive (demo)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from docgen.cli.archive import _friendly, _request_from, _session

# The demo archive: the recorded documents that take a number, on dates that follow the
# 2017 campaign (plan in March, request for nominations, submission before 25 April,
# half-year report). The real plan's date was lost with its header: these are samples.
SAMPLE_ISSUES = (
    ("ke-hoach-2017", date(2017, 3, 20)),
    ("cong-van-de-nghi-2017", date(2017, 3, 27)),
    ("to-trinh-2017", date(2017, 4, 24)),
    ("bao-cao-6-thang-2017", date(2017, 6, 30)),
)


@click.command("load-samples")
@click.option("--pdf/--no-pdf", default=True, help="Tạo cả bản PDF, PDF/A (LibreOffice).")
@with_appcontext
@_friendly
def load_samples_command(pdf: bool) -> None:
    """Ban hành các văn bản mẫu vào kho lưu trữ còn trống (để dùng thử)."""
    from dataclasses import replace

    from docgen.db import get_clock
    from docgen.models import Document
    from docgen.services.issuance import issue_document

    with _session() as session:
        if session.scalar(select(func.count()).select_from(Document)):
            click.echo("Kho lưu trữ đã có văn bản: không nạp văn bản mẫu.")
            return
        issued = []
        for code, day in SAMPLE_ISSUES:
            request = replace(
                _request_from(code, None, {}),
                issue_date=day,
                description="Dữ liệu mẫu (docgen load-samples)",
            )
            document = issue_document(session, request, actor="mẫu", clock=get_clock())
            session.commit()
            issued.append(document.id)
            click.echo(f"Đã ban hành mẫu {document.number_line} — {document.date_line}")
        if pdf:
            from docgen.rendering.pdf import get_converter
            from docgen.services.renditions import ensure_renditions

            converter = get_converter(
                workers=current_app.config["DOCGEN_CONVERTER_WORKERS"] or None,
                timeout=current_app.config["DOCGEN_CONVERTER_TIMEOUT"],
            )
            for document_id in issued:
                ensure_renditions(
                    session, document_id, converter=converter, actor="mẫu", now=get_clock().now()
                )
            click.echo(f"Đã tạo bản PDF, PDF/A cho {len(issued)} văn bản mẫu.")


COMMANDS = [load_samples_command]
