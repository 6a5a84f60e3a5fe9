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
    from docgen.services.archive import blob_bytes
    from docgen.services.campaigns import find_campaign
    from docgen.services.dossier import dossier_inputs
    from docgen.services.dossier_archive import archived_dossier

    with _session() as session:
        campaign_id = find_campaign(session, campaign_ref).id
        _campaign, submission, _rows = dossier_inputs(session, campaign_id, actor=actor)
        existing = archived_dossier(session, submission.id)
        if existing is not None:  # one dossier per tờ trình: write the archived bytes again
            merged, archive = _write(out, campaign_ref, existing.id,
                                     blob_bytes(session, existing.merged_sha256),
                                     blob_bytes(session, existing.zip_sha256))  # fmt: skip
            click.echo(f"Hồ sơ số {existing.id} của tờ trình số {submission.notation} đã lập "
                       f"trước đó; ghi lại đúng các tệp đã lưu trữ.")  # fmt: skip
            click.echo(f"PDF gộp: {merged.resolve()}")
            click.echo(f"ZIP: {archive.resolve()}")
            return
        session.rollback()

        def progress(done: int, total: int, message: str) -> None:
            click.echo(f"[{done}/{total}] {message}", err=True)

        archived, built = build_and_store(
            session, campaign_id, actor=actor, renderer=get_renderer(), converter=get_converter(),
            now=get_clock().now, progress=progress, batch=not one_by_one,
        )  # fmt: skip
        merged, archive = _write(out, campaign_ref, archived.id, built.merged, built.zip)
    click.echo(f"Hồ sơ số {archived.id}: {len(built.nominees)} trích ngang, "
               f"{built.merged_pages} trang; niêm phong {archived.seal}")  # fmt: skip
    click.echo(f"PDF gộp: {merged.resolve()}")
    click.echo(f"ZIP: {archive.resolve()}")


def _write(
    out: Path, ref: str, dossier_id: int, merged: bytes, archive: bytes
) -> tuple[Path, Path]:
    """Return the paths of the merged PDF and the ZIP written into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"ho-so-trinh-trung-uong-{ref}-{dossier_id}"
    paths = out / f"{stem}.pdf", out / f"{stem}.zip"
    paths[0].write_bytes(merged)
    paths[1].write_bytes(archive)
    return paths


COMMANDS = [dossier]
