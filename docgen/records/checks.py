"""Rules and cross-references over built records: Decree-30 forms, codes and dangling links.

The rules themselves live in ``docgen.rules`` (signer blocks, recipient blocks, symbols, date
lines); a record is checked by asking them to build what it would print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from docgen.domain import (
    Campaign,
    DocumentRecord,
    Organisation,
    RecipientList,
    RegisterKind,
    RegisterSpec,
    Signer,
)
from docgen.errors import RuleError
from docgen.records.validate import Report, join

# Imported as modules, so names are looked up at call time.
from docgen.rendering import schema as template_schema
from docgen.rules import dates as date_rules
from docgen.rules import doctypes as doctype_rules
from docgen.rules import numbering as numbering_rules
from docgen.rules import recipients as recipient_rules
from docgen.rules import signers as signer_rules
from docgen.rules import text as text_rules

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IDENTIFIER_LENGTH = 13  # mã định danh điện tử of an agency


def _rule_message(call: Callable[[], Any]) -> str | None:
    """Return the Vietnamese message of the RuleError ``call`` raises, or None if it passes."""
    try:
        call()
    except RuleError as exc:
        return exc.message
    return None


@dataclass
class Checker:
    """Applies the rules to built records; ``known`` holds codes even of records that failed."""

    organisations: dict[str, Organisation]
    signers: dict[str, Signer]
    templates: frozenset[str] | None  # None: the template folder could not be read
    known: dict[str, set[str] | None]  # None: the kind's file could not be read

    def ref(self, kind: str, code: str | None, path: str, report: Report, what: str) -> bool:
        """Return whether ``code`` names a recorded ``kind``; report a dangling reference."""
        codes = self.known[kind]
        # An unreadable file is reported once; checking references into it would only echo that.
        if code is None or codes is None or code in codes:
            return True
        report(path, f"không có {what} mã “{code}” trong dữ liệu tham chiếu")
        return False

    def issuer(self, code: str, path: str, report: Report) -> None:
        """Report unless ``code`` names an organisation able to issue documents."""
        if not self.ref("organisations", code, path, report, "cơ quan, tổ chức"):
            return
        org = self.organisations.get(code)
        if org is not None and not org.can_issue:
            report(
                path,
                f"“{code}” chưa đủ thông tin để ban hành văn bản (symbol, place, header_lines)",
            )

    def organisation(self, org: Organisation, path: str, report: Report) -> None:
        """Report an organisation's problems: header lines, what issuing needs, units, parent."""
        for key in ("header_parent_lines", "header_lines"):
            for i, line in enumerate(getattr(org, key)):
                if line != text_rules.upper_vi(line):
                    report(join(join(path, key), i), f"tên cơ quan viết in hoa: “{line}”")
        issuing = (org.symbol, org.place, org.header_lines or None)
        if any(issuing) and not all(issuing):
            missing = [
                k
                for k, v in zip(("symbol", "place", "header_lines"), issuing, strict=True)
                if not v
            ]
            report(
                path,
                "cơ quan ban hành văn bản cần đủ symbol, place, header_lines "
                f"(thiếu {', '.join(missing)})",
            )
        if org.header_parent_lines and not org.header_lines:
            report(
                join(path, "header_parent_lines"),
                "có tên cơ quan chủ quản nhưng thiếu header_lines",
            )
        if org.symbol and (msg := _rule_message(lambda: _symbol(org.symbol))):
            report(join(path, "symbol"), msg)
        if org.place and (
            msg := _rule_message(lambda: date_rules.date_line(org.place, None, year=2000))
        ):
            report(join(path, "place"), msg)
        if org.identifier is not None and len(org.identifier) != IDENTIFIER_LENGTH:
            report(
                join(path, "identifier"),
                f"mã định danh phải có đúng {IDENTIFIER_LENGTH} ký tự, "
                f"không phải {len(org.identifier)}",
            )
        seen: set[str] = set()
        for i, unit in enumerate(org.units):
            where = join(join(path, "units"), i)
            if unit.code in seen:
                report(join(where, "code"), f"mã đơn vị “{unit.code}” bị lặp")
            seen.add(unit.code)
            if msg := _rule_message(lambda u=unit: _unit_symbol(u.code)):
                report(join(where, "code"), msg)
        if org.parent is not None and self.ref(
            "organisations", org.parent, join(path, "parent"), report, "cơ quan cấp trên"
        ):
            self._cycle(org, join(path, "parent"), report)

    def _cycle(self, org: Organisation, path: str, report: Report) -> None:
        seen = {org.code}
        parent = org.parent
        while parent is not None and parent in self.organisations:
            if parent in seen:
                report(path, f"quan hệ cấp trên bị vòng lặp qua “{parent}”")
                return
            seen.add(parent)
            parent = self.organisations[parent].parent

    def signer(self, signer: Signer, path: str, report: Report) -> None:
        """Report a signer whose name or authority form the signer-block rules refuse."""
        self.issuer(signer.organisation, join(path, "organisation"), report)
        alone = Signer(signer.code, signer.name, signer.organisation, title="CHỨC VỤ")
        if msg := _rule_message(lambda: signer_rules.signer_block(alone)):
            report(join(path, "name"), msg)
        elif msg := _rule_message(lambda: signer_rules.signer_block(signer)):
            report(path, msg)

    def register(
        self, register: RegisterSpec, path: str, report: Report, taken: dict[tuple[str, str], str]
    ) -> None:
        """Report a register's problems; ``taken`` maps (organisation, doctype) → register code."""
        self.issuer(register.organisation, join(path, "organisation"), report)
        where = join(path, "doctypes")
        if register.kind is RegisterKind.TYPES and not register.doctypes:
            report(where, "sổ riêng theo loại văn bản (types) phải liệt kê loại văn bản")
        for i, code in enumerate(register.doctypes):
            doctype = doctype_rules.DOCTYPES.get(code)
            if doctype is None:
                report(
                    join(where, i), f"không có loại văn bản “{code}” theo Nghị định 30/2020/NĐ-CP"
                )
            elif (doctype.kind is doctype_rules.DocKind.COPY) != (
                register.kind is RegisterKind.COPIES
            ):
                report(join(where, i), f"loại “{code}” không thuộc sổ loại {register.kind.value}")
            elif (
                owner := taken.setdefault((register.organisation, code), register.code)
            ) != register.code:
                report(join(where, i), f"loại “{code}” đã có sổ riêng “{owner}”")

    def recipient_list(self, rl: RecipientList, path: str, report: Report) -> None:
        """Report copy counts below 1, unknown bodies and blocks the recipient rules refuse."""
        ok = True
        for i, entry in enumerate(rl.noi_nhan):
            where = join(join(path, "noi_nhan"), i)
            if entry.copies is not None and entry.copies < 1:
                report(
                    join(where, "copies"), f"số bản phải từ 1 trở lên, không phải {entry.copies}"
                )
                ok = False
            self.ref(
                "organisations",
                entry.organisation,
                join(where, "organisation"),
                report,
                "cơ quan, tổ chức",
            )
        if rl.archive_copies is not None and rl.archive_copies < 1:
            report(
                join(path, "archive_copies"),
                f"số bản lưu phải từ 1 trở lên, không phải {rl.archive_copies}",
            )
            ok = False
        if rl.kinh_gui and (msg := _rule_message(lambda: recipient_rules.kinh_gui(rl.kinh_gui))):
            report(join(path, "kinh_gui"), msg)
        block = partial(
            recipient_rules.noi_nhan,
            rl.noi_nhan,
            nhu_tren=bool(rl.kinh_gui),
            archive=rl.archive,
            archive_copies=rl.archive_copies,
        )
        if ok and (msg := _rule_message(block)):
            report(join(path, "noi_nhan"), msg)

    def campaign(self, c: Campaign, path: str, report: Report) -> None:
        """Report a campaign's problems: references, deadlines, quotas, participants."""
        self.issuer(c.organiser, join(path, "organiser"), report)
        self.ref("documents", c.plan, join(path, "plan"), report, "văn bản")
        codes: set[str] = set()
        for i, deadline in enumerate(c.deadlines):
            where = join(join(path, "deadlines"), i)
            if deadline.code in codes:
                report(join(where, "code"), f"mã thời hạn “{deadline.code}” bị lặp")
            codes.add(deadline.code)
            if deadline.date.year not in (c.year, c.year + 1):
                report(
                    join(where, "date"),
                    f"thời hạn {deadline.date:%d/%m/%Y} không thuộc năm {c.year} (hoặc năm sau)",
                )
        quota_of: dict[Any, int] = {}
        for i, quota in enumerate(c.quotas):
            where = join(join(path, "quotas"), i)
            if quota.minimum < 1:
                report(
                    join(where, "minimum"),
                    f"chỉ tiêu phải từ 1 trở lên, không phải {quota.minimum}",
                )
            if not quota.kinds:
                report(join(where, "kinds"), "chỉ tiêu phải áp dụng cho ít nhất một loại cơ quan")
            for kind in quota.kinds:
                if kind in quota_of:
                    report(
                        join(where, "kinds"),
                        f"loại “{kind.value}” đã có chỉ tiêu ở quotas[{quota_of[kind]}]",
                    )
                quota_of.setdefault(kind, i)
        if not 0 <= c.selection_min <= c.selection_max:
            report(
                join(path, "selection_min"),
                f"cần 0 ≤ selection_min ≤ selection_max ({c.selection_min}, {c.selection_max})",
            )
        seen: set[str] = set()
        for i, code in enumerate(c.participants):
            where = join(join(path, "participants"), i)
            if code in seen:
                report(where, f"“{code}” bị liệt kê hai lần")
            seen.add(code)
            if not self.ref("organisations", code, where, report, "cơ quan, tổ chức"):
                continue
            org = self.organisations.get(code)
            if code == c.organiser:
                report(where, "đơn vị tổ chức không tự giới thiệu điển hình cho mình")
            elif org is not None and org.kind not in quota_of:
                report(where, f"“{code}” (loại {org.kind.value}) không thuộc chỉ tiêu nào")

    def document(self, doc: DocumentRecord, path: str, report: Report) -> None:
        """Report a document record's dangling references and malformed body blocks."""
        if self.templates is not None and doc.template not in self.templates:
            report(
                join(path, "template"),
                f"không có mẫu văn bản “{doc.template}” "
                f"(các mẫu: {', '.join(sorted(self.templates))})",
            )
        self.issuer(doc.issuer, join(path, "issuer"), report)
        issuer = self.organisations.get(doc.issuer)
        if self.ref("signers", doc.signer, join(path, "signer"), report, "người ký"):
            signer = self.signers.get(doc.signer or "")
            # Only against a recorded issuer: an unknown one is reported once, above.
            if signer is not None and issuer is not None and signer.organisation != doc.issuer:
                report(
                    join(path, "signer"),
                    f"người ký “{signer.code}” thuộc “{signer.organisation}”, "
                    f"không thuộc cơ quan ban hành “{doc.issuer}”",
                )
        self.ref(
            "recipient_lists",
            doc.recipients,
            join(path, "recipients"),
            report,
            "danh sách nơi nhận",
        )
        if doc.unit is not None and issuer is not None and issuer.unit(doc.unit) is None:
            report(join(path, "unit"), f"“{doc.issuer}” không có đơn vị soạn thảo “{doc.unit}”")
        if doc.issue_date is not None and doc.year not in (None, doc.issue_date.year):
            report(join(path, "year"), f"năm {doc.year} khác năm của issue_date")
        if doc.number is not None and doc.number < 1:
            report(join(path, "number"), f"số văn bản phải từ 1 trở lên, không phải {doc.number}")
        body = doc.fields.get("body")
        if "body" in doc.fields:
            self._body(body, join(join(path, "fields"), "body"), report)

    def _body(self, body: Any, path: str, report: Report) -> None:
        if not isinstance(body, Sequence) or isinstance(body, str):
            report(path, "phải là một danh sách đoạn {kind, text}")
            return
        kinds = template_schema.BLOCK_KINDS
        for i, block in enumerate(body):
            where = join(path, i)
            if not isinstance(block, Mapping):
                report(where, "mỗi đoạn phải là một bảng {kind, text}")
                continue
            for key in sorted(set(map(str, block)) - {"kind", "text"}):
                report(join(where, key), "khóa không hợp lệ (mỗi đoạn chỉ có kind và text)")
            kind, text = block.get("kind"), block.get("text")
            if kind not in kinds:
                report(
                    join(where, "kind"),
                    f"loại đoạn “{kind}” không hợp lệ (chọn một trong: {', '.join(kinds)})",
                )
            if not isinstance(text, str) or not text.strip():
                report(join(where, "text"), "đoạn văn bản trống")
            elif text.count("**") % 2:
                report(join(where, "text"), "dấu “**” đánh dấu chữ đậm không khép lại")


def _symbol(symbol: str) -> str:
    return numbering_rules.make_symbol(doctype_rules.DOCTYPES["ke-hoach"], symbol)


def _unit_symbol(unit: str) -> str:
    return numbering_rules.make_symbol(doctype_rules.DOCTYPES["cong-van"], "UBND", unit)
