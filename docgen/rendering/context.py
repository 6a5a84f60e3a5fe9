"""The render context of a prepared document: header, date line, signer, recipients, body.

``build_context`` applies the Decree-30 rules (``docgen.rules``) to a validated request;
every key the templates share is here, and the keys of one template come from its module in
``docgen.rendering.per_template``, so a template never computes a rule itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.domain import Organisation, RecipientList, Signer
from docgen.rendering.layout import HEADER_LEFT_MM, TEXT_WIDTH_MM, rule_indent
from docgen.rendering.per_template import EXTRA_CONTEXT
from docgen.rendering.schema import RecipientMode, TemplateSpec
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
    """Return every recipient a list names: Kính gửi first, then Nơi nhận."""
    if the_list is None:
        return ()
    return tuple(the_list.kinh_gui) + tuple(e.name for e in the_list.noi_nhan)


def _indexed(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "index": i} for i, row in enumerate(rows, start=1)]


def build_context(
    p: Prepared, *, number: int | None, issue_date: date | None, year: int | None
) -> dict[str, Any]:
    """Return the docxtpl context of a prepared document: the shared keys and its template's."""
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
    by_name = spec.recipients is RecipientMode.KINH_GUI
    gui = kinh_gui(the_list.kinh_gui) if by_name and the_list else None
    if the_list is not None and spec.recipients is not RecipientMode.NONE:
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
    if "figures" in values:
        context["figures"] = [
            {**row, "note": row.get("note") or ""} for row in _indexed(values["figures"] or [])
        ]
    extra = EXTRA_CONTEXT.get(spec.code)
    if extra is not None:
        context.update(extra(values, summary))
    return context
