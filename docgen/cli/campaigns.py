"""``docgen campaigns list`` and ``docgen nominations import|status|template``: the campaign
services from the console. Each command owns its transaction; ``--as`` acts as an account.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from docgen.cli.archive import _friendly, _session, actor_option
from docgen.policy import Actor


def _now() -> datetime:
    from docgen.db import get_clock

    return get_clock().now()


def _when(moment: datetime | None) -> str:
    from docgen.services.clock import VIETNAM

    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else ""


@click.group("campaigns")
def campaigns() -> None:
    """Đợt thi đua (phong trào) và thời hạn, chỉ tiêu của chúng."""


@campaigns.command("list")
@actor_option
@_friendly
def list_command(actor: Actor) -> None:
    """Liệt kê các đợt thi đua với thời hạn, chỉ tiêu và khoảng xét chọn."""
    from docgen.rules.campaigns import DeadlineReading, count_phrase, deadline_moment
    from docgen.services import campaigns as svc

    with _session() as session:
        rows = svc.list_campaigns(session)
        for row in rows:
            reading = DeadlineReading(row.deadline_reading)
            click.echo(f"{row.code}  ({row.year})  {row.title}")
            click.echo(
                f"  Cơ quan tổ chức: {row.organisation_id}; kế hoạch: {row.plan_record or '—'}"
            )
            for d in svc.deadlines(session, row):
                moment = deadline_moment(d.day, reading)
                click.echo(
                    f"  Hạn {d.code}: {d.day:%d/%m/%Y} ({reading.label}; trễ từ "
                    f"{_when(moment)}) — {d.description}"
                )
            for q in svc.quotas(session, row):
                click.echo(f"  Chỉ tiêu ≥ {count_phrase(q.minimum)}: {', '.join(q.kinds)}")
            click.echo(
                f"  Xét chọn từ {count_phrase(row.selection_min)} đến "
                f"{count_phrase(row.selection_max)}; "
                f"{len(svc.participants(session, row))} cơ quan được giao; "
                f"{'không nhận' if row.refuse_late else 'nhận'} hồ sơ trễ hạn"
            )
    click.echo(f"{len(rows)} đợt thi đua.")


@campaigns.command("copy")
@click.argument("source")
@click.option("--year", type=int, required=True, help="Năm của đợt mới.")
@click.option("--code", default=None, help="Mã đợt mới (mặc định: đổi năm trong mã cũ).")
@actor_option
@_friendly
def copy_command(source: str, year: int, code: str | None, actor: Actor) -> None:
    """Sao một đợt thi đua sang năm khác (thời hạn dời theo năm; chỉ tiêu, cơ quan giữ nguyên)."""
    from docgen.services import campaigns as svc

    with _session() as session:
        row = svc.copy_campaign(
            session, svc.find_campaign(session, source).id, year, actor=actor, now=_now(), code=code
        )
        session.commit()
        days = ", ".join(f"{d.day:%d/%m/%Y}" for d in svc.deadlines(session, row))
        click.echo(f"Đã tạo đợt “{row.code}” năm {row.year}: thời hạn {days or 'chưa có'}.")


@click.group("nominations")
def nominations() -> None:
    """Danh sách giới thiệu điển hình của các cơ quan (nhập từ Excel, tình hình gửi)."""


@nominations.command("template")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def template_command(out: Path) -> None:
    """Ghi mẫu Excel (.xlsx) danh sách giới thiệu để các cơ quan điền."""
    from docgen.services.nomination_xlsx import build_template

    out.write_bytes(build_template())
    click.echo(f"Đã ghi mẫu danh sách vào {out}")


@nominations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "organisation", default=None, help="Mã cơ quan giới thiệu.")
@click.option("--campaign", "campaign_ref", required=True, help="Mã đợt thi đua hoặc năm.")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra, không lưu.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Ghi báo cáo lỗi (.xlsx) vào tệp này khi có lỗi.",
)
@actor_option
@_friendly
def import_command(
    file: Path,
    organisation: str | None,
    campaign_ref: str,
    dry_run: bool,
    report: Path | None,
    actor: Actor,
) -> None:
    """Nhập danh sách người được giới thiệu từ tệp Excel theo mẫu (lưu khi mọi dòng hợp lệ)."""
    from docgen.services.campaigns import find_campaign
    from docgen.services.nomination_import import import_nominations
    from docgen.services.nomination_xlsx import error_report
    from docgen.uploads import read_upload

    data = read_upload(file)
    with _session() as session:
        campaign = find_campaign(session, campaign_ref)
        result = import_nominations(
            session,
            campaign.id,
            data,
            actor=actor,
            now=_now(),
            organisation=organisation,
            dry_run=dry_run,
        )
        if result.saved:
            session.commit()
    for row, column, message in result.errors:
        click.echo(f"Dòng {row}, cột “{column}”: {message}")
    rows = len(result.rows)
    if not result.ok:
        if report is not None:
            report.write_bytes(error_report(result))
            click.echo(f"Đã ghi báo cáo lỗi vào {report}")
        click.echo(f"{result.bad_rows}/{rows} dòng có lỗi; chưa lưu dòng nào.")
        sys.exit(1)
    if dry_run:
        click.echo(f"Chạy thử: {rows} dòng hợp lệ; chưa lưu (bỏ --dry-run để lưu).")
    else:
        click.echo(f"Đã lưu {result.saved} người được giới thiệu vào đợt {campaign_ref}.")


@nominations.command("status")
@click.option("--campaign", "campaign_ref", required=True, help="Mã đợt thi đua hoặc năm.")
@click.option("--short", "only_short", is_flag=True, help="Chỉ các cơ quan còn thiếu.")
@actor_option
@_friendly
def status_command(campaign_ref: str, only_short: bool, actor: Actor) -> None:
    """Bảng tình hình gửi danh sách: số đã gửi so với chỉ tiêu, đúng hạn / trễ hạn / chưa gửi."""
    from docgen.errors import Forbidden
    from docgen.policy import Action, can
    from docgen.rules.campaigns import Timing, countdown
    from docgen.services import campaigns as svc

    with _session() as session:
        campaign = svc.find_campaign(session, campaign_ref)
        if not (actor.system or can(actor, Action.MANAGE_CAMPAIGN, campaign.organisation_id)):
            raise Forbidden("Chỉ Ban Thi đua - Khen thưởng xem bảng tình hình của đợt thi đua.")
        status = svc.campaign_status(session, campaign)
        deadline = svc.nominations_deadline(session, campaign)
    click.echo(f"{campaign.title} ({campaign.code})")
    if deadline is not None:
        click.echo(f"Hạn gửi: trước {_when(deadline)} — {countdown(_now(), deadline)}")
    shown = status.short if only_short else status.rows
    group = None
    for row in shown:
        if row.group != group:
            group = row.group
            click.echo(f"\n{group}")
        click.echo(
            f"  {row.name[:60]:<60} {row.submitted:>4}  {row.quota.label:<28} "
            f"{row.timing.label:<9} {_when(row.submitted_at)}"
        )
    click.echo(
        f"\nCộng: {len(status.rows)} cơ quan; {status.count(Timing.ON_TIME)} đúng hạn, "
        f"{status.count(Timing.LATE)} trễ hạn, {status.count(Timing.MISSING)} chưa gửi; "
        f"{status.met} đạt chỉ tiêu; {status.nominees} người được giới thiệu."
    )


COMMANDS = [campaigns, nominations]
