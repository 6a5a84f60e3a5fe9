"""The field types of template schemas: one table, each type with its parser, checks and widget.

A template's fields (``templates/<code>.yaml``) each name a type of ``FIELD_TYPES``. The type
turns what a form or the API sent into the value the template prints (``parse``), checks it
against the field's limits (``validate``) and names the widget and limits of the drafting form.

What a text field accepts is exactly what the document can print: one-line fields refuse every
control character (tab, line breaks, NUL, BEL, form feed…), multi-line fields allow line feeds
only (``\\r\\n`` becomes ``\\n``); no field accepts a lone surrogate, a Unicode line or paragraph
separator, a bidirectional override or a non-character. docxtpl would otherwise turn ``\\a`` and
``\\f`` into a new paragraph and a page break and drop the rest, so that what is sealed would
differ from what is printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, NoReturn


class FieldType(StrEnum):
    TEXT = "text"  # one line
    TEXTAREA = "textarea"  # several lines
    INT = "int"
    DATE = "date"
    CHOICE = "choice"
    BOOL = "bool"
    LIST = "list"  # one-line items (thành tích, căn cứ)
    BLOCKS = "blocks"  # body paragraphs {kind, text}
    TABLE = "table"  # rows whose columns are fields


class Widget(StrEnum):
    """The control the drafting form shows for a field type."""

    INPUT = "input"
    TEXTAREA = "textarea"
    NUMBER = "number"
    DATE = "date"
    SELECT = "select"
    CHECKBOX = "checkbox"
    LINES = "lines"  # a growing list of one-line inputs
    BLOCKS = "blocks"  # a growing list of (kind, paragraph) editors
    TABLE = "table"  # a growing table of rows


class BlockKind(StrEnum):
    """What one body paragraph is; the text includes its printed prefix ("I. ", "1. ", "- ")."""

    SECTION = "section"
    HEADING = "heading"
    SUBHEADING = "subheading"
    PARA = "para"
    DASH = "dash"
    PLUS = "plus"
    BASIS = "basis"


# Lengths when a schema gives none: a clerk's text is never unbounded.
DEFAULT_MAX_LENGTH = {FieldType.TEXT: 1000, FieldType.TEXTAREA: 20_000}
DEFAULT_MAX_ITEMS = 1000
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CHARACTER_NAMES = {
    "\t": "dấu tab",
    "\n": "dấu xuống dòng",
    "\r": "dấu về đầu dòng (CR)",
    "\v": "dấu tab dọc",
    "\f": "dấu ngắt trang",
    "\a": "ký tự chuông (BEL)",
    "\x00": "ký tự NUL",
}
_BLOCK_KINDS = frozenset(BlockKind)
# What no text field accepts: control characters (Unicode category Cc) but the line feed, lone
# surrogates (Cs), the line and paragraph separators (Zl, Zp), the bidirectional embeddings,
# overrides and isolates, and the two non-characters XML refuses. One-line fields add "\n".
_REFUSED = (
    "\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff"
)
_REFUSED_IN_MULTI_LINE = re.compile(f"[{_REFUSED}]")
_REFUSED_IN_ONE_LINE = re.compile(f"[{_REFUSED}\n]")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a template schema: name, Vietnamese label, type, whether required, limits."""

    name: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    help: str = ""
    max_length: int | None = None
    max_items: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    columns: tuple[FieldSpec, ...] = ()  # for type "table": the fields of one row

    @property
    def kind(self) -> FieldKind:
        """Return the field type's entry in ``FIELD_TYPES``."""
        return FIELD_TYPES[self.type]

    def empty(self) -> Any:
        """Return the value an optional field takes when the form leaves it out."""
        return self.kind.empty()


class Invalid(ValueError):
    """A value a field refuses: ``problems`` maps a key suffix ("" or "[2].year") to a message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


def _refuse(message: str) -> NoReturn:
    raise Invalid({"": message})


@dataclass(frozen=True)
class FieldKind:
    """One field type: how to parse a raw value, what to check, which widget shows it."""

    type: FieldType
    widget: Widget
    parse: Callable[[FieldSpec, Any], Any]  # raw → value, or ``Invalid``
    validate: Callable[[FieldSpec, Any], None] = lambda spec, value: None  # limits, or ``Invalid``
    limits: frozenset[str] = field(default_factory=frozenset)  # FieldSpec limits that apply
    empty: Callable[[], Any] = lambda: None

    def check(self, spec: FieldSpec, raw: Any) -> Any:
        """Return the value ``raw`` stands for, checked against ``spec``; raise ``Invalid``."""
        value = self.parse(spec, raw)
        self.validate(spec, value)
        return value

    def widget_limits(self, spec: FieldSpec) -> dict[str, Any]:
        """Return the limits the form's widget enforces, by HTML-like name."""
        out: dict[str, Any] = {"required": spec.required}
        if "max_length" in self.limits:
            out["maxlength"] = max_length(spec)
        if "max_items" in self.limits:
            out["max_items"] = spec.max_items or DEFAULT_MAX_ITEMS
        if spec.minimum is not None:
            out["min"] = spec.minimum
        if spec.maximum is not None:
            out["max"] = spec.maximum
        if spec.choices:
            out["choices"] = list(spec.choices)
        return out


def max_length(spec: FieldSpec) -> int:
    """Return the longest text the field accepts, in characters."""
    default = DEFAULT_MAX_LENGTH.get(spec.type, DEFAULT_MAX_LENGTH[FieldType.TEXT])
    return spec.max_length if spec.max_length is not None else default


# --- text -------------------------------------------------------------------------------------


def refused_character(text: str, *, multiline: bool) -> int | None:
    """Return the index of the first character of ``text`` a text field refuses, if any."""
    found = (_REFUSED_IN_MULTI_LINE if multiline else _REFUSED_IN_ONE_LINE).search(text)
    return found.start() if found else None


def _character_name(ch: str) -> str:
    """Return how a message names a refused character."""
    if ch in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[ch]
    category = unicodedata.category(ch)
    if category == "Cs":
        return f"nửa cặp thay thế (surrogate) đơn lẻ U+{ord(ch):04X}"
    if category == "Cc":
        return f"ký tự điều khiển U+{ord(ch):04X}"
    if category in {"Zl", "Zp"}:
        return f"dấu ngắt dòng Unicode U+{ord(ch):04X}"
    return f"ký tự không in được U+{ord(ch):04X}"


def clean_text(label: str, raw: str, *, multiline: bool) -> str:
    """Return ``raw`` as it will print: NFC, ``\\r\\n`` → ``\\n``, outer spaces trimmed.

    Raises ``Invalid`` naming the field, the character and its place when the text holds a
    character the field cannot print.
    """
    text = raw.replace("\r\n", "\n") if multiline else raw
    index = refused_character(text, multiline=multiline)
    if index is not None:
        ch, place = text[index], index + 1
        if ch == "\n":
            _refuse(f"“{label}” chỉ được một dòng (có dấu xuống dòng ở ký tự thứ {place})")
        _refuse(f"“{label}” chứa {_character_name(ch)} ở ký tự thứ {place}; hãy xóa ký tự này")
    text = unicodedata.normalize("NFC", text)
    return text.strip("\n ") if multiline else text.strip(" ")


def _text_parser(*, multiline: bool) -> Callable[[FieldSpec, Any], str]:
    def parse(spec: FieldSpec, raw: Any) -> str:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            _refuse(f"“{spec.label}” phải là chuỗi ký tự")
        return clean_text(spec.label, str(raw), multiline=multiline)

    return parse


def _validate_text(spec: FieldSpec, value: str) -> None:
    if spec.required and not value:
        _refuse(f"“{spec.label}” không được để trống")
    limit = max_length(spec)
    if len(value) > limit:
        _refuse(f"“{spec.label}” dài {len(value)} ký tự, tối đa {limit}")


def _validate_choice(spec: FieldSpec, value: str) -> None:
    if spec.required and not value:
        _refuse(f"“{spec.label}” không được để trống")
    if value not in spec.choices:
        _refuse(f"“{spec.label}” phải là một trong: {', '.join(spec.choices)}")


# --- numbers, dates, yes/no --------------------------------------------------------------------


def _parse_int(spec: FieldSpec, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        _refuse(f"“{spec.label}” phải là số nguyên")
    text = clean_text(spec.label, raw, multiline=False) if isinstance(raw, str) else raw
    try:
        return int(text)
    except ValueError:
        _refuse(f"“{spec.label}” phải là số nguyên")


def _validate_int(spec: FieldSpec, value: int) -> None:
    if spec.minimum is not None and value < spec.minimum:
        _refuse(f"“{spec.label}” phải ≥ {spec.minimum}")
    if spec.maximum is not None and value > spec.maximum:
        _refuse(f"“{spec.label}” phải ≤ {spec.maximum}")


def _parse_date(spec: FieldSpec, raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    wrong = f"“{spec.label}” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)"
    if not isinstance(raw, str):
        _refuse(wrong)
    text = clean_text(spec.label, raw, multiline=False)
    try:
        m = _DMY.match(text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        _refuse(wrong)


def _parse_bool(spec: FieldSpec, raw: Any) -> bool:
    if not isinstance(raw, bool):
        _refuse(f"“{spec.label}” phải là đúng/sai")
    return raw


# --- lists, body blocks, tables ----------------------------------------------------------------


def _items(spec: FieldSpec, raw: Any, item: Callable[[Any], Any]) -> list[Any]:
    """Return each item of a sequence parsed by ``item``; gather every item's problems."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        _refuse(f"“{spec.label}” phải là một danh sách")
    limit = spec.max_items or DEFAULT_MAX_ITEMS
    if len(raw) > limit:
        _refuse(f"“{spec.label}” có {len(raw)} mục, tối đa {limit}")
    values: list[Any] = []
    problems: dict[str, str] = {}
    for i, element in enumerate(raw):
        try:
            values.append(item(element))
        except Invalid as exc:
            problems.update({f"[{i}]{suffix}": m for suffix, m in exc.problems.items()})
            values.append(None)
    if problems:
        raise Invalid(problems)
    return values


def _validate_items(spec: FieldSpec, value: list[Any]) -> None:
    if spec.required and not value:
        _refuse(f"“{spec.label}” phải có ít nhất một mục")


def _parse_list(spec: FieldSpec, raw: Any) -> list[str]:
    line = FieldSpec(spec.name, spec.label, FieldType.TEXT, True, max_length=spec.max_length)
    return _items(spec, raw, lambda element: TEXT.check(line, element))


def _parse_blocks(spec: FieldSpec, raw: Any) -> list[dict[str, str]]:
    def block(element: Any) -> dict[str, str]:
        if not isinstance(element, Mapping) or set(element) - {"kind", "text"}:
            _refuse(f"“{spec.label}”: mỗi đoạn gồm “kind” và “text”")
        kind = element.get("kind", BlockKind.PARA)
        if not isinstance(kind, str) or kind not in _BLOCK_KINDS:
            kinds = ", ".join(BlockKind)
            _refuse(f"“{spec.label}”: loại đoạn “{kind}” không hợp lệ ({kinds})")
        raw_text = element.get("text")
        if not isinstance(raw_text, str):
            _refuse(f"“{spec.label}”: đoạn văn bản trống")
        # A block is one printed paragraph: no line breaks inside it.
        text = clean_text(spec.label, raw_text, multiline=False)
        if not text:
            _refuse(f"“{spec.label}”: đoạn văn bản trống")
        limit = max_length(spec)
        if len(text) > limit:
            _refuse(f"“{spec.label}”: đoạn dài {len(text)} ký tự, tối đa {limit}")
        return {"kind": str(kind), "text": text}

    return _items(spec, raw, block)


def _parse_table(spec: FieldSpec, raw: Any) -> list[dict[str, Any]]:
    def row(element: Any) -> dict[str, Any]:
        if not isinstance(element, Mapping):
            _refuse(f"“{spec.label}”: mỗi dòng phải là một bảng giá trị")
        unknown = set(element) - {c.name for c in spec.columns}
        if unknown:
            _refuse(f"“{spec.label}”: cột không hợp lệ {', '.join(sorted(map(str, unknown)))}")
        values, problems = check_fields(spec.columns, element, prefix=".")
        if problems:
            raise Invalid(problems)
        return values

    return _items(spec, raw, row)


TEXT = FieldKind(
    FieldType.TEXT, Widget.INPUT, _text_parser(multiline=False), _validate_text,
    frozenset({"max_length"}),
)  # fmt: skip
FIELD_TYPES: Mapping[FieldType, FieldKind] = {
    kind.type: kind
    for kind in (
        TEXT,
        FieldKind(FieldType.TEXTAREA, Widget.TEXTAREA, _text_parser(multiline=True),
                  _validate_text, frozenset({"max_length"})),
        FieldKind(FieldType.INT, Widget.NUMBER, _parse_int, _validate_int,
                  frozenset({"minimum", "maximum"})),
        FieldKind(FieldType.DATE, Widget.DATE, _parse_date),
        FieldKind(FieldType.CHOICE, Widget.SELECT, _text_parser(multiline=False),
                  _validate_choice, frozenset({"choices"})),
        FieldKind(FieldType.BOOL, Widget.CHECKBOX, _parse_bool, empty=lambda: False),
        FieldKind(FieldType.LIST, Widget.LINES, _parse_list, _validate_items,
                  frozenset({"max_items", "max_length"}), empty=list),
        FieldKind(FieldType.BLOCKS, Widget.BLOCKS, _parse_blocks, _validate_items,
                  frozenset({"max_items", "max_length"}), empty=list),
        FieldKind(FieldType.TABLE, Widget.TABLE, _parse_table, _validate_items,
                  frozenset({"max_items", "columns"}), empty=list),
    )
}  # fmt: skip


def check_fields(
    specs: Sequence[FieldSpec], data: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], dict[str, str]]:
    """Return (values, problems) of ``data`` checked field by field against ``specs``.

    A field left out (or blank, when optional) takes its empty value; problems are keyed by
    ``prefix`` + the field's name and the place inside it ("body[3]", "awards[0].year").
    """
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in specs:
        key = f"{prefix}{spec.name}"
        raw = data.get(spec.name)
        if raw is None or (isinstance(raw, str) and not raw.strip(" ") and not spec.required):
            if spec.required:
                problems[key] = f"Thiếu trường bắt buộc “{spec.label}”"
            values[spec.name] = spec.empty()
            continue
        try:
            value = spec.kind.check(spec, raw)
        except Invalid as exc:
            problems.update({f"{key}{suffix}": m for suffix, m in exc.problems.items()})
            value = None
        values[spec.name] = spec.empty() if value == "" else value  # blank lines only
    return values, problems
