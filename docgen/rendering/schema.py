"""Template schemas (``templates/<code>.yaml``): what each template is and which fields it takes.

Each field has a name, a Vietnamese label, a type from ``docgen.rendering.fields`` (which parses
and checks its values and names its widget), whether it is required, limits and a help text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import FieldError, RecordsError, TemplateNotFound
from docgen.rendering.fields import FIELD_TYPES, BlockKind, FieldSpec, FieldType, check_fields

BLOCK_KINDS = tuple(BlockKind)
# FieldSpec attributes that are limits: a schema may set only those its field's type uses.
_LIMITS = frozenset({"max_length", "max_items", "minimum", "maximum", "choices", "columns"})


class Layout(StrEnum):
    DOCUMENT = "document"  # a document with its own header, number and signer
    APPENDIX = "appendix"  # phụ lục of another document
    ATTACHMENT = "attachment"  # attached to another document (trích ngang)
    REGISTER = "register"  # a register book


class Orientation(StrEnum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"  # wide tables (danh sách, sổ đăng ký)


class RecipientMode(StrEnum):
    NOI_NHAN = "noi-nhan"  # Nơi nhận block only
    KINH_GUI = "kinh-gui"  # Kính gửi + Nơi nhận (công văn, tờ trình)
    NONE = "none"


@dataclass(frozen=True)
class TemplateSpec:
    """A DOCX template and what it needs: its document type, layout and fields."""

    code: str
    name: str
    doctype: str
    path: Path
    layout: Layout = Layout.DOCUMENT
    numbered: bool = True
    signed: bool = True
    recipients: RecipientMode = RecipientMode.NOI_NHAN
    orientation: Orientation = Orientation.PORTRAIT
    summary_field: str | None = "summary"
    description: str = ""
    example: str = ""  # a line such a document might say, shown when a clerk picks a template
    fields: tuple[FieldSpec, ...] = field(default=())

    def field(self, name: str) -> FieldSpec | None:
        """Return the field called ``name``, if the template has it."""
        return next((f for f in self.fields if f.name == name), None)


def _field_from(raw: Mapping[str, Any], where: str) -> FieldSpec:
    unknown = set(raw) - set(FieldSpec.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{where}: khóa không hợp lệ {sorted(unknown)}")
    kwargs = dict(raw)
    try:
        kwargs["type"] = FieldType(kwargs.get("type", FieldType.TEXT))
    except ValueError:
        raise ValueError(f"{where}: kiểu trường không hợp lệ “{kwargs.get('type')}”") from None
    misplaced = (set(kwargs) & _LIMITS) - FIELD_TYPES[kwargs["type"]].limits
    if misplaced:
        raise ValueError(f"{where}: kiểu “{kwargs['type']}” không dùng {sorted(misplaced)}")
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
    try:
        layout = Layout(raw.get("layout", Layout.DOCUMENT))
        recipients = RecipientMode(raw.get("recipients", RecipientMode.NOI_NHAN))
        orientation = Orientation(raw.get("orientation", Orientation.PORTRAIT))
    except ValueError:
        raise RecordsError([f"{path.name}: layout/recipients/orientation không hợp lệ"]) from None
    return TemplateSpec(
        code=code,
        name=raw["name"],
        doctype=raw["doctype"],
        path=path.with_name(f"{code}.docx"),
        layout=layout,
        numbered=raw.get("numbered", True),
        signed=raw.get("signed", True),
        recipients=recipients,
        orientation=orientation,
        summary_field=raw.get("summary_field", "summary"),
        description=raw.get("description", ""),
        example=str(raw.get("example") or ""),
        fields=fields,
    )


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

    def __iter__(self) -> Iterator[TemplateSpec]:
        return iter(self._specs.values())

    def codes(self) -> list[str]:
        """Return the template codes, in file-name order."""
        return list(self._specs)


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
    result, problems = check_fields(spec.fields, data)
    errors.update(problems)
    if errors:
        raise FieldError(errors)
    return result
