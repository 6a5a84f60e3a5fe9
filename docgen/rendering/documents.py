"""Template + recorded data → a Decree-30 document: validate first (``prepare``), then render.

``prepare`` checks everything that can be checked before a number exists, so that an
issuance that is going to fail fails before it takes a number; ``render`` builds the
context (``docgen.rendering.context``) and hands it to the docxtpl engine.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from docgen.domain import RecordLookup
from docgen.errors import FieldError, RenderError, RuleError
from docgen.rendering.context import Prepared, build_context, recipient_names
from docgen.rendering.engine import DocxEngine, make_environment
from docgen.rendering.schema import TemplateRegistry, validate_fields
from docgen.rules.dates import date_line, date_phrase, short_date
from docgen.rules.doctypes import get_doctype
from docgen.rules.numbering import format_number, make_symbol, number_line
from docgen.rules.recipients import copies_label, end_mark

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
            recipients=recipient_names(prepared.recipients),
        )

    def render_raw(self, template: str, context: Mapping[str, Any]) -> bytes:
        """Return a DOCX from ``template`` with a caller-built context (register book)."""
        return self.engine.render(self.templates.get(template).path, context).docx
