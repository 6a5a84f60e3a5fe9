"""The render context of a prepared document: header, date line, signer, recipients, body.

``build_context`` applies the Decree-30 rules (``docgen.rules``) to a validated request;
every key every template uses is here, so a template never computes a rule itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.records.types import Organisation, RecipientList, Signer
from docgen.rendering.layout import HEADER_LEFT_MM, TEXT_WIDTH_MM, rule_indent
from docgen.rendering.schema import TemplateSpec
from docgen.rules.dates import date_line
from docgen.rules.doctypes import DocType
from docgen.rules.numbering import number_line
from docgen.rules.recipients import end_mark, kinh_gui, noi_nhan
from docgen.rules.signers import signer_block

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Prepared:
    """A validated request to render: everything but the number and the date."""

    spec: TemplateSpec
    doctype: DocType
    issuer: Organisation
    signer: Signer | None
    recipients: RecipientList | None
    fields: Mapping[str, Any]
    unit: str | None
    symbol: str  # "KH-UBND"; "" for documents that take no number (appendices)
    summary: str  # trích yếu
    title: str  # "KẾ HOẠCH"; "" for công văn

    @property
    def template(self) -> str:
        return self.spec.code

    @property
    def numbered(self) -> bool:
        return self.spec.numbered


def runs(text: str) -> list[dict[str, Any]]:
    """Return the runs of a body text: ``**bold**`` segments bold, the rest plain."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos : m.start()], "bold": False})
        out.append({"text": m.group(1), "bold": True})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:], "bold": False})
    return out


def body_blocks(blocks: Sequence[Mapping[str, str]], *, last: bool) -> list[dict[str, Any]]:
    """Return body blocks ready for the template; ``last`` adds the end mark ``./.``."""
    items = [dict(b) for b in blocks]
    if last and items:
        items[-1]["text"] = end_mark(items[-1]["text"])
    for item in items:
        item["runs"] = runs(item["text"])
        item["plain"] = _BOLD.sub(r"\1", item["text"])
    return items


def basis_lines(lines: Sequence[str]) -> list[str]:
    """Return căn cứ lines punctuated: ``;`` after each, ``.`` after the last."""
    cleaned = [line.rstrip(" ;.") for line in lines]
    return [f"{line};" for line in cleaned[:-1]] + [f"{line}." for line in cleaned[-1:]]


def recipient_names(the_list: RecipientList | None) -> tuple[str, ...]:
    if the_list is None:
        return ()
    return tuple(the_list.kinh_gui) + tuple(e.name for e in the_list.noi_nhan)


def _indexed(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "index": i} for i, row in enumerate(rows, start=1)]


def _profile(fields: Mapping[str, Any]) -> list[str]:
    """Return the "I. Sơ lược lý lịch" lines of a trích ngang, for a person or a collective."""

    def line(label: str, key: str) -> list[str]:
        value = fields.get(key)
        return [f"- {label}: {value}"] if value not in (None, "") else []

    if fields["kind"] == "ca-nhan":
        return (
            line("Họ và tên", "full_name")
            + line("Năm sinh", "birth_year")
            + line("Giới tính", "gender")
            + line("Quê quán", "hometown")
            + line("Đơn vị công tác", "unit")
            + line("Chức vụ", "position")
            + line("Trình độ chuyên môn, nghiệp vụ", "qualification")
        )
    return (
        line("Tên tập thể", "full_name")
        + line("Năm thành lập", "birth_year")
        + line("Địa chỉ trụ sở", "hometown")
        + line("Cơ quan chủ quản", "unit")
        + line("Người đứng đầu", "position")
        + line("Số thành viên", "qualification")
    )


def build_context(
    p: Prepared, *, number: int | None, issue_date: date | None, year: int | None
) -> dict[str, Any]:
    """Return the docxtpl context of a prepared document (every key every template uses)."""
    org, spec, values = p.issuer, p.spec, p.fields
    issuer_lines = list(org.header_lines)
    header = {
        "parent_lines": list(org.header_parent_lines),
        "issuer_lines": issuer_lines,
        "issuer_rule": rule_indent(max(issuer_lines, key=len, default=""), 13, HEADER_LEFT_MM),
        "number_line": number_line(number, p.symbol) if spec.numbered else "",
        "date_line": date_line(org.place or "", issue_date, year=year),
    }
    signer = signer_block(p.signer) if p.signer else None
    the_list = p.recipients
    gui = kinh_gui(the_list.kinh_gui) if spec.recipients == "kinh-gui" and the_list else None
    if the_list is not None and spec.recipients != "none":
        archive = the_list.archive or ((p.unit,) if p.unit else ())
        noi = list(
            noi_nhan(
                the_list.noi_nhan,
                nhu_tren=gui is not None,
                archive=archive,
                archive_copies=the_list.archive_copies,
            )
        )
    else:
        noi = []
    conclusion = values.get("conclusion") or []
    summary = p.summary
    context: dict[str, Any] = {
        "header": header,
        "title": p.title,
        "summary": summary,
        "summary_rule": rule_indent(summary or p.title, 14, TEXT_WIDTH_MM, inside_cell=False),
        "kinh_gui": {"inline": gui.inline, "lines": list(gui.items)} if gui else None,
        "basis": basis_lines(values.get("basis") or []),
        "body": body_blocks(values.get("body") or [], last=not conclusion),
        "conclusion": body_blocks(conclusion, last=True),
        "signer": {"lines": list(signer.lines), "name": signer.name}
        if signer
        else {"lines": [], "name": ""},
        "noi_nhan": noi,
        "fields": values,
    }
    if spec.code == "danh-sach":
        number_text = values.get("appendix_number")
        context["appendix_line"] = f"Phụ lục {number_text}" if number_text else "Phụ lục"
        context["summary"] = summary.upper()
        context["rows"] = [
            {
                **row,
                "kind_label": "Tập thể" if row["kind"] == "tap-the" else "Cá nhân",
                "position_unit": ", ".join(x for x in (row.get("position"), row["unit"]) if x),
                "field": row.get("field") or "",
                "note": row.get("note") or "",
            }
            for row in _indexed(values["rows"])
        ]
    if "figures" in values:
        context["figures"] = [
            {**row, "note": row.get("note") or ""} for row in _indexed(values["figures"] or [])
        ]
    if spec.code == "trich-ngang":
        context["profile"] = _profile(values)
        context["achievements"] = [f"- {a}" for a in values["achievements"]]
        context["awards"] = [
            {**row, "decision": row.get("decision") or ""} for row in values.get("awards") or []
        ]
        context["no_awards"] = ["- Chưa có."]
    return context
