"""Template + recorded data → a Decree-30 document: validate first (``prepare``), then render.

``prepare`` checks everything that can be checked before a number exists, so that an
issuance that is going to fail fails before it takes a number. ``render_prepared`` builds
the render context (header, date line, signer block, recipient blocks, body) with the
Decree-30 rules and hands it to the docxtpl engine.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from docgen.errors import FieldError, RenderError, RuleError
from docgen.records.types import Organisation, RecipientList, RecordLookup, Signer
from docgen.rendering.engine import DocxEngine, make_environment
from docgen.rendering.layout import HEADER_LEFT_MM, TEXT_WIDTH_MM, rule_indent
from docgen.rendering.schema import TemplateRegistry, TemplateSpec, validate_fields
from docgen.rules.dates import date_line, date_phrase, short_date
from docgen.rules.doctypes import DocType, get_doctype
from docgen.rules.numbering import format_number, make_symbol, number_line
from docgen.rules.recipients import copies_label, end_mark, kinh_gui, noi_nhan
from docgen.rules.signers import signer_block

_BOLD = re.compile(r"\*\*(.+?)\*\*")

# docgen's Jinja filters, for template authors: the Decree-30 rules, usable in any template.
FILTERS = {
    "date_phrase": date_phrase,  # {{ d|date_phrase }} → ngày 09 tháng 3 năm 2017
    "short_date": short_date,  # {{ d|short_date }} → 09/3/2017
    "date_line": lambda d, place, year=None: date_line(place, d, year=year),
    "number": format_number,  # {{ 5|number }} → 05
    "number_line": lambda n, symbol: number_line(n, symbol),
    "copies": copies_label,  # {{ 5|copies }} → (5b)
    "end_mark": end_mark,
}


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


@dataclass(frozen=True)
class Rendered:
    docx: bytes
    text: str
    number_line: str
    date_line: str
    signer_lines: tuple[str, ...]
    signer_name: str
    recipients: tuple[str, ...]  # names from Kính gửi and Nơi nhận
    page_count: int | None = None


@dataclass(frozen=True)
class Slotted:
    """A document rendered before its number exists, with a slot where the number goes.

    Decree 30 has the Văn thư write the number on a signed document; docgen does the same:
    everything is rendered (the slow part) before the register is locked, and under the
    lock ``fill`` only writes the number into the slot.
    """

    rendered: Rendered
    token: str

    def fill(self, number: int) -> Rendered:
        """Return the rendered document with ``number`` in its number line."""
        printed = format_number(number)
        docx = _replace_in_part(self.rendered.docx, "word/document.xml", self.token, printed)
        return replace(
            self.rendered,
            docx=docx,
            text=self.rendered.text.replace(self.token, printed),
            number_line=self.rendered.number_line.replace(self.token, printed),
        )


def _replace_in_part(docx: bytes, part: str, old: str, new: str) -> bytes:
    """Return ``docx`` with ``old`` replaced by ``new`` once in one XML part (others copied)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                text = data.decode("utf-8")
                if text.count(old) != 1:
                    raise RenderError("Không tìm thấy đúng một chỗ ghi số trong văn bản")
                data = text.replace(old, new).encode("utf-8")
            # level 1: this runs under the register's lock, where every millisecond counts
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


class DocumentRenderer:
    """Holds the template registry and the engine; one per app (thread-safe)."""

    def __init__(self, templates_dir: Path, engine: DocxEngine | None = None) -> None:
        self.templates = TemplateRegistry(templates_dir)
        self.engine = engine or DocxEngine(make_environment(FILTERS))

    def prepare(
        self,
        lookup: RecordLookup,
        template: str,
        *,
        issuer: str,
        signer: str | None,
        recipients: str | None,
        fields: Mapping[str, Any],
        unit: str | None = None,
    ) -> Prepared:
        """Return the validated request, or raise a DocgenError naming what is wrong."""
        spec = self.templates.get(template)
        org = lookup.organisation(issuer)
        problems: dict[str, str] = {}
        if not org.can_issue:
            problems["issuer"] = (
                f"“{org.name}” chưa có đủ tên cơ quan, chữ viết tắt và địa danh để ban hành văn bản"
            )
        the_signer = lookup.signer(signer) if signer else None
        if spec.signed and the_signer is None:
            problems["signer"] = "Mẫu này cần người ký"
        if the_signer is not None and the_signer.organisation != org.code:
            problems["signer"] = f"{the_signer.name} không thuộc {org.name}"
        the_list = lookup.recipient_list(recipients) if recipients else None
        if spec.recipients != "none" and the_list is None:
            problems["recipients"] = "Mẫu này cần danh sách nơi nhận"
        if spec.recipients == "kinh-gui" and the_list is not None and not the_list.kinh_gui:
            problems["recipients"] = f"Danh sách “{the_list.name}” không có phần “Kính gửi”"
        if unit is not None and org.units and org.unit(unit) is None:
            known = ", ".join(u.code for u in org.units)
            problems["unit"] = f"{org.name} không có đơn vị “{unit}” (có: {known})"
        try:
            values = validate_fields(spec, fields)
        except FieldError as exc:
            problems.update(exc.fields)
            values = {}
        if problems:
            raise FieldError(problems)
        doctype = get_doctype(spec.doctype)
        symbol = make_symbol(doctype, org.symbol or "", unit) if spec.numbered else ""
        summary = str(values.get(spec.summary_field) or "") if spec.summary_field else ""
        return Prepared(
            spec=spec,
            doctype=doctype,
            issuer=org,
            signer=the_signer,
            recipients=the_list,
            fields=values,
            unit=unit,
            symbol=symbol,
            summary=summary,
            title=doctype.title if spec.layout == "document" else "",
        )

    def render(
        self,
        prepared: Prepared,
        *,
        number: int | None,
        issue_date: date | None,
        year: int | None = None,
    ) -> Rendered:
        """Return the rendered document; ``number=None`` and ``issue_date=None`` make a draft."""
        if number is not None and not prepared.numbered:
            raise RuleError(f"Mẫu “{prepared.template}” không được cấp số")
        if issue_date is None and year is None:
            raise RuleError("Bản dự thảo cần năm ban hành để in dòng địa danh, ngày tháng")
        context = build_context(prepared, number=number, issue_date=issue_date, year=year)
        return self._render_context(prepared, context)

    def render_slotted(self, prepared: Prepared, *, issue_date: date) -> Slotted:
        """Return the document rendered for ``issue_date`` with a slot for its number."""
        if not prepared.numbered:
            raise RuleError(f"Mẫu “{prepared.template}” không được cấp số")
        token = f"DOCGENNUMBER{uuid.uuid4().hex}"
        context = build_context(prepared, number=None, issue_date=issue_date, year=None)
        context["header"]["number_line"] = f"Số: {token}/{prepared.symbol}"
        return Slotted(self._render_context(prepared, context), token)

    def _render_context(self, prepared: Prepared, context: dict[str, Any]) -> Rendered:
        out = self.engine.render(prepared.spec.path, context)
        return Rendered(
            docx=out.docx,
            text=out.text,
            number_line=context["header"]["number_line"],
            date_line=context["header"]["date_line"],
            signer_lines=tuple(context["signer"]["lines"]),
            signer_name=context["signer"]["name"],
            recipients=_recipient_names(prepared.recipients),
        )

    def render_raw(self, template: str, context: Mapping[str, Any]) -> bytes:
        """Return a DOCX from ``template`` with a caller-built context (register book)."""
        return self.engine.render(self.templates.get(template).path, context).docx


# --- context ----------------------------------------------------------------------------------


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


def _recipient_names(the_list: RecipientList | None) -> tuple[str, ...]:
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


# --- process-wide default ---------------------------------------------------------------------

_default: DocumentRenderer | None = None


def set_default_renderer(renderer: DocumentRenderer) -> None:
    """Make ``renderer`` the one ``prepare``/``render_prepared`` use (the app sets it once)."""
    global _default
    _default = renderer


def default_renderer() -> DocumentRenderer:
    """Return the process's renderer, creating it on the configured templates folder."""
    global _default
    if _default is None:
        from docgen.config import Settings

        _default = DocumentRenderer(Settings.from_env().templates_dir)
    return _default


def prepare(lookup: RecordLookup, template: str, **kwargs: Any) -> Prepared:
    """Return a validated request (see ``DocumentRenderer.prepare``)."""
    return default_renderer().prepare(lookup, template, **kwargs)


def render_slotted(prepared: Prepared, *, issue_date: date) -> Slotted:
    """Return the document rendered with a slot for its number (see ``Slotted``)."""
    return default_renderer().render_slotted(prepared, issue_date=issue_date)


def render_prepared(
    prepared: Prepared, *, number: int | None, issue_date: date | None, year: int | None = None
) -> Rendered:
    """Return the rendered document (see ``DocumentRenderer.render``)."""
    return default_renderer().render(prepared, number=number, issue_date=issue_date, year=year)
