"""The place-and-date line (địa danh và thời gian ban hành) and in-text dates of Decree 30."""

from __future__ import annotations

import re
from datetime import date

from docgen.errors import RuleError
from docgen.rules.text import nfc

DRAFT_BLANK = " " * 6  # the space left for day and month on a draft

_LINE = re.compile(
    r"^(?P<place>[^,]+), ngày (?P<day>\d{1,2}) tháng (?P<month>\d{1,2}) năm (?P<year>\d{4})$"
)
# A draft leaves day and month blank, or dotted as in the Decree's templates.
_DRAFT_LINE = re.compile(r"^(?P<place>[^,]+), ngày[ .…]*tháng[ .…]*năm (?P<year>\d{4})$")


def format_day(day: int) -> str:
    """Return the day as printed: a leading zero below 10 ("09", "10", "31")."""
    if isinstance(day, bool) or not 1 <= day <= 31:
        raise RuleError(f"Ngày phải từ 1 đến 31, không phải “{day}”.", day=day)
    return f"{day:02d}"


def format_month(month: int) -> str:
    """Return the month as printed: "01", "02", then "3"…"12" (only months 1 and 2 take a 0)."""
    if isinstance(month, bool) or not 1 <= month <= 12:
        raise RuleError(f"Tháng phải từ 1 đến 12, không phải “{month}”.", month=month)
    return f"{month:02d}" if month < 3 else str(month)


def date_phrase(d: date) -> str:
    """Return the date written in full: "ngày 09 tháng 3 năm 2017"."""
    return f"ngày {format_day(d.day)} tháng {format_month(d.month)} năm {d.year}"


def _check_place(place: str) -> str:
    place = " ".join(nfc(place).split())
    if not place:
        raise RuleError("Địa danh trên dòng ngày tháng đang để trống.")
    if "," in place:
        # The comma after the place ends it; one inside would make the line ambiguous.
        raise RuleError(f"Địa danh “{place}” không được chứa dấu phẩy.", place=place)
    if not place[0].isupper():
        raise RuleError(f"Địa danh “{place}” phải viết hoa chữ cái đầu.", place=place)
    return place


def _check_year(year: int) -> int:
    if isinstance(year, bool) or not 1000 <= year <= 9999:
        raise RuleError(f"Năm ban hành phải có bốn chữ số, không phải “{year}”.", year=year)
    return year


def date_line(place: str, d: date | None, *, year: int | None = None) -> str:
    """Return "Kiên Giang, ngày 09 tháng 3 năm 2017", or the draft form when ``d`` is None.

    A draft ("Kiên Giang, ngày      tháng      năm 2017") needs ``year``; if both ``d`` and
    ``year`` are given they must agree.
    """
    place = _check_place(place)
    if d is None:
        if year is None:
            raise RuleError("Dòng ngày tháng của bản dự thảo cần năm ban hành.")
        blank = DRAFT_BLANK
        return f"{place}, ngày{blank}tháng{blank}năm {_check_year(year)}"
    if year is not None and year != d.year:
        raise RuleError(f"Năm {year} không khớp với ngày ban hành {short_date(d)}.", year=year)
    _check_year(d.year)
    return f"{place}, {date_phrase(d)}"


def parse_date_line(text: str) -> tuple[str, date | None]:
    """Return (place, date) from a date line; the date is None on a draft.

    Strict, as a format check: "tháng 03", "ngày 9" and dates that do not exist raise RuleError.
    """
    line = " ".join(nfc(text).split())
    if match := _DRAFT_LINE.match(line):
        return _check_place(match["place"]), None
    match = _LINE.match(line)
    if match is None:
        raise RuleError(
            f"Dòng địa danh, ngày tháng “{line}” không đúng thể thức "
            "(ví dụ “Kiên Giang, ngày 09 tháng 3 năm 2017”).",
            text=line,
        )
    place = _check_place(match["place"])
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    try:
        issued = date(_check_year(year), month, day)
    except ValueError:
        raise RuleError(
            f"Ngày {match['day']}/{match['month']}/{year} không có trong lịch.", text=line
        ) from None
    if match["day"] != format_day(day):
        raise RuleError(f"“ngày {match['day']}” phải viết “ngày {format_day(day)}”.", text=line)
    if match["month"] != format_month(month):
        raise RuleError(
            f"“tháng {match['month']}” phải viết “tháng {format_month(month)}” "
            "(chỉ tháng 1 và 2 có số 0 đứng trước).",
            text=line,
        )
    return place, issued


def short_date(d: date) -> str:
    """Return the date as cited in a text: "09/3/2017", "05/01/2017" (same zero rule)."""
    return f"{format_day(d.day)}/{format_month(d.month)}/{d.year}"
