"""The figures of a campaign's six-month or year report (bao-cao), from plain facts.

The plan asks for a report "định kỳ 6 tháng, năm" (seed §III.2). Its figures come from the
records: organisations addressed, packages sent on time / late / not yet, nominees (tập thể,
cá nhân), accepted / returned / selected for the centre, quota attainment; overall and per
organisation group (``nomination_status.GROUPS``).

A report states the campaign's situation at the **end of its period** (30/6 or 31/12, in
Asia/Ho_Chi_Minh): a package counts if it was sent before that moment, wherever the period
started, since a campaign's nominations are cumulative. Review states (accepted, returned,
selected) are those of now: the records keep no history of them. A period in which nothing
was sent is a distinct result (``has_data`` false): the report says so in words instead of
printing a table of zeros as if they had been counted. Pure: no database, no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from docgen.rules.campaigns import VIETNAM, count_phrase
from docgen.rules.nomination_status import GROUPS, group_of
from docgen.rules.nominations import COLLECTIVE, INDIVIDUAL

# Package states that mean "sent to the board" (a returned package was sent, then returned).
SENT_STATES = frozenset({"submitted", "accepted", "returned"})
# Nominee states that count towards the quota (a returned nominee does not).
COUNTED_NOMINEES = frozenset({"submitted", "accepted", "selected"})

NO_DATA = (
    "Trong kỳ báo cáo chưa có cơ quan, đơn vị nào gửi hồ sơ giới thiệu điển hình tiên tiến "
    "(Kế hoạch đề nghị {addressed} cơ quan, địa phương, đơn vị giới thiệu), nên chưa có số "
    "liệu tổng hợp."
)


class ReportPeriod(StrEnum):
    """The periods the plan names: the first six months, and the whole year."""

    FIRST_HALF = "h1"
    YEAR = "year"

    def label(self, year: int) -> str:
        """Return the period as a title prints it: "6 tháng đầu năm 2017", "năm 2017"."""
        return f"6 tháng đầu năm {year}" if self is ReportPeriod.FIRST_HALF else f"năm {year}"

    def outlook(self, year: int) -> str:
        """Return the heading of the part the clerk writes on what comes next."""
        if self is ReportPeriod.FIRST_HALF:
            return "II. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM"
        return f"II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year + 1}"


@dataclass(frozen=True)
class Period:
    """A report's period: from ``start`` (inclusive) to ``end`` (exclusive), aware, in Vietnam."""

    kind: ReportPeriod
    year: int
    start: datetime
    end: datetime

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    @property
    def label(self) -> str:
        return self.kind.label(self.year)

    @property
    def until(self) -> str:
        """Return "30/6/2017": the last day the figures cover, as Vietnamese texts write it."""
        d = self.last_day
        return f"{d.day}/{d.month}/{d.year}"


def period(kind: ReportPeriod | str, year: int) -> Period:
    """Return the period ``kind`` of ``year``: 1/1–30/6 or 1/1–31/12 in Asia/Ho_Chi_Minh."""
    kind = ReportPeriod(kind)
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=VIETNAM)
    end_day = date(year, 7, 1) if kind is ReportPeriod.FIRST_HALF else date(year + 1, 1, 1)
    return Period(kind, year, start, datetime.combine(end_day, time.min, tzinfo=VIETNAM))


@dataclass(frozen=True)
class ReportFacts:
    """One addressed organisation, its package, and its nominees counted by (kind, state)."""

    organisation: str
    name: str
    kind: str  # OrgKind value
    package_state: str | None  # None: nothing entered
    submitted_at: datetime | None
    late: bool
    nominees: Mapping[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Tally:
    """The counts of a set of addressed organisations."""

    addressed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    collective: int = 0
    individual: int = 0
    pending: int = 0  # nominees sent, not yet reviewed
    accepted: int = 0  # accepted, selected ones included
    returned: int = 0
    selected: int = 0
    met: int = 0  # organisations that sent at least their quota

    @property
    def sent(self) -> int:
        return self.on_time + self.late

    @property
    def nominees(self) -> int:
        return self.collective + self.individual

    @property
    def attainment(self) -> str:
        """Return quota attainment as "N/M (x%)": organisations meeting it / addressed."""
        return ratio(self.met, self.addressed)

    def __add__(self, other: Tally) -> Tally:
        names = Tally.__dataclass_fields__
        return Tally(**{n: getattr(self, n) + getattr(other, n) for n in names})


def percent(part: int, whole: int) -> str:
    """Return ``part`` of ``whole`` as Vietnamese texts print it: "33,3%", "100%"."""
    if whole <= 0:
        return "—"
    value = round(part * 100 / whole, 1)
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def ratio(part: int, whole: int) -> str:
    """Return "02/03 (66,7%)"."""
    return f"{count_phrase(part)}/{count_phrase(whole)} ({percent(part, whole)})"


def _tally(facts: ReportFacts, minimum: int | None, period: Period) -> Tally:
    submitted_at = facts.submitted_at
    if submitted_at is not None and submitted_at.tzinfo is None:
        raise ValueError("report periods need timezone-aware submission times")
    sent = (
        facts.package_state in SENT_STATES
        and submitted_at is not None
        and submitted_at < period.end
    )
    if not sent:
        return Tally(addressed=1, missing=1)
    by_state: dict[str, int] = {}
    by_kind = {COLLECTIVE: 0, INDIVIDUAL: 0}
    for (kind, state), n in facts.nominees.items():
        if state == "draft":
            continue
        by_state[state] = by_state.get(state, 0) + n
        by_kind[kind] = by_kind.get(kind, 0) + n
    counted = sum(by_state.get(s, 0) for s in COUNTED_NOMINEES)
    return Tally(
        addressed=1,
        on_time=0 if facts.late else 1,
        late=1 if facts.late else 0,
        collective=by_kind[COLLECTIVE],
        individual=by_kind[INDIVIDUAL],
        pending=by_state.get("submitted", 0),
        accepted=by_state.get("accepted", 0) + by_state.get("selected", 0),
        returned=by_state.get("returned", 0),
        selected=by_state.get("selected", 0),
        met=1 if minimum is None or counted >= minimum else 0,
    )


@dataclass(frozen=True)
class CampaignReport:
    """A report's figures: the whole, and per group in ``GROUPS`` order."""

    period: Period
    total: Tally
    groups: tuple[tuple[str, Tally], ...]

    @property
    def has_data(self) -> bool:
        """Return whether anything was sent by the period's end (else the report says so)."""
        return self.total.sent > 0

    def figures(self, selection: tuple[int, int] | None = None) -> list[dict[str, str]]:
        """Return the rows of the report's ``figures`` table (none for a period without data).

        ``selection`` is the campaign's range for the centre (05–10), printed as a note.
        """
        if not self.has_data:
            return []
        t = self.total

        def row(label: str, value: int | str, note: str = "") -> dict[str, str]:
            shown = count_phrase(value) if isinstance(value, int) else value
            return {"label": label, "value": shown, "note": note}

        share = f"{percent(t.sent, t.addressed)} số được đề nghị"
        range_note = (
            f"Từ {count_phrase(selection[0])} đến {count_phrase(selection[1])} theo Kế hoạch"
            if selection and selection[1]
            else ""
        )
        return [
            row("Cơ quan, địa phương, đơn vị được đề nghị giới thiệu", t.addressed),
            row("Cơ quan, địa phương, đơn vị đã gửi hồ sơ giới thiệu", t.sent, share),
            row("- Gửi đúng hạn", t.on_time),
            row("- Gửi trễ hạn", t.late),
            row("Cơ quan, địa phương, đơn vị chưa gửi hồ sơ", t.missing),
            row("Tập thể, cá nhân được giới thiệu", t.nominees),
            row("- Tập thể", t.collective),
            row("- Cá nhân", t.individual),
            row("Hồ sơ được tiếp nhận", t.accepted, "Tập thể, cá nhân"),
            row("Hồ sơ bị trả lại", t.returned, "Tập thể, cá nhân"),
            row("Hồ sơ đang xem xét", t.pending, "Tập thể, cá nhân"),
            row("Điển hình được chọn giới thiệu Trung ương", t.selected, range_note),
            row("Cơ quan, địa phương, đơn vị đạt chỉ tiêu giới thiệu", t.attainment),
        ]

    def breakdown(self) -> list[dict[str, str]]:
        """Return the rows of the by-group table, with a total row (none without data)."""
        if not self.has_data:
            return []
        rows = [_group_row(name, tally) for name, tally in self.groups]
        return [*rows, _group_row("Tổng cộng", self.total)]

    def sentences(self) -> list[str]:
        """Return the paragraphs stating the figures in words (or that there are none)."""
        t = self.total
        if not self.has_data:
            return [NO_DATA.format(addressed=count_phrase(t.addressed))]
        c = count_phrase
        first = (
            f"Tính đến hết ngày {self.period.until}, có {c(t.sent)}/{c(t.addressed)} cơ quan, "
            f"địa phương, đơn vị đã gửi hồ sơ giới thiệu ({c(t.on_time)} đúng hạn, "
            f"{c(t.late)} trễ hạn); {c(t.missing)} cơ quan, địa phương, đơn vị chưa gửi."
        )
        second = (
            f"Tổng số tập thể, cá nhân được giới thiệu là {c(t.nominees)} ({c(t.collective)} "
            f"tập thể, {c(t.individual)} cá nhân); đã tiếp nhận {c(t.accepted)}, trả lại "
            f"{c(t.returned)}, đang xem xét {c(t.pending)}; đã chọn {c(t.selected)} điển hình "
            f"giới thiệu Trung ương. Số cơ quan, địa phương, đơn vị đạt chỉ tiêu giới thiệu: "
            f"{t.attainment}. Số liệu cụ thể như sau:"
        )
        return [first, second]

    def snapshot(self) -> dict[str, object]:
        """Return the figures as plain JSON values (what a report draft was made from)."""
        return {
            "period": str(self.period.kind),
            "year": self.period.year,
            "has_data": self.has_data,
            "total": _plain(self.total),
            "groups": [[name, _plain(tally)] for name, tally in self.groups],
        }


def _plain(tally: Tally) -> dict[str, int]:
    return {n: getattr(tally, n) for n in Tally.__dataclass_fields__}


def _group_row(name: str, t: Tally) -> dict[str, str]:
    c = count_phrase
    return {
        "group": name,
        "addressed": c(t.addressed),
        "on_time": c(t.on_time),
        "late": c(t.late),
        "missing": c(t.missing),
        "nominees": f"{c(t.nominees)} ({c(t.collective)}/{c(t.individual)})",
        "attainment": t.attainment,
    }


def compute_report(
    facts: Iterable[ReportFacts], minimum_by_kind: Mapping[str, int], period: Period
) -> CampaignReport:
    """Return the report's figures for ``period`` from the addressed organisations' facts."""
    total = Tally()
    by_group: dict[str, Tally] = {}
    for f in facts:
        tally = _tally(f, minimum_by_kind.get(f.kind), period)
        total = total + tally
        group = group_of(f.kind)
        by_group[group] = by_group.get(group, Tally()) + tally
    order = {label: i for i, label in enumerate(GROUPS.values())}
    groups = tuple(sorted(by_group.items(), key=lambda item: order.get(item[0], len(order))))
    return CampaignReport(period, total, groups)
