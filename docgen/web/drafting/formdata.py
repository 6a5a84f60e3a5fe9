"""The drafting form ↔ a draft's raw data, for any template schema.

Input names (one scheme for every schema, so a new schema field needs no page code):

- a one-value field ``summary``: ``f.summary``;
- an item of a list field ``basis``: ``f.basis-<row>``;
- a paragraph of a blocks field ``body``: ``f.body-<row>-kind`` and ``f.body-<row>-text``;
- a cell of a table field ``rows``: ``f.rows-<row>-<column>``.

``<row>`` is any token (the page numbers rows 0, 1, …; the script gives added rows fresh
tokens): rows are read in the order their inputs were posted, i.e. as the page shows them, so
moving a row in the page needs no renumbering. Blank rows (the spare row the page always
offers) are dropped; blank optional values are left out of the data, so the schema check
reports a missing required field as missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from docgen.rendering.fields import BlockKind, FieldSpec, FieldType, Widget

PREFIX = "f."
NEW_ROW = "__row__"  # the row token of the <template> rows the script clones
BLOCK_LABELS = {
    BlockKind.SECTION: "Mục (I., II., …)",
    BlockKind.HEADING: "Đề mục (1., 2., …)",
    BlockKind.SUBHEADING: "Tiểu mục (a), b), …)",
    BlockKind.PARA: "Đoạn văn",
    BlockKind.DASH: "Gạch đầu dòng (-)",
    BlockKind.PLUS: "Dấu cộng (+)",
    BlockKind.BASIS: "Căn cứ (in nghiêng)",
}
# How a select shows the coded choices the schemas use (others show as written).
CHOICE_LABELS = {"tap-the": "Tập thể", "ca-nhan": "Cá nhân"}
_TRUE = frozenset({"1", "on", "true", "yes"})
_INTEGER = re.compile(r"^\s*[+-]?\d{1,18}\s*$")
_PROBLEM_KEY = re.compile(r"^(?P<field>[^\[\]]+)(?:\[(?P<row>\d+)\](?:\.(?P<column>.+))?)?$")
_ROWS = (FieldType.LIST, FieldType.BLOCKS, FieldType.TABLE)
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


def input_name(field_name: str, *parts: object) -> str:
    """Return the form input name of a field, or of one row (and column) of it."""
    return PREFIX + "-".join([field_name, *(str(p) for p in parts)])


def input_id(name: str) -> str:
    """Return an HTML id for the input called ``name`` (ids hold no dots)."""
    return "in-" + name[len(PREFIX) :] if name.startswith(PREFIX) else name


# --- form → data ------------------------------------------------------------------------------


def data_from_form(specs: Sequence[FieldSpec], form: MultiDict) -> dict[str, Any]:
    """Return the raw data the posted ``form`` holds for the fields ``specs``."""
    data: dict[str, Any] = {}
    for spec in specs:
        if spec.type in _ROWS:
            data[spec.name] = _rows_from_form(spec, form)
            continue
        value = _scalar(spec, form.get(input_name(spec.name)))
        if value is not None:
            data[spec.name] = value
    return data


def _scalar(spec: FieldSpec, raw: str | None) -> Any:
    """Return the raw value of a one-value input; None when it is left blank."""
    if spec.type is FieldType.BOOL:
        return (raw or "").strip().lower() in _TRUE
    if raw is None or not raw.strip(" \r\n"):
        return None
    if spec.type is FieldType.INT and _INTEGER.match(raw):
        return int(raw)
    return raw  # as typed: the schema check says what is wrong with it


def _row_tokens(form: MultiDict, field_name: str) -> list[str]:
    """Return the row tokens of a repeatable field, in the order the page posted them."""
    start = input_name(field_name) + "-"
    tokens: list[str] = []
    for key in form:
        if key.startswith(start):
            token = key[len(start) :].split("-", 1)[0]
            if token and token != NEW_ROW and token not in tokens:
                tokens.append(token)
    return tokens


def _rows_from_form(spec: FieldSpec, form: MultiDict) -> list[Any]:
    rows: list[Any] = []
    for token in _row_tokens(form, spec.name):
        if spec.type is FieldType.LIST:
            item = form.get(input_name(spec.name, token)) or ""
            if item.strip(" \r\n"):
                rows.append(item)
        elif spec.type is FieldType.BLOCKS:
            # A paragraph is typed in a box that wraps: a line break inside it is the
            # typist's, not a new paragraph (those are rows), so it becomes one space.
            text = _LINE_BREAK.sub(" ", form.get(input_name(spec.name, token, "text")) or "")
            kind = form.get(input_name(spec.name, token, "kind")) or BlockKind.PARA.value
            if text.strip(" \r\n"):
                rows.append({"kind": kind, "text": text})
        else:
            row = {}
            for column in spec.columns:
                value = _scalar(column, form.get(input_name(spec.name, token, column.name)))
                if value is not None and value is not False:
                    row[column.name] = value
                elif column.type is FieldType.BOOL:
                    row[column.name] = False
            if any(v is not False for v in row.values()):
                rows.append(row)
    return rows


# --- data (+ problems) → what the page shows ---------------------------------------------------


@dataclass
class Cell:
    """One input of the form: its spec, name, id, shown value and message."""

    spec: FieldSpec
    name: str
    value: Any = ""
    error: str = ""

    @property
    def id(self) -> str:
        return input_id(self.name)


@dataclass
class Row:
    """One row of a repeatable field: its token and its inputs by column (or "item")."""

    token: str
    cells: dict[str, Cell]
    error: str = ""


@dataclass
class FieldView:
    """One schema field as the form shows it."""

    spec: FieldSpec
    cell: Cell  # the field's own input (one-value fields) or its anchor (repeatables)
    rows: list[Row] = field(default_factory=list)
    blank: Row | None = None  # the row the script clones (token NEW_ROW)

    @property
    def widget(self) -> Widget:
        return self.spec.kind.widget

    @property
    def limits(self) -> dict[str, Any]:
        return self.spec.kind.widget_limits(self.spec)

    @property
    def error(self) -> str:
        return self.cell.error

    @property
    def errors(self) -> list[tuple[str, str]]:
        """Return (input id, message) of every message of this field, row by row."""
        out = [(self.cell.id, self.cell.error)] if self.cell.error else []
        for row in self.rows:
            first = next(iter(row.cells.values()))
            if row.error:
                out.append((first.id, row.error))
            out.extend((c.id, c.error) for c in row.cells.values() if c.error)
        return out


def shown(spec: FieldSpec, value: Any) -> Any:
    """Return a value as its input shows it: text, or a bool for a checkbox."""
    if spec.type is FieldType.BOOL:
        return value is True
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def form_view(
    specs: Sequence[FieldSpec], data: Mapping[str, Any], problems: Mapping[str, str] | None = None
) -> tuple[list[FieldView], list[tuple[str, str]]]:
    """Return the form's fields for ``data`` and the messages no field shows (by key)."""
    by_field, stray = _split_problems(specs, problems or {})
    views = []
    for spec in specs:
        mine = by_field.get(spec.name, {})
        cell = Cell(spec, input_name(spec.name), error=mine.get((None, None), ""))
        raw = data.get(spec.name) if isinstance(data, Mapping) else None
        if spec.type not in _ROWS:
            cell.value = shown(spec, raw)
            views.append(FieldView(spec, cell))
            continue
        if spec.type in _ROWS and raw is not None and not isinstance(raw, list):
            raw = [raw]
        items = list(raw or [])
        rows = [_row(spec, str(i), item, mine) for i, item in enumerate(items)]
        rows.append(_row(spec, str(len(items)), None, {}))  # the spare row (works without JS)
        views.append(FieldView(spec, cell, rows, _row(spec, NEW_ROW, None, {})))
    return views, stray


def _row(spec: FieldSpec, token: str, item: Any, problems: Mapping) -> Row:
    index = int(token) if token.isdigit() else -1
    error = problems.get((index, None), "")
    if spec.type is FieldType.LIST:
        item_spec = FieldSpec(spec.name, spec.label, FieldType.TEXT, max_length=spec.max_length)
        cell = Cell(item_spec, input_name(spec.name, token), shown(item_spec, item), error)
        return Row(token, {"item": cell})
    if spec.type is FieldType.BLOCKS:
        block = item if isinstance(item, Mapping) else {"text": item}
        text_spec = FieldSpec(spec.name, spec.label, FieldType.TEXT, max_length=spec.max_length)
        kind_spec = FieldSpec(spec.name, spec.label, FieldType.CHOICE, choices=tuple(BlockKind))
        kind = block.get("kind") or BlockKind.PARA.value
        return Row(
            token,
            {
                "kind": Cell(
                    kind_spec, input_name(spec.name, token, "kind"), shown(kind_spec, kind)
                ),
                "text": Cell(
                    text_spec,
                    input_name(spec.name, token, "text"),
                    shown(text_spec, block.get("text")),
                    error,
                ),
            },
        )
    values = item if isinstance(item, Mapping) else {}
    cells = {
        c.name: Cell(
            c,
            input_name(spec.name, token, c.name),
            shown(c, values.get(c.name)),
            problems.get((index, c.name), ""),
        )
        for c in spec.columns
    }
    return Row(token, cells, error)


def _split_problems(
    specs: Sequence[FieldSpec], problems: Mapping[str, str]
) -> tuple[dict[str, dict[tuple[int | None, str | None], str]], list[tuple[str, str]]]:
    """Return problems by field then (row, column), and those that name no field of ``specs``."""
    names = {spec.name for spec in specs}
    by_field: dict[str, dict[tuple[int | None, str | None], str]] = {}
    stray: list[tuple[str, str]] = []
    for key, message in problems.items():
        match = _PROBLEM_KEY.match(key)
        if match is None or match["field"] not in names:
            stray.append((key, message))
            continue
        row = int(match["row"]) if match["row"] is not None else None
        place = by_field.setdefault(match["field"], {})
        where = (row, match["column"])
        place[where] = f"{place[where]} {message}" if where in place else message
    return by_field, stray
