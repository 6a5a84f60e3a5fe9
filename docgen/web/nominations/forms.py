"""The forms of the nominations desk: the trích ngang of one nominee, uploads, confirmations."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from docgen.rules.nominations import CLASSES, COLLECTIVE, GENDER_LABELS, INDIVIDUAL, KIND_LABELS
from docgen.web.forms import Form, strip

CLASS_CHOICES = [
    SelectChoice("", "— Chọn phân loại —"),
    *(SelectChoice(c, f"Cá nhân: {c}") for c in CLASSES[INDIVIDUAL]),
    *(SelectChoice(c, f"Tập thể: {c}") for c in CLASSES[COLLECTIVE]),
]


class NomineeForm(Form):
    """Every trích ngang column (rules/nominations.FIELDS); the service checks the values."""

    kind = SelectField(
        "Tập thể hay cá nhân",
        choices=[SelectChoice("", "— Chọn —"), *(SelectChoice(v, v) for v in KIND_LABELS.values())],
        validate_choice=False,
    )
    name = StringField("Tên tập thể hoặc họ và tên", filters=[strip])
    birth_year = StringField("Năm sinh (cá nhân)", filters=[strip])
    gender = SelectField(
        "Giới tính (cá nhân)",
        choices=[
            SelectChoice("", "— Không ghi (tập thể) —"),
            *(SelectChoice(v, v) for v in GENDER_LABELS.values()),
        ],
        validate_choice=False,
    )
    position = TextAreaField("Chức vụ, đơn vị công tác hoặc nơi cư trú", filters=[strip])
    field = StringField("Lĩnh vực", filters=[strip])
    classification = SelectField(
        "Phân loại đối tượng", choices=CLASS_CHOICES, validate_choice=False
    )
    achievements = TextAreaField("Tóm tắt thành tích (có số liệu)", filters=[strip])
    previous_awards = TextAreaField("Hình thức khen thưởng đã nhận", filters=[strip])

    def values(self) -> dict[str, Any]:
        """Return the posted values by trích ngang key, as the service takes them."""
        keys = ("kind", "name", "birth_year", "gender", "position", "field", "classification",
                "achievements", "previous_awards")  # fmt: skip
        return {key: getattr(self, key).data or "" for key in keys}


class UploadForm(Form):
    file = FileField("Tệp")


class ConfirmForm(Form):
    """A POST that only needs its CSRF token (delete, recall, send)."""


class ImportConfirmForm(Form):
    digest = HiddenField()
