"""The board's status table (design D19) as a pure computation over plain facts.

Per addressed organisation: how many nominees it has submitted against its quota, and whether
its package came on time, late, or not yet. The service feeds it the rows of one query; the
CLI and (later) the dashboard print what it returns. Pure: no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from docgen.domain import OrgKind
from docgen.rules.campaigns import QuotaState, Timing, quota_state, timing

# Packages whose nominees count as submitted to the board.
COUNTED_STATES = frozenset({"submitted", "accepted"})

GROUPS: dict[OrgKind, str] = {
    OrgKind.DEPARTMENT: "Sở, ban, ngành cấp tỉnh",
    OrgKind.ARMED_FORCES: "Lực lượng vũ trang",
    OrgKind.MASS_ORG: "Đoàn thể cấp tỉnh",
    OrgKind.MEDIA: "Cơ quan báo chí",
    OrgKind.DISTRICT: "Huyện, thị xã, thành phố",
    OrgKind.ENTERPRISE: "Doanh nghiệp",
    OrgKind.COOPERATIVE: "Hợp tác xã",
}
GROUP_ORDER = tuple(GROUPS)


@dataclass(frozen=True)
class ParticipantFacts:
    """One addressed organisation and its package, as one query row gives them."""

    organisation: str
    name: str
    kind: str
    package_state: str | None  # None: nothing entered yet
    submitted_at: datetime | None
    nominees: int  # nominees in its package (whatever the state)


@dataclass(frozen=True)
class StatusRow:
    organisation: str
    name: str
    kind: str
    group: str
    package_state: str | None
    submitted: int  # nominees counted as submitted
    quota: QuotaState
    timing: Timing
    submitted_at: datetime | None


@dataclass(frozen=True)
class StatusSummary:
    rows: tuple[StatusRow, ...]

    def count(self, value: Timing) -> int:
        return sum(1 for r in self.rows if r.timing is value)

    @property
    def met(self) -> int:
        return sum(1 for r in self.rows if r.quota.met and r.timing is not Timing.MISSING)

    @property
    def short(self) -> tuple[StatusRow, ...]:
        """Organisations that owe nominees: short of their quota, or nothing submitted."""
        return tuple(r for r in self.rows if not r.quota.met or r.timing is Timing.MISSING)

    @property
    def nominees(self) -> int:
        return sum(r.submitted for r in self.rows)


def group_of(kind: str) -> str:
    try:
        return GROUPS.get(OrgKind(kind), "Khác")
    except ValueError:
        return "Khác"


def compute_status(
    participants: Iterable[ParticipantFacts],
    minimum_by_kind: Mapping[str, int],
    deadline: datetime | None,
) -> StatusSummary:
    """Return the status rows, grouped by kind in ``GROUP_ORDER`` then by name.

    With no nominations deadline, a submitted package counts as on time.
    """
    rows = []
    for p in participants:
        counted = p.package_state in COUNTED_STATES
        submitted = p.nominees if counted else 0
        if not counted:
            when = Timing.MISSING
        elif deadline is None:
            when = Timing.ON_TIME
        else:
            when = timing(p.submitted_at, deadline)
        rows.append(
            StatusRow(
                organisation=p.organisation,
                name=p.name,
                kind=p.kind,
                group=group_of(p.kind),
                package_state=p.package_state,
                submitted=submitted,
                quota=quota_state(submitted, minimum_by_kind.get(p.kind)),
                timing=when,
                submitted_at=p.submitted_at if counted else None,
            )
        )
    order = {label: i for i, label in enumerate(GROUPS.values())}
    rows.sort(key=lambda r: (order.get(r.group, len(order)), r.name))
    return StatusSummary(tuple(rows))
