"""Trích ngang thành tích (``templates/trich-ngang.yaml``): the profile lines and their labels."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.rules.recipients import end_mark

# "I. Sơ lược lý lịch": the label each field prints under, for a person and for a collective
# (the schema's fields serve both; ``kind`` chooses). A field left empty prints no line.
PROFILE_LABELS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "ca-nhan": (
        ("full_name", "Họ và tên"),
        ("birth_year", "Năm sinh"),
        ("gender", "Giới tính"),
        ("hometown", "Quê quán"),
        ("unit", "Đơn vị công tác"),
        ("position", "Chức vụ"),
        ("qualification", "Trình độ chuyên môn, nghiệp vụ"),
    ),
    "tap-the": (
        ("full_name", "Tên tập thể"),
        ("birth_year", "Năm thành lập"),
        ("hometown", "Địa chỉ trụ sở"),
        ("unit", "Cơ quan chủ quản"),
        ("position", "Người đứng đầu"),
        ("qualification", "Số thành viên"),
    ),
}
NO_AWARDS = "- Chưa có."  # printed when the nominee has no earlier award


def profile(fields: Mapping[str, Any]) -> list[str]:
    """Return the "I. Sơ lược lý lịch" lines of a trích ngang, for a person or a collective."""
    return [
        f"- {label}: {fields[key]}"
        for key, label in PROFILE_LABELS[fields["kind"]]
        if fields.get(key) not in (None, "")
    ]


def context(fields: Mapping[str, Any], summary: str) -> dict[str, Any]:
    """Return the keys only the trích ngang template uses."""
    return {
        "profile": profile(fields),
        "achievements": [f"- {a}" for a in fields["achievements"]],
        "awards": [
            {**row, "decision": row.get("decision") or ""} for row in fields.get("awards") or []
        ],
        "no_awards": [end_mark(NO_AWARDS)],  # the last line of the content: "- Chưa có./."
    }
