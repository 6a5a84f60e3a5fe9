"""Template field schemas (``templates/<code>.yaml``) and validation of form data against them.

The schema drives validation now and the web form later: each field has a name, a Vietnamese
label, a type, whether it is required, limits and a help text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import FieldError, RecordsError, TemplateNotFound

FIELD_TYPES = frozenset(
    {"text", "textarea", "int", "date", "choice", "bool", "list", "blocks", "table"}
)
BLOCK_KINDS = ("section", "heading", "subheading", "para", "dash", "plus", "basis")
LAYOUTS = frozenset({"document", "appendix", "attachment", "register"})
RECIPIENT_MODES = frozenset({"noi-nhan", "kinh-gui", "none"})
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str = "text"
    required: bool = False
    help: str = ""
    max_length: int | None = None
    max_items: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    columns: tuple[FieldSpec, ...] = ()  # for type "table": the fields of one row

    def empty(self) -> Any:
        """Return the value an optional field takes when the form leaves it out."""
        if self.type in {"list", "blocks", "table"}:
            return []
        if self.type == "bool":
            return False
        return None


@dataclass(frozen=True)
class TemplateSpec:
    """A DOCX template and what it needs: its document type, layout and fields."""

    code: str
    name: str
    doctype: str
    path: Path
    layout: str = "document"
    numbered: bool = True
    signed: bool = True
    recipients: str = "noi-nhan"
    orientation: str = "portrait"
    summary_field: str | None = "summary"
    description: str = ""
    fields: tuple[FieldSpec, ...] = field(default=())

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


def _field_from(raw: Mapping[str, Any], where: str) -> FieldSpec:
    known = {f for f in FieldSpec.__dataclass_fields__}
    unknown = set(raw) - known
    if unknown:
        raise ValueError(f"{where}: khóa không hợp lệ {sorted(unknown)}")
    kwargs = dict(raw)
    if kwargs.get("type", "text") not in FIELD_TYPES:
        raise ValueError(f"{where}: kiểu trường không hợp lệ “{kwargs.get('type')}”")
    kwargs["choices"] = tuple(kwargs.get("choices", ()))
    kwargs["columns"] = tuple(
        _field_from(c, f"{where}.columns[{i}]") for i, c in enumerate(kwargs.get("columns", ()))
    )
    return FieldSpec(**kwargs)


def load_spec(path: Path) -> TemplateSpec:
    """Return the template spec read from a schema file; the DOCX lies beside it."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    code = raw["code"]
    try:
        fields = tuple(_field_from(f, f"fields[{i}]") for i, f in enumerate(raw.get("fields", ())))
    except ValueError as exc:
        raise RecordsError([f"{path.name}: {exc}"]) from None
    spec = TemplateSpec(
        code=code,
        name=raw["name"],
        doctype=raw["doctype"],
        path=path.with_name(f"{code}.docx"),
        layout=raw.get("layout", "document"),
        numbered=raw.get("numbered", True),
        signed=raw.get("signed", True),
        recipients=raw.get("recipients", "noi-nhan"),
        orientation=raw.get("orientation", "portrait"),
        summary_field=raw.get("summary_field", "summary"),
        description=raw.get("description", ""),
        fields=fields,
    )
    if spec.layout not in LAYOUTS or spec.recipients not in RECIPIENT_MODES:
        raise RecordsError([f"{path.name}: layout/recipients không hợp lệ"])
    return spec


class TemplateRegistry:
    """The templates in one folder, by code. Specs are read once; the folder is the truth."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._specs: dict[str, TemplateSpec] = {}
        for schema in sorted(self.folder.glob("*.yaml")):
            spec = load_spec(schema)
            self._specs[spec.code] = spec

    def get(self, code: str) -> TemplateSpec:
        """Return the spec of template ``code`` or raise ``TemplateNotFound``."""
        try:
            return self._specs[code]
        except KeyError:
            known = ", ".join(self._specs)
            raise TemplateNotFound(
                f"Không có mẫu văn bản “{code}”. Các mẫu hiện có: {known}.", template=code
            ) from None

    def __iter__(self):
        return iter(self._specs.values())

    def codes(self) -> list[str]:
        return list(self._specs)


# --- validation -------------------------------------------------------------------------------


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        m = _DMY.match(text)
        if m:
            day, month, year = (int(g) for g in m.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    raise ValueError


def _check_value(spec: FieldSpec, value: Any, errors: dict[str, str], key: str) -> Any:
    """Return the normalised value, or record a Vietnamese error under ``key``."""
    label = spec.label
    if spec.type in {"text", "textarea", "choice"}:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            errors[key] = f"“{label}” phải là chuỗi ký tự"
            return None
        text = str(value).strip()
        if spec.required and not text:
            errors[key] = f"“{label}” không được để trống"
            return None
        if spec.max_length is not None and len(text) > spec.max_length:
            errors[key] = f"“{label}” dài {len(text)} ký tự, tối đa {spec.max_length}"
            return None
        if spec.type == "text" and "\n" in text:
            errors[key] = f"“{label}” chỉ được một dòng"
            return None
        if spec.type == "choice" and text not in spec.choices:
            errors[key] = f"“{label}” phải là một trong: {', '.join(spec.choices)}"
            return None
        return text
    if spec.type == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors[key] = f"“{label}” phải là số nguyên"
            return None
        try:
            number = int(value)
        except ValueError:
            errors[key] = f"“{label}” phải là số nguyên"
            return None
        if spec.minimum is not None and number < spec.minimum:
            errors[key] = f"“{label}” phải ≥ {spec.minimum}"
            return None
        if spec.maximum is not None and number > spec.maximum:
            errors[key] = f"“{label}” phải ≤ {spec.maximum}"
            return None
        return number
    if spec.type == "date":
        try:
            return _as_date(value)
        except (ValueError, TypeError):
            errors[key] = f"“{label}” không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)"
            return None
    if spec.type == "bool":
        if not isinstance(value, bool):
            errors[key] = f"“{label}” phải là đúng/sai"
            return None
        return value
    return _check_sequence(spec, value, errors, key)


def _check_sequence(spec: FieldSpec, value: Any, errors: dict[str, str], key: str) -> Any:
    label = spec.label
    if not isinstance(value, Sequence) or isinstance(value, str):
        errors[key] = f"“{label}” phải là một danh sách"
        return None
    if spec.required and not value:
        errors[key] = f"“{label}” phải có ít nhất một mục"
        return None
    if spec.max_items is not None and len(value) > spec.max_items:
        errors[key] = f"“{label}” có {len(value)} mục, tối đa {spec.max_items}"
        return None
    items: list[Any] = []
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if spec.type == "list":
            text_spec = FieldSpec(spec.name, label, "text", True, max_length=spec.max_length)
            items.append(_check_value(text_spec, item, errors, where))
        elif spec.type == "blocks":
            items.append(_check_block(spec, item, errors, where))
        else:
            items.append(_check_row(spec, item, errors, where))
    return items


def _check_block(spec: FieldSpec, item: Any, errors: dict[str, str], where: str) -> Any:
    if not isinstance(item, Mapping) or set(item) - {"kind", "text"}:
        errors[where] = f"“{spec.label}”: mỗi đoạn gồm “kind” và “text”"
        return None
    kind = item.get("kind", "para")
    if kind not in BLOCK_KINDS:
        errors[where] = (
            f"“{spec.label}”: loại đoạn “{kind}” không hợp lệ ({', '.join(BLOCK_KINDS)})"
        )
        return None
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        errors[where] = f"“{spec.label}”: đoạn văn bản trống"
        return None
    if spec.max_length is not None and len(text) > spec.max_length:
        errors[where] = f"“{spec.label}”: đoạn dài {len(text)} ký tự, tối đa {spec.max_length}"
        return None
    return {"kind": kind, "text": text.strip()}


def _check_row(spec: FieldSpec, item: Any, errors: dict[str, str], where: str) -> Any:
    if not isinstance(item, Mapping):
        errors[where] = f"“{spec.label}”: mỗi dòng phải là một bảng giá trị"
        return None
    unknown = set(item) - {c.name for c in spec.columns}
    if unknown:
        errors[where] = f"“{spec.label}”: cột không hợp lệ {', '.join(sorted(unknown))}"
        return None
    return _check_mapping(spec.columns, item, errors, prefix=f"{where}.")


def _check_mapping(
    specs: Sequence[FieldSpec], data: Mapping[str, Any], errors: dict[str, str], prefix: str = ""
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for spec in specs:
        key = f"{prefix}{spec.name}"
        value = data.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip() and not spec.required):
            if spec.required:
                errors[key] = f"Thiếu trường bắt buộc “{spec.label}”"
            result[spec.name] = spec.empty()
            continue
        result[spec.name] = _check_value(spec, value, errors, key)
    return result


def validate_fields(spec: TemplateSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the form data normalised against the template's schema.

    Raises ``FieldError`` listing every problem (unknown, missing, malformed or too long
    fields) so a clerk sees them all at once.
    """
    if not isinstance(data, Mapping):
        raise FieldError({"fields": "Dữ liệu của mẫu phải là một bảng giá trị (JSON object)"})
    errors: dict[str, str] = {}
    unknown = set(data) - {f.name for f in spec.fields}
    for name in sorted(unknown):
        errors[name] = f"Mẫu “{spec.code}” không có trường này"
    result = _check_mapping(spec.fields, data, errors)
    if errors:
        raise FieldError(errors)
    return result
