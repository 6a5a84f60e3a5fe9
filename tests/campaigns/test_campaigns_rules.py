"""The pure nominee rules (row checks, years however typed) and the status computation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from docgen.rules.campaigns import VIETNAM, Timing, deadline_moment
from docgen.rules.nomination_status import ParticipantFacts, compute_status
from docgen.rules.nominations import check_nominee, parse_year
from tests.campaigns.conftest import collective, individual

DEADLINE = deadline_moment(date(2017, 4, 20))


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (1975, 1975),
        (1975.0, 1975),
        ("1975", 1975),
        (" 1975 ", 1975),
        ("1975.0", 1975),
        ("12/5/1975", 1975),
        ("12-05-1975", 1975),
        ("1975-05-12", 1975),
        ("31.12.1960", 1960),
        (datetime(1980, 1, 2), 1980),
        (date(1981, 3, 4), 1981),
    ],
)
def test_years_however_typed(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize("value", ["năm 75", "75", "31/02/1975", 1975.5, True, "1975/13/40"])
def test_years_that_are_refused_with_a_message(value):
    message = parse_year(value)
    assert isinstance(message, str)
    assert (
        message.startswith(("Năm sinh", "Ngày sinh")) and str(value) in message
    ) or value is True


def test_a_valid_individual_and_collective():
    clean, errors = check_nominee(individual(gender="NỮ", kind="cá nhân"), year=2017)
    assert errors == {} and clean["gender"] == "nu" and clean["kind"] == "individual"
    clean, errors = check_nominee(collective(classification="doanh  nghiệp"), year=2017)
    assert (
        errors == {} and clean["classification"] == "Doanh nghiệp" and clean["birth_year"] is None
    )


def test_each_column_is_checked():
    _, errors = check_nominee({}, year=2017)
    assert set(errors) == {"kind", "name", "position", "achievements"}
    _, errors = check_nominee(individual(birth_year=None, gender=None), year=2017)
    assert errors == {
        "birth_year": "Cá nhân phải có năm sinh.",
        "gender": "Cá nhân phải có giới tính (Nam hoặc Nữ).",
    }
    _, errors = check_nominee(collective(birth_year=1990, gender="Nam"), year=2017)
    assert set(errors) == {"birth_year", "gender"}
    _, errors = check_nominee(individual(classification="Doanh nghiệp"), year=2017)
    assert "không dùng cho cá nhân" in errors["classification"]
    _, errors = check_nominee(individual(birth_year=2018, name="x" * 301), year=2017)
    assert "2018" in errors["birth_year"] and "tối đa 300" in errors["name"]
    _, errors = check_nominee(individual(achievements="Hoàn thành tốt nhiệm vụ"), year=2017)
    assert "số liệu" in errors["achievements"]


def _facts(code: str, kind: str, state: str | None, at: datetime | None, n: int):
    return ParticipantFacts(code, f"Cơ quan {code}", kind, state, at, n)


def test_status_rows_at_and_around_the_quota_and_the_deadline():
    before, after = DEADLINE - timedelta(minutes=1), DEADLINE + timedelta(minutes=1)
    facts = [
        _facts("so-a", "department", "submitted", before, 2),  # exactly 02
        _facts("so-b", "department", "submitted", after, 1),  # one short, late
        _facts("huyen-a", "district", "accepted", before, 5),  # exactly 05
        _facts("huyen-b", "district", "draft", None, 7),  # entered but not sent
        _facts("huyen-c", "district", "recalled", before, 5),  # recalled: not counted
        _facts("dn-a", "enterprise", None, None, 0),  # nothing yet
        _facts("ban", "board", "submitted", before, 1),  # a kind without a quota
    ]
    minimum = {"department": 2, "district": 5, "enterprise": 2}
    status = compute_status(facts, minimum, DEADLINE)
    rows = {r.organisation: r for r in status.rows}
    assert (rows["so-a"].quota.met, rows["so-a"].timing) == (True, Timing.ON_TIME)
    assert (rows["so-b"].quota.short_by, rows["so-b"].timing) == (1, Timing.LATE)
    assert rows["huyen-a"].quota.label == "Đạt (05/05)"
    assert (rows["huyen-b"].submitted, rows["huyen-b"].timing) == (0, Timing.MISSING)
    assert (rows["huyen-c"].submitted, rows["huyen-c"].submitted_at) == (0, None)
    assert rows["dn-a"].quota.label == "Thiếu 02 (đã có 00/02)"
    assert rows["ban"].quota.label == "Không giao chỉ tiêu" and rows["ban"].group == "Khác"
    assert [r.organisation for r in status.rows] == [
        "so-a",
        "so-b",
        "huyen-a",
        "huyen-b",
        "huyen-c",
        "dn-a",
        "ban",
    ]
    assert {r.organisation for r in status.short} == {"so-b", "huyen-b", "huyen-c", "dn-a"}
    assert (status.met, status.nominees) == (3, 9)
    assert compute_status(facts[:1], minimum, None).rows[0].timing is Timing.ON_TIME
    assert rows["so-a"].submitted_at.tzinfo is VIETNAM
