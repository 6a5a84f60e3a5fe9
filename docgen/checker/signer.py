"""Checks of the closing block: signer (ô 7a, 7b) and Nơi nhận (ô 9b)."""

from __future__ import annotations

import re

from docgen.checker.docx_read import visible
from docgen.checker.elements import check_size, check_style
from docgen.checker.model import Report, sizes_text
from docgen.checker.structure import AUTHORITY, Structure, is_upper
from docgen.domain import Signer
from docgen.errors import RuleError
from docgen.rules.signers import signer_block
from docgen.rules.text import fold

PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
ARCHIVE_LINE = re.compile(r"^- Lưu: VT(, .+)?\.$")
_BAD_PREFIX = re.compile(r"^(T/M|K/T|T/L|T/UQ)\b", re.IGNORECASE)


def check_signer(s: Structure, report: Report) -> None:
    """Check the authority and title lines and the signer's name."""
    where = "bảng chữ ký" if s.signer_in_table else "khối chữ ký"
    if not s.signer_lines and s.signer_name is None:
        if not s.appendix:
            report.error(
                "PL1.II.7.signer",
                "cuối văn bản",
                "Không tìm thấy quyền hạn, chức vụ, họ tên người ký",
            )
        return
    if not s.signer_lines:
        report.error(
            "PL1.II.7.authority",
            where,
            "Thiếu dòng quyền hạn, chức vụ người ký (chữ in hoa, đậm) phía trên họ tên",
        )
    for line in s.signer_lines:
        if (problem := _authority_problem(" ".join(line.text.split()))) is not None:
            report.error("PL1.II.7.authority", where, problem)
    spans = tuple(sp for line in s.signer_lines for sp in line.spans)
    what = "Quyền hạn, chức vụ người ký"
    check_style(
        report,
        "PL1.II.7.authority-style",
        where,
        spans,
        what,
        bold=True,
        italic=False,
        required="chữ in hoa, đứng, đậm",
    )
    check_size(report, "PL1.II.7.authority-size", where, spans, what, 13, 14)
    name = s.signer_name
    if name is None:
        report.error("PL1.II.7.name", where, "Không tìm thấy họ tên người ký dưới chức vụ")
        return
    where_name = f"{where}, họ tên người ký"
    check_style(
        report,
        "PL1.II.7.name-style",
        where_name,
        name.spans,
        "Họ tên người ký",
        bold=True,
        italic=False,
        required="chữ in thường, đứng, đậm",
    )
    check_size(report, "PL1.II.7.name-size", where_name, name.spans, "Họ tên người ký", 13, 14)
    try:
        signer_block(Signer(code="-", name=name.text, organisation="", title="CHỨC VỤ"))
    except RuleError as exc:
        report.error("PL1.II.7.name", where_name, exc.message)


def _authority_problem(text: str) -> str | None:
    """Return what is wrong with an authority or title line, None if it is right."""
    if _BAD_PREFIX.match(text):
        return f"“{text}”: quyền hạn viết tắt phải là “TM.”, “KT.”, “TL.”, “TUQ.” hoặc “Q.”"
    if (match := AUTHORITY.match(text)) is not None:
        prefix, title = text[: match.end()], text[match.end() :]
        if prefix not in PREFIXES:
            return (
                f"“{text}”: quyền hạn viết “{prefix}”; quy định “TM.”, “KT.”, “TL.”, “TUQ.” "
                "hoặc “Q.” (chữ in hoa, có dấu chấm)"
            )
        if not title.startswith(" ") or not title.strip() or not is_upper(title):
            return (
                f"“{text}”: sau “{prefix}” phải là tên tập thể hoặc chức vụ viết in hoa, "
                "cách một khoảng trắng"
            )
    if not is_upper(text):
        return f"Quyền hạn, chức vụ “{text}” không viết in hoa; quy định chữ in hoa"
    return None


def check_noi_nhan(s: Structure, report: Report) -> None:
    """Check "Nơi nhận:" and its list: sizes, "- Như trên;" first, "- Lưu: VT, …." last."""
    where = "Nơi nhận"
    if s.noi_nhan is None:
        if not s.appendix:
            report.error("PL1.II.9b.noi-nhan", "cuối văn bản", "Không tìm thấy phần “Nơi nhận:”")
        return
    text = " ".join(s.noi_nhan.text.split())
    if text != "Nơi nhận:":
        report.error(
            "PL1.II.9b.noi-nhan",
            where,
            f"Viết “{text}”; quy định “Nơi nhận:” (chữ "
            "in thường, sau có dấu hai chấm, trên một dòng riêng)",
        )
    check_style(
        report,
        "PL1.II.9b.noi-nhan-style",
        where,
        s.noi_nhan.spans,
        "Chữ “Nơi nhận:”",
        bold=True,
        italic=True,
        required="chữ in thường, nghiêng, đậm",
    )
    check_size(
        report, "PL1.II.9b.noi-nhan-size", where, s.noi_nhan.spans, "Chữ “Nơi nhận:”", 12, 12
    )
    items = s.noi_nhan_items
    if not items:
        report.error(
            "PL1.II.9b.noi-nhan-list",
            where,
            "Nơi nhận chưa liệt kê cơ quan, tổ chức, cá nhân nhận văn bản",
        )
        return
    spans = tuple(sp for pc in items for sp in visible(pc.spans))
    bad = [sp.size for sp in spans if abs(sp.size - 11) > 0.05]
    if bad:
        report.error(
            "PL1.II.9b.noi-nhan-list-size",
            where,
            f"Danh sách nơi nhận cỡ chữ {sizes_text(bad)}; quy định 11 pt",
        )
    check_style(
        report,
        "PL1.II.9b.noi-nhan-list-style",
        where,
        spans,
        "Danh sách nơi nhận",
        bold=False,
        italic=False,
        required="chữ in thường, đứng",
    )
    lines = [" ".join(pc.text.split()) for pc in items]
    if not ARCHIVE_LINE.match(lines[-1]):
        archive = next((t for t in lines if fold(t).lstrip("- ").startswith("luu")), None)
        if archive is None:
            report.error(
                "PL1.II.9b.luu",
                where,
                "Thiếu dòng lưu cuối Nơi nhận; quy định dòng "
                "cuối “- Lưu: VT, <viết tắt đơn vị soạn thảo> <số bản lưu>.”",
            )
        else:
            report.error(
                "PL1.II.9b.luu",
                where,
                f"Dòng lưu “{archive}” không đúng; quy định dòng "
                "cuối “- Lưu: VT, <viết tắt đơn vị soạn thảo> <số bản lưu>.”",
            )
    if s.kinh_gui is not None and lines[0] != "- Như trên;":
        report.error(
            "PL1.II.9b.nhu-tren",
            where,
            f"Dòng đầu Nơi nhận là “{lines[0]}”; văn bản có "
            "phần “Kính gửi” thì dòng đầu Nơi nhận là “- Như trên;”",
        )
    bad_items = [t for t in lines[:-1] if not (t.startswith("- ") and t.endswith(";"))]
    if bad_items:
        report.error(
            "PL1.II.9b.noi-nhan-item",
            where,
            f"Dòng “{bad_items[0]}”"
            + (f" và {len(bad_items) - 1} dòng khác" if len(bad_items) > 1 else "")
            + ": mỗi nơi nhận một dòng, đầu dòng “- ”, cuối dòng có dấu “;”",
        )
