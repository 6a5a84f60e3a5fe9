"""The 2017 campaign loaded from records; creating and copying campaigns; the status table."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from docgen.errors import FieldError, Forbidden
from docgen.models import Campaign, CampaignParticipant, NominationPackage
from docgen.policy import system_actor
from docgen.rules.campaigns import VIETNAM, Timing
from docgen.services import campaigns as svc
from docgen.services import nominations as noms
from tests.campaigns.conftest import CODE, collective, individual

NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)


def test_the_2017_campaign_loads_with_its_quotas_deadlines_and_range(session, loaded):
    row = svc.find_campaign(session, "2017")
    assert (
        row.code == CODE and row.organisation_id == "btdkt" and row.plan_record == "ke-hoach-2017"
    )
    assert (row.selection_min, row.selection_max) == (5, 10)
    assert row.deadline_reading == "before" and row.refuse_late is False
    due = [(d.code, d.day, d.purpose) for d in svc.deadlines(session, row)]
    assert due == [
        ("gioi-thieu", date(2017, 4, 20), "nominations"),
        ("trinh-ubnd", date(2017, 4, 25), "selection"),
    ]
    minimum = svc.minimum_by_kind(svc.quotas(session, row))
    assert minimum["department"] == 2 and minimum["enterprise"] == 2 and minimum["district"] == 5
    assert "board" not in minimum
    addressed = svc.participants(session, row)
    assert len(addressed) == 50 and "ubnd-rach-gia" in addressed and "btdkt" not in addressed
    # "trước ngày 20/4": the last moment on time is the end of 19/4 in Vietnam
    assert svc.nominations_deadline(session, row) == datetime(2017, 4, 20, tzinfo=VIETNAM)


def test_reloading_the_records_keeps_settings_and_nominees(
    app, session, loaded, records, nominators
):
    row = svc.find_campaign(session, CODE)
    row.refuse_late = True
    row.deadline_reading = "through"
    noms.add_nomination(session, row.id, individual(), actor=nominators.snv, now=NOW)
    session.commit()
    from docgen.services.lookup import load_records_into

    summary = load_records_into(session, records, actor=system_actor("kiểm thử"), now=NOW)
    session.commit()
    assert summary.campaigns == 1
    again = svc.find_campaign(session, CODE)
    assert again.id == row.id and again.refuse_late and again.deadline_reading == "through"
    assert len(noms.list_nominations(session, row.id, "snv", nominators.snv)) == 1
    assert session.query(CampaignParticipant).filter_by(campaign_id=row.id).count() == 50


def test_cli_load_records_creates_the_campaign(runner, app):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["load-records"])
    assert result.exit_code == 0, result.output
    assert "1 đợt thi đua" in result.output


def test_the_board_copies_a_campaign_to_the_next_year(session, campaign, nominators):
    copy = svc.copy_campaign(session, campaign.id, 2018, actor=nominators.board, now=NOW)
    session.commit()
    assert copy.code == "dien-hinh-2018" and copy.year == 2018 and "2018" in copy.title
    assert copy.copied_from_id == campaign.id and copy.organisation_id == "btdkt"
    assert [d.day for d in svc.deadlines(session, copy)] == [date(2018, 4, 20), date(2018, 4, 25)]
    assert svc.minimum_by_kind(svc.quotas(session, copy))["district"] == 5
    assert len(svc.participants(session, copy)) == 50
    with pytest.raises(FieldError) as again:  # the code is taken now
        svc.copy_campaign(session, campaign.id, 2018, actor=nominators.board, now=NOW)
    assert "code" in again.value.fields
    assert session.query(Campaign).count() == 2


def test_only_the_board_creates_campaigns(session, campaign, nominators):
    with pytest.raises(Forbidden):
        svc.copy_campaign(session, campaign.id, 2018, actor=nominators.snv, now=NOW)
    spec = svc.CampaignSpec(
        code="moi-2018",
        title="Đợt mới 2018",
        year=2018,
        participants=("snv", "khong-co"),
        selection_min=6,
        selection_max=3,
    )
    with pytest.raises(FieldError) as bad:
        svc.create_campaign(session, spec, actor=nominators.board, now=NOW)
    assert set(bad.value.fields) == {"participants", "selection_min"}


def test_the_status_table_counts_against_quotas_and_deadlines(session, clock, campaign, nominators):
    for i in range(2):
        noms.add_nomination(
            session, campaign.id, individual(f"Cá nhân {i}"), actor=nominators.snv, now=NOW
        )
    noms.submit_package(session, campaign.id, actor=nominators.snv, now=NOW)
    for i in range(3):  # a district owes 05: short by 02, and it sends late
        noms.add_nomination(
            session, campaign.id, collective(f"Tập thể {i}"), actor=nominators.district, now=NOW
        )
    late = datetime(2017, 4, 20, 0, 1, tzinfo=VIETNAM)
    noms.submit_package(session, campaign.id, actor=nominators.district, now=late)
    session.commit()
    status = svc.campaign_status(session, svc.get_campaign(session, campaign.id))
    rows = {r.organisation: r for r in status.rows}
    assert len(rows) == 50
    snv, district, stp = rows["snv"], rows["ubnd-rach-gia"], rows["stp"]
    assert (snv.submitted, snv.quota.met, snv.timing) == (2, True, Timing.ON_TIME)
    assert (district.submitted, district.quota.short_by, district.timing) == (3, 2, Timing.LATE)
    assert district.quota.label == "Thiếu 02 (đã có 03/05)"
    assert (stp.submitted, stp.timing, stp.quota.short_by) == (0, Timing.MISSING, 2)
    assert status.count(Timing.ON_TIME) == 1 and status.count(Timing.LATE) == 1
    assert status.count(Timing.MISSING) == 48 and status.nominees == 5 and status.met == 1
    assert len(status.short) == 49
    assert status.rows[0].group == "Sở, ban, ngành cấp tỉnh"
    assert status.rows[-1].group == "Hợp tác xã"
    packages = {p.organisation_id: p for p in session.query(NominationPackage)}
    assert packages["ubnd-rach-gia"].late is True and packages["snv"].late is False


def test_the_status_rows_come_from_one_query(session, campaign):
    from sqlalchemy import event

    statements: list[str] = []
    engine = session.get_bind()
    row = svc.get_campaign(session, campaign.id)

    def count(*args) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        facts = svc.status_facts(session, row)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(facts) == 50 and len(statements) == 1
