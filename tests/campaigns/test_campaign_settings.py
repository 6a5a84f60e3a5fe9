"""A campaign's settings: the deadline reading and refuse-late, changed by its board (audited),
kept when the records are reloaded, and obeyed by submissions; the form's date rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from docgen import domain
from docgen.errors import FieldError, Forbidden, NotFound, RuleError
from docgen.models import AuditEvent
from docgen.policy import system_actor
from docgen.rules.campaigns import VIETNAM, check_campaign_dates, read_day
from docgen.services import campaigns as svc
from docgen.services import nominations as noms
from docgen.services.lookup import load_records_into
from tests.campaigns.conftest import actor_named, individual
from tests.helpers import make_user

NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)


def _actor(app, username: str, organisation: str, role: str):
    return actor_named(
        app, make_user(app, username, organisation=organisation, roles=(role,)).username
    )


@pytest.fixture
def board(app, loaded):
    """Return a board member of the organiser (the Ban Thi đua - Khen thưởng)."""
    return _actor(app, "td.ban", "btdkt", "board")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("20/4/2017", date(2017, 4, 20)),
        (" 05/04/2017 ", date(2017, 4, 5)),
        ("29/2/2020", date(2020, 2, 29)),
        ("31/02/2018", None),
        ("29/2/2019", None),
        ("2017-04-20", None),
        ("20/4/17", None),
        ("", None),
        ("٢٠/4/2017", None),  # Arabic-Indic digits are not what a clerk types
    ],
)
def test_read_day(typed: str, day: date | None) -> None:
    assert read_day(typed) == day


def test_campaign_dates_in_the_year_or_later_and_selection_not_before_nominations() -> None:
    assert check_campaign_dates(2018, date(2018, 4, 20), date(2018, 4, 25)) == {}
    assert check_campaign_dates(2018, date(2018, 4, 20), date(2018, 4, 20)) == {}  # same day
    assert check_campaign_dates(2018, date(2019, 1, 10), date(2019, 1, 15)) == {}  # next year
    assert check_campaign_dates(2018, None, None) == {}
    early = check_campaign_dates(2018, date(2017, 12, 31), date(2018, 1, 2))
    assert set(early) == {"nominations_due"} and "31/12/2017" in early["nominations_due"]
    backwards = check_campaign_dates(2018, date(2018, 4, 20), date(2018, 4, 19))
    assert set(backwards) == {"selection_due"}
    assert "19/04/2018" in backwards["selection_due"] and "20/04/2018" in backwards["selection_due"]
    both_early = check_campaign_dates(2018, date(2017, 4, 20), date(2017, 4, 10))
    assert set(both_early) == {"nominations_due", "selection_due"}
    assert "trước năm" in both_early["selection_due"]  # one message per field, the first rule


def test_the_service_refuses_deadlines_outside_the_rules(session, board) -> None:
    spec = svc.CampaignSpec(
        code="dien-hinh-2018", title="Đợt 2018", year=2018,
        deadlines=(domain.Deadline("gioi-thieu", date(2018, 5, 1), ""),
                   domain.Deadline("trinh", date(2018, 4, 1), "")),
        participants=("snv",), selection_min=1, selection_max=2,
    )  # fmt: skip
    with pytest.raises(FieldError) as refused:
        svc.create_campaign(session, spec, actor=board, now=NOW)
    assert set(refused.value.fields) == {"selection_due"}


def test_the_board_changes_the_settings_and_the_deadline_moves(session, campaign, board) -> None:
    assert svc.nominations_deadline(session, svc.get_campaign(session, campaign.id)) == datetime(
        2017, 4, 20, 0, 0, tzinfo=VIETNAM
    )
    row = svc.update_settings(
        session, campaign.id, reading="through", refuse_late=True, actor=board, now=NOW
    )
    session.commit()
    assert (row.deadline_reading, row.refuse_late, row.updated_at) == ("through", True, NOW)
    assert svc.nominations_deadline(session, row) == datetime(2017, 4, 21, 0, 0, tzinfo=VIETNAM)
    event = session.query(AuditEvent).filter_by(action="campaign_settings").one()
    assert (event.actor, event.target_id) == ("td.ban", str(campaign.id))
    assert event.details == {
        "before": {"reading": "before", "refuse_late": False},
        "after": {"reading": "through", "refuse_late": True},
    }
    with pytest.raises(FieldError) as refused:
        svc.update_settings(session, campaign.id, reading="soon", refuse_late=False,
                            actor=board, now=NOW)  # fmt: skip
    assert set(refused.value.fields) == {"reading"}


def test_only_the_organisers_board_changes_the_settings(app, session, campaign, loaded) -> None:
    clerk = _actor(app, "vt.ban", "btdkt", "registrar")
    other = _actor(app, "td.snv", "snv", "board")
    with pytest.raises(Forbidden):  # the organiser's registrar: visible, not allowed
        svc.update_settings(session, campaign.id, reading="through", refuse_late=True,
                            actor=clerk, now=NOW)  # fmt: skip
    with pytest.raises(NotFound):  # another organisation's board: not there for it
        svc.update_settings(session, campaign.id, reading="through", refuse_late=True,
                            actor=other, now=NOW)  # fmt: skip
    session.rollback()
    row = svc.get_campaign(session, campaign.id)
    assert (row.deadline_reading, row.refuse_late) == ("before", False)


def test_reloading_the_records_keeps_the_settings(app, session, campaign, board, records) -> None:
    svc.update_settings(session, campaign.id, reading="through", refuse_late=True,
                        actor=board, now=NOW)  # fmt: skip
    session.commit()
    load_records_into(session, records, actor=system_actor("kiểm thử"))
    session.commit()
    session.expire_all()
    row = svc.get_campaign(session, campaign.id)
    assert (row.deadline_reading, row.refuse_late) == ("through", True)
    assert [d.day for d in svc.deadlines(session, row)] == [date(2017, 4, 20), date(2017, 4, 25)]


def test_refuse_late_on_refuses_a_late_package(session, campaign, nominators) -> None:
    board = nominators.board
    noms.add_nomination(session, campaign.id, individual(), actor=nominators.snv, now=NOW)
    svc.update_settings(session, campaign.id, reading="through", refuse_late=True,
                        actor=board, now=NOW)  # fmt: skip
    session.commit()
    end_of_20 = datetime(2017, 4, 21, 0, 0, tzinfo=VIETNAM)
    with pytest.raises(RuleError) as refused:
        noms.submit_package(session, campaign.id, actor=nominators.snv,
                            now=end_of_20 + timedelta(minutes=1))  # fmt: skip
    assert (
        refused.value.code == "deadline_passed" and "00:00 ngày 21/04/2017" in refused.value.message
    )
    session.rollback()
    package = noms.submit_package(session, campaign.id, actor=nominators.snv,
                                  now=end_of_20 - timedelta(minutes=1))  # fmt: skip
    assert package.late is False  # 20/4 23:59 counts under "đến hết ngày"
