"""``docgen verify`` and ``docgen anchor``: the archive re-hashed, and the chain heads kept so
that a later rewrite of a whole chain is caught (``verify --anchor``)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from docgen.cli.archive import _friendly, _session


@click.command("verify")
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Tệp đầu chuỗi đã lưu (docgen anchor, hoặc chép từ trang cuối sổ đăng ký).",
)
@with_appcontext
@_friendly
def verify_command(anchor_file: Path | None) -> None:
    """Kiểm tra toàn vẹn kho lưu trữ; thoát với mã 1 nếu có sai lệch."""
    from docgen.services.anchors import check_anchor, parse_anchor
    from docgen.services.verify import verify_archive

    heads = parse_anchor(anchor_file.read_text(encoding="utf-8")) if anchor_file else None
    with _session() as session, click.progressbar(length=1, label="Kiểm tra", file=None) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        report = verify_archive(session, progress=progress)
        if heads is not None:
            report.findings += check_anchor(session, heads)
    click.echo(
        f"Đã kiểm tra {report.blobs} tệp, {report.documents} văn bản, {report.events} sự kiện, "
        f"{report.renditions} bản chuyển đổi."
    )
    if heads is not None:
        click.echo(f"Đã đối chiếu {len(heads)} đầu chuỗi trong {anchor_file}.")
    for finding in report.findings:
        click.echo(finding.message)
    if report.findings:
        click.echo(f"Phát hiện {len(report.findings)} sai lệch.", err=True)
        raise SystemExit(1)
    click.echo("Kho lưu trữ toàn vẹn.")


@click.command("anchor")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ghi đầu chuỗi vào tệp này (mặc định: in ra màn hình).",
)
@with_appcontext
def anchor_command(out: Path | None) -> None:
    """Ghi lại đầu chuỗi băm của mọi sổ, để sau này kiểm tra bằng verify --anchor."""
    from docgen.db import get_clock
    from docgen.services.anchors import chain_heads, format_anchor
    from docgen.services.clock import VIETNAM

    with _session() as session:
        text = format_anchor(chain_heads(session), at=get_clock().now().astimezone(VIETNAM))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"Đã ghi đầu chuỗi vào {out}")


COMMANDS = [verify_command, anchor_command]
