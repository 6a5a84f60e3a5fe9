"""The injected clock: issue dates are calendar dates in Asia/Ho_Chi_Minh (design D10)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current instant, timezone-aware."""
        ...

    def today(self) -> date:
        """Return today's date in Asia/Ho_Chi_Minh."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(VIETNAM).date()


class FixedClock:
    """A clock that shows a set instant until moved (tests, imports of historical documents)."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=VIETNAM)
        self._instant = instant
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._instant

    def today(self) -> date:
        return self.now().astimezone(VIETNAM).date()

    def set(self, instant: datetime) -> None:
        """Move the clock to ``instant`` (naive means Vietnam time)."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=VIETNAM)
        with self._lock:
            self._instant = instant

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        with self._lock:
            self._instant += delta


def at_vietnam(day: date, hour: int = 9) -> datetime:
    """Return ``hour`` o'clock on ``day`` in Vietnam, as an aware datetime."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=VIETNAM)
