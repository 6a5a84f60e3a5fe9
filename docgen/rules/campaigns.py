"""Campaign rules (design D19): deadlines as moments in Vietnam, quotas, the selection range.

A plan says "gửi về … trước ngày 20 tháng 4 năm 2017": the last moment that counts is the end of
19/4 in Asia/Ho_Chi_Minh, i.e. the deadline is 20/4 00:00 (exclusive). Some plans say "đến hết
ngày 20/4" instead; a campaign names which reading it uses (``DeadlineReading``), and the page
shows it. Pure rules: no database, no Flask; the board's services and pages call them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from docgen.errors import RuleError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class DeadlineReading(StrEnum):
    """How a deadline's date is read."""

    BEFORE = "before"  # "trước ngày D": submissions until the end of D − 1
    THROUGH = "through"  # "đến hết ngày D": submissions until the end of D

    @property
    def label(self) -> str:
        return {
            DeadlineReading.BEFORE: "trước ngày (hạn chót là hết ngày hôm trước)",
            DeadlineReading.THROUGH: "đến hết ngày",
        }[self]


class Timing(StrEnum):
    """Where a submission falls against its deadline."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return {Timing.ON_TIME: "Đúng hạn", Timing.LATE: "Trễ hạn", Timing.MISSING: "Chưa gửi"}[
            self
        ]


def deadline_moment(day: date, reading: DeadlineReading = DeadlineReading.BEFORE) -> datetime:
    """Return the first moment (aware, in Vietnam) at which a submission is late."""
    last_day = day - timedelta(days=1) if reading is DeadlineReading.BEFORE else day
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=VIETNAM)


def last_day(day: date, reading: DeadlineReading = DeadlineReading.BEFORE) -> date:
    """Return the last calendar day on which a submission is on time."""
    return day - timedelta(days=1) if reading is DeadlineReading.BEFORE else day


_DAY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")


def read_day(text: str) -> date | None:
    """Return the calendar day typed as Vietnamese readers write it ("20/4/2017", "05/04/2017"),
    or None when ``text`` is not one (31/02/2018 included): the form then says so."""
    match = _DAY.match(text or "")
    if not match or not match[0].isascii():
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def check_campaign_dates(
    year: int, nominations_due: date | None, selection_due: date | None
) -> dict[str, str]:
    """Return a message per deadline that does not fit a campaign of ``year``: a deadline
    before the campaign's year, or a selection due before the nominations it selects from."""
    problems: dict[str, str] = {}
    for key, day in (("nominations_due", nominations_due), ("selection_due", selection_due)):
        if day is not None and day.year < year:
            problems[key] = f"Hạn {day:%d/%m/%Y} trước năm của đợt thi đua ({year})."
    if (
        nominations_due is not None
        and selection_due is not None
        and selection_due < nominations_due
        and "selection_due" not in problems
    ):
        problems["selection_due"] = (
            f"Hạn trình xét chọn ({selection_due:%d/%m/%Y}) không được trước hạn gửi danh sách "
            f"({nominations_due:%d/%m/%Y})."
        )
    return problems


def timing(submitted_at: datetime | None, deadline: datetime) -> Timing:
    """Return whether a submission at ``submitted_at`` is on time for ``deadline``.

    Both moments must be timezone-aware: a naive time could be read in the server's zone.
    """
    if submitted_at is None:
        return Timing.MISSING
    if submitted_at.tzinfo is None or deadline.tzinfo is None:
        raise ValueError("deadline comparisons need timezone-aware datetimes")
    return Timing.ON_TIME if submitted_at < deadline else Timing.LATE


def countdown(now: datetime, deadline: datetime) -> str:
    """Return the time left before ``deadline`` as a Vietnamese phrase ("còn 3 ngày 4 giờ")."""
    left = deadline - now
    if left <= timedelta(0):
        overdue = now - deadline
        return f"đã quá hạn {_duration(overdue)}"
    return f"còn {_duration(left)}"


def _duration(span: timedelta) -> str:
    days, seconds = span.days, span.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if days:
        return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"
    if hours:
        return f"{hours} giờ {minutes} phút" if minutes else f"{hours} giờ"
    return f"{max(minutes, 1)} phút"


def count_phrase(n: int) -> str:
    """Return a count as plans print small numbers: "02", "05", "10", "120"."""
    return f"{n:02d}"


@dataclass(frozen=True)
class QuotaState:
    """An organisation's nominations against its quota."""

    submitted: int
    minimum: int | None  # None: the campaign sets no quota for its kind

    @property
    def met(self) -> bool:
        return self.minimum is None or self.submitted >= self.minimum

    @property
    def short_by(self) -> int:
        return 0 if self.minimum is None else max(self.minimum - self.submitted, 0)

    @property
    def label(self) -> str:
        if self.minimum is None:
            return "Không giao chỉ tiêu"
        ratio = f"{count_phrase(self.submitted)}/{count_phrase(self.minimum)}"
        if self.met:
            return f"Đạt ({ratio})"
        return f"Thiếu {count_phrase(self.short_by)} (đã có {ratio})"


def quota_state(submitted: int, minimum: int | None) -> QuotaState:
    """Return the quota state of ``submitted`` nominees against ``minimum``."""
    if submitted < 0:
        raise ValueError("a count of nominees cannot be negative")
    return QuotaState(submitted, minimum)


def check_selection(selected: int, minimum: int, maximum: int) -> None:
    """Refuse a selection outside the campaign's range, saying how many are selected."""
    if minimum > maximum:
        raise RuleError(
            f"Khoảng xét chọn không hợp lệ: từ {count_phrase(minimum)} đến {count_phrase(maximum)}."
        )
    if not minimum <= selected <= maximum:
        raise RuleError(
            f"Đã chọn {count_phrase(selected)} tập thể, cá nhân; hồ sơ trình Trung ương cần từ "
            f"{count_phrase(minimum)} đến {count_phrase(maximum)}.",
            selected=selected,
            minimum=minimum,
            maximum=maximum,
        )
