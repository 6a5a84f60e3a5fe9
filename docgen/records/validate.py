"""Raw YAML values → typed records, keeping every problem (types, keys, dates, NFC).

``build`` turns one raw mapping into a ``docgen.domain`` dataclass, driven by the
dataclass's own type hints, so a field added to ``domain.py`` is read and checked here without
a second schema. ``docgen.records.checks`` then applies the rules and cross-file references.
"""

from __future__ import annotations

import dataclasses
import re
import types
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from types import MappingProxyType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")
INVALID: Any = object()  # a value that failed its check (the problem is already recorded)

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class RecordProblem:
    """One problem in the records: where it is (file, path inside it) and what is wrong."""

    file: str  # "records/organisations.yaml"
    path: str  # "organisations[3].symbol"; "" for the file as a whole
    message: str  # Vietnamese

    def __str__(self) -> str:
        return ": ".join(part for part in (self.file, self.path, self.message) if part)


Report = Callable[[str, str], None]  # report(path, message) for one file


def join(path: str, key: str | int) -> str:
    """Return the path of ``key`` inside ``path``: "organisations[3]" + "symbol"."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def freeze(value: Any) -> Any:
    """Return ``value`` with every mapping read-only and every list a tuple."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value


def check_nfc(value: Any, path: str, report: Report) -> None:
    """Report every key or string under ``value`` that is not in Unicode NFC."""
    if isinstance(value, str):
        if not unicodedata.is_normalized("NFC", value):
            text = unicodedata.normalize("NFC", value)
            shown = text if len(text) <= 60 else text[:59] + "…"
            report(path, f"văn bản chưa chuẩn hóa Unicode NFC (soạn lại ở dạng NFC): “{shown}”")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and not unicodedata.is_normalized("NFC", key):
                report(join(path, key), "tên khóa chưa chuẩn hóa Unicode NFC")
            check_nfc(item, join(path, str(key)), report)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_nfc(item, join(path, i), report)


def parse_date(value: Any) -> date | None:
    """Return the date a YAML value spells ("20/4/2017", "2017-04-20" or a YAML date), else None."""
    if isinstance(value, datetime):
        return None  # a time of day has no place in a record date
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if match := _DMY.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        return None


# --- raw mapping → dataclass ------------------------------------------------------------------


def build(cls: type[T], raw: Any, path: str, report: Report) -> T | None:
    """Return ``cls`` built from a raw mapping, or None after reporting every problem."""
    if not isinstance(raw, Mapping):
        report(path, "phải là một bảng “khóa: giá trị”")
        return None
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    ok = True
    for key in raw:
        if key not in fields:
            report(
                join(path, str(key)), f"khóa không hợp lệ (các khóa hợp lệ: {', '.join(fields)})"
            )
            ok = False
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name not in raw:
            no_default = spec.default is dataclasses.MISSING
            if no_default and spec.default_factory is dataclasses.MISSING:
                report(join(path, name), "thiếu khóa bắt buộc")
                ok = False
            continue
        values[name] = convert(hints[name], raw[name], join(path, name), report)
        ok = ok and values[name] is not INVALID
    return cls(**values) if ok else None


def convert(hint: Any, value: Any, path: str, report: Report) -> Any:
    """Return ``value`` converted to the type ``hint``, or INVALID after reporting why."""
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = (a for a in args if a is not type(None))
        return convert(inner, value, path, report)
    if value is None:
        report(path, "không được để trống")
        return INVALID
    if origin is tuple:
        if not isinstance(value, list):
            report(path, "phải là một danh sách")
            return INVALID
        items = [convert(args[0], v, join(path, i), report) for i, v in enumerate(value)]
        return INVALID if any(v is INVALID for v in items) else tuple(items)
    if origin is not None and issubclass(origin, Mapping):
        if not isinstance(value, Mapping):
            report(path, "phải là một bảng “khóa: giá trị”")
            return INVALID
        return freeze(value)
    if hint is Any:
        return freeze(value)
    if dataclasses.is_dataclass(hint):
        built = build(hint, value, path, report)
        return INVALID if built is None else built
    return _scalar(hint, value, path, report)


def _scalar(hint: type, value: Any, path: str, report: Report) -> Any:
    if isinstance(hint, type) and issubclass(hint, Enum):
        allowed = [m.value for m in hint]
        if value not in allowed:
            report(path, f"giá trị “{value}” không hợp lệ (chọn một trong: {', '.join(allowed)})")
            return INVALID
        return hint(value)
    if hint is str:
        if not isinstance(value, str):
            report(path, f"phải là chuỗi ký tự, không phải “{value}”")
            return INVALID
        if not value.strip():
            report(path, "không được để trống")
            return INVALID
        return value.strip()
    if hint is bool:
        if not isinstance(value, bool):
            report(path, f"phải là true hoặc false, không phải “{value}”")
            return INVALID
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, f"phải là số nguyên, không phải “{value}”")
            return INVALID
        return value
    if hint is date:
        parsed = parse_date(value)
        if parsed is None:
            report(path, f"ngày “{value}” không hợp lệ (viết “20/4/2017” hoặc “2017-04-20”)")
            return INVALID
        return parsed
    raise TypeError(f"records: unsupported field type {hint!r}")  # a domain.py change to teach
