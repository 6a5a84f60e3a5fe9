"""Tests for the place-and-date line and in-text dates (Decree 30, PL I §II.4)."""

from __future__ import annotations

from datetime import date

import pytest

from docgen.errors import RuleError
from docgen.rules.dates import (
    date_line,
    date_phrase,
    format_day,
    format_month,
    parse_date_line,
    short_date,
)


@pytest.mark.parametrize(
    ("day", "printed"), [(1, "01"), (2, "02"), (9, "09"), (10, "10"), (29, "29"), (31, "31")]
)
def test_format_day(day, printed):
    assert format_day(day) == printed


@pytest.mark.parametrize(
    ("month", "printed"),
    [(1, "01"), (2, "02"), (3, "3"), (4, "4"), (9, "9"), (10, "10"), (11, "11"), (12, "12")],
)
def test_format_month_pads_only_january_and_february(month, printed):
    assert format_month(month) == printed


@pytest.mark.parametrize(
    ("fn", "value"),
    [(format_day, 0), (format_day, 32), (format_month, 0), (format_month, 13), (format_day, True)],
)
def test_out_of_range_day_or_month(fn, value):
    with pytest.raises(RuleError):
        fn(value)


CASES = [
    # (date, phrase, short form)
    (date(2017, 1, 1), "ngày 01 tháng 01 năm 2017", "01/01/2017"),
    (date(2017, 1, 2), "ngày 02 tháng 01 năm 2017", "02/01/2017"),
    (date(2020, 1, 5), "ngày 05 tháng 01 năm 2020", "05/01/2020"),
    (date(2016, 2, 28), "ngày 28 tháng 02 năm 2016", "28/02/2016"),
    (date(2016, 2, 29), "ngày 29 tháng 02 năm 2016", "29/02/2016"),
    (date(2017, 2, 28), "ngày 28 tháng 02 năm 2017", "28/02/2017"),
    (date(2017, 3, 9), "ngày 09 tháng 3 năm 2017", "09/3/2017"),
    (date(2017, 3, 10), "ngày 10 tháng 3 năm 2017", "10/3/2017"),
    (date(2017, 4, 20), "ngày 20 tháng 4 năm 2017", "20/4/2017"),
    (date(2019, 6, 29), "ngày 29 tháng 6 năm 2019", "29/6/2019"),
    (date(2017, 10, 9), "ngày 09 tháng 10 năm 2017", "09/10/2017"),
    (date(2017, 12, 31), "ngày 31 tháng 12 năm 2017", "31/12/2017"),
]


@pytest.mark.parametrize(("d", "phrase", "short"), CASES)
def test_date_phrase_and_short_date(d, phrase, short):
    assert date_phrase(d) == phrase
    assert short_date(d) == short


@pytest.mark.parametrize(("d", "phrase", "short"), CASES)
@pytest.mark.parametrize(
    "place",
    [
        "Kiên Giang",
        "Rạch Giá",
        "Hà Nội",
        "Thành phố Hồ Chí Minh",
        "U Minh Thượng",
        "Ban Quản lý các khu công nghiệp tỉnh Kiên Giang",
    ],
)
def test_date_line_round_trips(place, d, phrase, short):
    line = date_line(place, d)
    assert line == f"{place}, {phrase}"
    assert parse_date_line(line) == (place, d)


def test_seed_and_decree_samples():
    assert date_line("Kiên Giang", date(2017, 3, 9)) == "Kiên Giang, ngày 09 tháng 3 năm 2017"
    assert date_line("Hà Nội", date(2020, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert date_line("Kiên Giang", date(2017, 3, 9), year=2017).endswith("năm 2017")


def test_draft_date_line_leaves_six_spaces_for_day_and_month():
    line = date_line("Kiên Giang", None, year=2017)
    assert line == "Kiên Giang, ngày      tháng      năm 2017"
    assert line.count(" " * 6) == 2
    assert parse_date_line(line) == ("Kiên Giang", None)


@pytest.mark.parametrize(
    "line",
    [
        "Kiên Giang, ngày  tháng  năm 2017",
        "Kiên Giang, ngày … tháng … năm 2017",
        "Kiên Giang, ngày ..... tháng ..... năm 2017",
        "Kiên Giang, ngày tháng năm 2017",
    ],
)
def test_parse_accepts_blank_or_dotted_drafts(line):
    assert parse_date_line(line) == ("Kiên Giang", None)


@pytest.mark.parametrize(
    ("place", "d", "year", "problem"),
    [
        ("Kiên Giang", None, None, "cần năm"),
        ("", date(2017, 3, 9), None, "để trống"),
        ("   ", date(2017, 3, 9), None, "để trống"),
        ("Rạch Giá, Kiên Giang", date(2017, 3, 9), None, "dấu phẩy"),
        ("kiên Giang", date(2017, 3, 9), None, "viết hoa"),
        ("Kiên Giang", date(2017, 3, 9), 2018, "không khớp"),
        ("Kiên Giang", None, 17, "bốn chữ số"),
    ],
)
def test_date_line_rejects(place, d, year, problem):
    with pytest.raises(RuleError, match=problem):
        date_line(place, d, year=year)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Kiên Giang, ngày 09 tháng 03 năm 2017", "tháng 3"),
        ("Kiên Giang, ngày 9 tháng 3 năm 2017", "ngày 09"),
        ("Kiên Giang, ngày 05 tháng 1 năm 2020", "tháng 01"),
        ("Kiên Giang, ngày 30 tháng 02 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 29 tháng 02 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 31 tháng 4 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 32 tháng 12 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 00 tháng 12 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 01 tháng 13 năm 2017", "không có trong lịch"),
        ("Kiên Giang, ngày 29 tháng 2 năm 2016", "tháng 02"),
        ("Kiên Giang ngày 09 tháng 3 năm 2017", "không đúng thể thức"),
        ("Kiên Giang, 09/3/2017", "không đúng thể thức"),
        ("Kiên Giang, ngày 09 tháng 3 năm 17", "không đúng thể thức"),
        (", ngày 09 tháng 3 năm 2017", "không đúng thể thức"),
        ("kiên Giang, ngày 09 tháng 3 năm 2017", "viết hoa"),
    ],
)
def test_parse_date_line_rejects(line, problem):
    with pytest.raises(RuleError, match=problem):
        parse_date_line(line)


def test_parse_tolerates_extra_and_non_breaking_spaces():
    assert parse_date_line("  Kiên\u00a0Giang,  ngày 09 tháng\u00a03 năm 2017 ") == (
        "Kiên Giang",
        date(2017, 3, 9),
    )


def test_leap_day_2016_parses():
    assert parse_date_line("Kiên Giang, ngày 29 tháng 02 năm 2016")[1] == date(2016, 2, 29)
