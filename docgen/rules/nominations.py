"""Nominee rules (design D19): the trích ngang columns, their Vietnamese labels, and row checks.

One check serves the form and the XLSX import alike: ``check_nominee`` takes raw values (text
typed in a form, or whatever a spreadsheet cell holds: numbers, dates, text) and returns the
clean values or a Vietnamese message per column. Columns follow commendation.md §2.3 (the
recommended danh sách trích ngang); the classification lists are those the statistics need.
Pure: no database, no Flask, no openpyxl.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

COLLECTIVE = "collective"
INDIVIDUAL = "individual"
KIND_LABELS = {COLLECTIVE: "Tập thể", INDIVIDUAL: "Cá nhân"}
GENDER_LABELS = {"nam": "Nam", "nu": "Nữ"}

# Phân loại đối tượng (TT 02/2023 statistics; LPPM sheet DANHMUC), per kind.
INDIVIDUAL_CLASSES = (
    "Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên",
    "Lãnh đạo cấp vụ, sở, ngành và tương đương",
    "Doanh nhân",
    "Các cấp lãnh đạo từ phó phòng trở lên",
    "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu",
)
COLLECTIVE_CLASSES = ("Cơ quan hành chính, sự nghiệp", "Doanh nghiệp", "Hộ gia đình")
CLASSES = {INDIVIDUAL: INDIVIDUAL_CLASSES, COLLECTIVE: COLLECTIVE_CLASSES}

MAX_NAME = 300
MAX_POSITION = 500
MAX_FIELD = 200
MAX_ACHIEVEMENTS = 4000
MAX_AWARDS = 2000
EARLIEST_YEAR = 1900


@dataclass(frozen=True)
class Column:
    """One trích ngang column: the key services use and the header a spreadsheet shows."""

    key: str
    header: str
    width: int
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("stt", "STT", 6, "Số thứ tự (không bắt buộc)."),
    Column("kind", "Tập thể/Cá nhân", 14, "Chọn “Tập thể” hoặc “Cá nhân”."),
    Column("name", "Tên tập thể hoặc họ và tên", 32, "Bắt buộc; tối đa 300 ký tự."),
    Column("birth_year", "Năm sinh", 10, "Cá nhân: bắt buộc, 4 chữ số (ví dụ 1975)."),
    Column("gender", "Giới tính", 10, "Cá nhân: chọn “Nam” hoặc “Nữ”; tập thể để trống."),
    Column(
        "position",
        "Chức vụ, đơn vị công tác hoặc nơi cư trú",
        40,
        "Bắt buộc. Tập thể: địa chỉ hoặc cơ quan chủ quản.",
    ),
    Column("field", "Lĩnh vực", 20, "Lĩnh vực hoạt động (không bắt buộc)."),
    Column("classification", "Phân loại đối tượng", 36, "Chọn trong danh sách theo loại."),
    Column(
        "achievements",
        "Tóm tắt thành tích (có số liệu)",
        60,
        "Bắt buộc: vài dòng, có số liệu cụ thể; tối đa 4.000 ký tự.",
    ),
    Column("previous_awards", "Hình thức khen thưởng đã nhận", 30, "Không bắt buộc."),
)
HEADERS = tuple(c.header for c in COLUMNS)
FIELDS = tuple(c.key for c in COLUMNS if c.key != "stt")  # what a nominee stores


def _fold(text: str) -> str:
    """Return ``text`` for comparing labels: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def normalise_header(value: Any) -> str:
    """Return a header cell as compared with ``HEADERS`` (case and spacing ignored)."""
    return _fold(str(value)) if value is not None else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


_DATE_TEXT = (
    re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"),  # 12/5/1975, 12-05-1975
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"),  # 1975-05-12
)


def parse_year(value: Any) -> int | str:
    """Return the year in ``value`` (a number, a date, or text), or a Vietnamese message.

    Spreadsheets hold years as numbers, as text ("1975", "1975.0") or as whole dates (typed
    "12/5/1975" or formatted as a date): all give the year.
    """
    if isinstance(value, bool):
        return "Năm sinh phải là 4 chữ số, ví dụ 1975."
    if isinstance(value, datetime | date):
        return value.year
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else f"Năm sinh “{value}” không phải số nguyên."
    text = _text(value)
    if re.fullmatch(r"\d{4}(?:\.0+)?", text):
        return int(text.split(".")[0])
    for i, pattern in enumerate(_DATE_TEXT):
        match = pattern.match(text)
        if match:
            parts = [int(g) for g in match.groups()]
            day, month, year = parts if i == 0 else (parts[2], parts[1], parts[0])
            try:
                return date(year, month, day).year
            except ValueError:
                return f"Ngày sinh “{text}” không có thật."
    return f"Năm sinh “{text}” không đọc được; hãy ghi 4 chữ số, ví dụ 1975."


def _lookup(labels: Mapping[str, str]) -> dict[str, str]:
    """Return folded key or label → key, for matching what people type against a list."""
    return {_fold(text): key for key, label in labels.items() for text in (key, label)}


_KINDS = _lookup(KIND_LABELS)
_GENDERS = _lookup(GENDER_LABELS)
_CLASSES = {
    kind: {_fold(option): option for option in options} for kind, options in CLASSES.items()
}


def _choice(value: Any, labels: Mapping[str, str], what: str) -> str:
    """Return the key whose key or label matches ``value``; raise ValueError with a message."""
    lookup = _KINDS if labels is KIND_LABELS else _GENDERS if labels is GENDER_LABELS else None
    found = (lookup or _lookup(labels)).get(_fold(_text(value)))
    if found is not None:
        return found
    options = " hoặc ".join(f"“{label}”" for label in labels.values())
    raise ValueError(f"{what} “{_text(value)}” không hợp lệ; chọn {options}.")


def _limited(clean: dict[str, Any], errors: dict[str, str], key: str, limit: int) -> None:
    if len(clean[key]) > limit:
        errors[key] = f"Dài {len(clean[key])} ký tự, tối đa {limit} ký tự."


def check_nominee(values: Mapping[str, Any], *, year: int) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (clean values, errors by column key) for one nominee of a campaign of ``year``.

    Missing keys count as empty. Clean values hold every key of ``FIELDS``; an error names
    what is wrong in Vietnamese, ready to show beside the column.
    """
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {key: _text(values.get(key)) for key in FIELDS}
    kind = None
    if not clean["kind"]:
        errors["kind"] = "Chưa ghi tập thể hay cá nhân."
    else:
        try:
            kind = _choice(values.get("kind"), KIND_LABELS, "Loại")
        except ValueError as exc:
            errors["kind"] = str(exc)
    clean["kind"] = kind
    for key, what in (("name", "tên"), ("position", "chức vụ, đơn vị hoặc nơi cư trú")):
        if not clean[key]:
            errors[key] = f"Chưa ghi {what}."
    if not clean["achievements"]:
        errors["achievements"] = "Chưa có tóm tắt thành tích."
    elif not re.search(r"\d", clean["achievements"]):
        errors["achievements"] = "Tóm tắt thành tích cần có số liệu cụ thể (ít nhất một con số)."
    for key, limit in (
        ("name", MAX_NAME),
        ("position", MAX_POSITION),
        ("field", MAX_FIELD),
        ("achievements", MAX_ACHIEVEMENTS),
        ("previous_awards", MAX_AWARDS),
    ):
        if key not in errors:
            _limited(clean, errors, key, limit)
    _check_person(values, clean, errors, kind, year)
    _check_class(clean, errors, kind)
    return clean, errors


def _check_person(
    values: Mapping[str, Any],
    clean: dict[str, Any],
    errors: dict[str, str],
    kind: str | None,
    year: int,
) -> None:
    """Check birth year and gender: required for a person, absent for a collective."""
    raw_year, raw_gender = values.get("birth_year"), clean["gender"]
    clean["birth_year"] = None
    clean["gender"] = None
    if kind == COLLECTIVE:
        if _text(raw_year):
            errors["birth_year"] = "Tập thể không ghi năm sinh."
        if raw_gender:
            errors["gender"] = "Tập thể không ghi giới tính."
        return
    if kind != INDIVIDUAL:
        return
    if not _text(raw_year):
        errors["birth_year"] = "Cá nhân phải có năm sinh."
    else:
        parsed = parse_year(raw_year)
        if isinstance(parsed, str):
            errors["birth_year"] = parsed
        elif not EARLIEST_YEAR <= parsed <= year:
            errors["birth_year"] = f"Năm sinh {parsed} phải từ {EARLIEST_YEAR} đến {year}."
        else:
            clean["birth_year"] = parsed
    if not raw_gender:
        errors["gender"] = "Cá nhân phải có giới tính (Nam hoặc Nữ)."
    else:
        try:
            clean["gender"] = _choice(raw_gender, GENDER_LABELS, "Giới tính")
        except ValueError as exc:
            errors["gender"] = str(exc)


def _check_class(clean: dict[str, Any], errors: dict[str, str], kind: str | None) -> None:
    """Check the classification against the list of the nominee's kind."""
    text = clean["classification"]
    if kind is None:
        return
    if not text:
        errors["classification"] = "Chưa chọn phân loại đối tượng."
        return
    option = _CLASSES[kind].get(_fold(text))
    if option is not None:
        clean["classification"] = option
        return
    errors["classification"] = (
        f"Phân loại “{text}” không dùng cho {KIND_LABELS[kind].lower()}; chọn một trong: "
        + "; ".join(CLASSES[kind])
        + "."
    )
