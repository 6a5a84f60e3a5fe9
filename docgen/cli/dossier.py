"""``docgen dossier build|show``: the central submission dossier from the console, with the
same services as the job ("Lập hồ sơ trình Trung ương"), run synchronously."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.archive import _friendly, _session, actor_option
from docgen.policy import Actor


@click.group("dossier")
def dossier() -> None:
    """Hồ sơ trình Trung ương của một đợt thi đua."""


@dossier.command("build")
@click.option("--campaign", "campaign_ref", required=True, help="Mã đợt thi đua hoặc năm (2017).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Thư mục ghi tệp PDF và ZIP.",
)
@click.option(
    "--one-by-one",
    is_flag=True,
    help="Chuyển từng trích ngang sang PDF riêng (mặc định: gộp theo lô rồi tách).",
)
@actor_option
@_friendly
def build_command(campaign_ref: str, out: Path, one_by_one: bool, actor: Actor) -> None:
    """Lập hồ sơ từ tờ trình đã ban hành: ghi tệp PDF gộp và tệp ZIP, lưu trữ hồ sơ."""
    from docgen.db import get_clock
    from docgen.jobs.dossier import build_and_store
    from docgen.runtime import get_converter, get_renderer
    from docgen.services.campaigns import find_campaign

    with _session() as session:
        campaign_id = find_campaign(session, campaign_ref).id
        session.rollback()

        def progress(done: int, total: int, message: str) -> None:
            click.echo(f"[{done}/{total}] {message}", err=True)

        archived, built = build_and_store(
            session, campaign_id, actor=actor, renderer=get_renderer(), converter=get_converter(),
            now=get_clock().now, progress=progress, batch=not one_by_one,
        )  # fmt: skip
        out.mkdir(parents=True, exist_ok=True)
        stem = f"ho-so-trinh-trung-uong-{campaign_ref}-{archived.id}"
        merged, archive = out / f"{stem}.pdf", out / f"{stem}.zip"
        merged.write_bytes(built.merged)
        archive.write_bytes(built.zip)
    click.echo(f"Hồ sơ số {archived.id}: {len(built.nominees)} trích ngang, "
               f"{built.merged_pages} trang; niêm phong {archived.seal}")  # fmt: skip
    click.echo(f"PDF gộp: {merged.resolve()}")
    click.echo(f"ZIP: {archive.resolve()}")


COMMANDS = [dossier]
