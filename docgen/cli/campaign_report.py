"""``docgen campaigns report``: the figures of the campaign's six-month or year report, printed
as the report's tables (the same rules as the drafted bao-cao)."""

from __future__ import annotations

import click

from docgen.cli.archive import _friendly, _session, actor_option
from docgen.cli.campaigns import campaigns
from docgen.policy import Actor


@campaigns.command("report")
@click.option("--campaign", "campaign_ref", required=True, help="Mã đợt thi đua hoặc năm.")
@click.option(
    "--period",
    type=click.Choice(["h1", "year"]),
    default="h1",
    show_default=True,
    help="h1: 6 tháng đầu năm; year: cả năm.",
)
@actor_option
@_friendly
def report_command(campaign_ref: str, period: str, actor: Actor) -> None:
    """Số liệu báo cáo 6 tháng / năm của đợt thi đua, tính từ hồ sơ."""
    from docgen.errors import Forbidden
    from docgen.policy import Action, can
    from docgen.services import campaign_reports as reports
    from docgen.services import campaigns as svc

    with _session() as session:
        campaign = svc.find_campaign(session, campaign_ref)
        if not (actor.system or can(actor, Action.MANAGE_CAMPAIGN, campaign.organisation_id)):
            raise Forbidden("Chỉ Ban Thi đua - Khen thưởng xem số liệu báo cáo của đợt thi đua.")
        report = reports.campaign_report(session, campaign, period)
    click.echo(f"{campaign.title} ({campaign.code}) — {report.period.label}")
    for sentence in report.sentences():
        click.echo(sentence)
    if not report.has_data:
        return
    click.echo("")
    for row in report.figures((campaign.selection_min, campaign.selection_max)):
        note = f"  ({row['note']})" if row["note"] else ""
        click.echo(f"  {row['label']:<55} {row['value']:>14}{note}")
    click.echo("\nTheo nhóm cơ quan, đơn vị (được đề nghị, đúng hạn, trễ hạn, chưa gửi, "
               "tập thể/cá nhân, đạt chỉ tiêu):")  # fmt: skip
    for row in report.breakdown():
        click.echo(
            f"  {row['group'][:30]:<30} {row['addressed']:>4} {row['on_time']:>4} "
            f"{row['late']:>4} {row['missing']:>4}  {row['nominees']:<13} {row['attainment']}"
        )


COMMANDS: list[click.Command] = []  # attached to ``docgen campaigns`` on import
