"""Campaign rules: deadlines as moments in Vietnam, quotas at and around their minimum, the
selection range (issue 10's edge cases)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from docgen.errors import RuleError
from docgen.rules.campaigns import (
    VIETNAM,
    DeadlineReading,
    Timing,
    check_selection,
    count_phrase,
    countdown,
    deadline_moment,
    last_day,
    quota_state,
    timing,
)

DUE = date(2017, 4, 20)  # "trước ngày 20 tháng 4 năm 2017"


def test_before_a_day_means_until_the_end_of_the_day_before() -> None:
    moment = deadline_moment(DUE)
    assert moment == datetime(2017, 4, 20, 0, 0, tzinfo=VIETNAM)
    assert last_day(DUE) == date(2017, 4, 19)


def test_through_a_day_means_until_the_end_of_that_day() -> None:
    moment = deadline_moment(DUE, DeadlineReading.THROUGH)
    assert moment == datetime(2017, 4, 21, 0, 0, tzinfo=VIETNAM)
    assert last_day(DUE, DeadlineReading.THROUGH) == DUE


def test_one_minute_before_and_one_minute_after_the_deadline() -> None:
    deadline = deadline_moment(DUE)
    assert timing(deadline - timedelta(minutes=1), deadline) is Timing.ON_TIME
    assert timing(deadline + timedelta(minutes=1), deadline) is Timing.LATE
    assert timing(deadline, deadline) is Timing.LATE  # the deadline itself is already late


def test_the_deadline_is_read_in_vietnam_not_in_utc() -> None:
    deadline = deadline_moment(DUE)
    # 23:30 on 19/4 in Vietnam is 16:30 UTC: on time
    in_vietnam = datetime(2017, 4, 19, 23, 30, tzinfo=VIETNAM)
    assert timing(in_vietnam.astimezone(UTC), deadline) is Timing.ON_TIME
    # 17:30 UTC on 19/4 is 00:30 on 20/4 in Vietnam: late
    assert timing(datetime(2017, 4, 19, 17, 30, tzinfo=UTC), deadline) is Timing.LATE


def test_nothing_submitted_is_missing_and_naive_times_are_refused() -> None:
    deadline = deadline_moment(DUE)
    assert timing(None, deadline) is Timing.MISSING
    with pytest.raises(ValueError):
        timing(datetime(2017, 4, 19, 12, 0), deadline)


@pytest.mark.parametrize(
    ("submitted", "minimum", "met", "short", "label"),
    [
        (2, 2, True, 0, "Đạt (02/02)"),
        (1, 2, False, 1, "Thiếu 01 (đã có 01/02)"),
        (0, 2, False, 2, "Thiếu 02 (đã có 00/02)"),
        (5, 5, True, 0, "Đạt (05/05)"),
        (4, 5, False, 1, "Thiếu 01 (đã có 04/05)"),
        (12, 5, True, 0, "Đạt (12/05)"),
        (3, None, True, 0, "Không giao chỉ tiêu"),
    ],
)
def test_quota_states(submitted: int, minimum: int | None, met: bool, short: int, label: str):
    state = quota_state(submitted, minimum)
    assert (state.met, state.short_by, state.label) == (met, short, label)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        quota_state(-1, 2)


@pytest.mark.parametrize("selected", [5, 10])
def test_a_selection_within_the_range_passes(selected: int) -> None:
    check_selection(selected, 5, 10)


@pytest.mark.parametrize("selected", [4, 11, 0])
def test_a_selection_outside_the_range_says_how_many_are_selected(selected: int) -> None:
    with pytest.raises(RuleError) as caught:
        check_selection(selected, 5, 10)
    assert f"Đã chọn {count_phrase(selected)}" in caught.value.message
    assert "từ 05 đến 10" in caught.value.message


def test_an_inverted_range_is_refused() -> None:
    with pytest.raises(RuleError):
        check_selection(5, 10, 5)


def test_countdown_phrases() -> None:
    deadline = deadline_moment(DUE)
    assert countdown(deadline - timedelta(days=3, hours=4), deadline) == "còn 3 ngày 4 giờ"
    assert countdown(deadline - timedelta(hours=2, minutes=5), deadline) == "còn 2 giờ 5 phút"
    assert countdown(deadline - timedelta(seconds=20), deadline) == "còn 1 phút"
    assert countdown(deadline + timedelta(days=1), deadline) == "đã quá hạn 1 ngày"
