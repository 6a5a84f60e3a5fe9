"""Document numbers and symbols (số, ký hiệu): format, build and parse "Số: 05/KH-UBND"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.errors import RuleError
from docgen.rules.doctypes import DocKind, DocType, doctype_by_abbreviation
from docgen.rules.text import nfc

DRAFT_BLANK = " " * 6  # the space left for the number on a draft, filled in by the Văn thư

_PREFIX = re.compile(r"^Số:\s*")
# A draft leaves the number blank, or dotted as in the Decree's templates ("Số: …/KH-UBND").
_DRAFT_NUMBER = re.compile(r"^[\s.…]*$")


def format_number(n: int) -> str:
    """Return the printed number: "01"…"09" with a leading zero, then "10", "1000"."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RuleError(f"Số văn bản phải là số nguyên từ 1 trở lên, không phải “{n}”.", number=n)
    return f"{n:02d}"


def _check_part(part: str, what: str) -> str:
    """Return ``part`` in NFC if it can stand between the "-" of a symbol, else raise RuleError."""
    part = nfc(part)
    if not part:
        problem = "đang để trống"
    elif any(c.isspace() for c in part):
        problem = "không được chứa khoảng trắng"
    elif "/" in part:
        problem = "không được chứa dấu “/”"
    elif "-" in part:
        problem = "không được chứa dấu “-” (dấu này chỉ ngăn cách các nhóm của ký hiệu)"
    elif not part.isalnum():
        problem = "chỉ được gồm chữ cái và chữ số"
    else:
        return part
    raise RuleError(f"Ký hiệu văn bản: {what} “{part}” {problem}.", part=part)


def make_symbol(doctype: DocType, issuer_symbol: str, unit: str | None = None) -> str:
    """Return the symbol (ký hiệu): "KH-UBND", "SY-UBND", or "UBND-VX" for a công văn.

    ``unit`` (the drafting unit or field) is required for công văn and thư công and is
    not part of a typed document's symbol, so it is ignored there.
    """
    issuer = _check_part(issuer_symbol, "viết tắt tên cơ quan ban hành")
    if doctype.kind is DocKind.UNTYPED:
        if unit is None or not unit.strip():
            raise RuleError(
                f"Ký hiệu {doctype.name.lower()} phải có viết tắt đơn vị soạn thảo hoặc lĩnh vực "
                f"(ví dụ “{issuer}-VX”).",
                doctype=doctype.code,
            )
        return f"{issuer}-{_check_part(unit, 'viết tắt đơn vị soạn thảo')}"
    assert doctype.abbreviation is not None  # typed documents and copies always have one
    return f"{doctype.abbreviation}-{issuer}"


def _check_symbol(symbol: str) -> tuple[str, str]:
    """Return the two groups of ``symbol`` ("KH", "UBND"), or raise RuleError."""
    symbol = nfc(symbol)
    if re.search(r"\s[-/]|[-/]\s", symbol):
        raise RuleError(
            f"Ký hiệu “{symbol}”: không được có khoảng trắng quanh dấu “/” hoặc “-”.", symbol=symbol
        )
    groups = symbol.split("-")
    if len(groups) != 2:
        raise RuleError(
            f"Ký hiệu “{symbol}” phải gồm đúng hai nhóm nối bằng dấu “-” (ví dụ “KH-UBND”).",
            symbol=symbol,
        )
    return _check_part(groups[0], "nhóm"), _check_part(groups[1], "nhóm")


def number_line(number: int | None, symbol: str) -> str:
    """Return "Số: 05/KH-UBND", or "Số:      /KH-UBND" for a draft (``number`` None)."""
    first, second = _check_symbol(symbol)
    printed = DRAFT_BLANK if number is None else f" {format_number(number)}"
    return f"Số:{printed}/{first}-{second}"


@dataclass(frozen=True)
class ParsedNumber:
    number: int | None  # None on a draft
    symbol: str  # "KH-UBND", "UBND-VX"
    doctype: DocType | None  # None for công văn / thư công (no type abbreviation)
    issuer: str  # "UBND"
    unit: str | None  # "VX" for công văn; None for typed documents and copies


def _parse(text: str, *, strict_zero: bool, allow_draft: bool, what: str) -> ParsedNumber:
    text = nfc(text).strip()
    if text.startswith("Số") and not _PREFIX.match(text):
        raise RuleError(f"{what} “{text}”: chữ “Số” phải liền dấu hai chấm (“Số:”).", text=text)
    body = _PREFIX.sub("", text, count=1)
    if body.count("/") != 1:
        raise RuleError(
            f"{what} “{text}” phải có dạng số/ký hiệu, ví dụ “05/KH-UBND” (văn bản quy phạm "
            "pháp luật có năm trong số, ví dụ “01/2017/QĐ-UBND”, không thuộc phạm vi này).",
            text=text,
        )
    raw_number, symbol = body.split("/")
    number: int | None = None
    if _DRAFT_NUMBER.match(raw_number):
        if not allow_draft:
            raise RuleError(f"{what} “{text}” chưa có số văn bản.", text=text)
    elif raw_number[-1].isspace() or symbol[:1].isspace():
        raise RuleError(
            f"{what} “{text}”: không được có khoảng trắng quanh dấu “/” hoặc “-”.", text=text
        )
    elif not raw_number.isascii() or not raw_number.isdigit() or int(raw_number) < 1:
        raise RuleError(f"{what} “{text}”: số văn bản phải là số nguyên dương.", text=text)
    else:
        number = int(raw_number)
        if strict_zero and raw_number != format_number(number):
            raise RuleError(
                f"{what} “{text}”: số văn bản phải viết “{format_number(number)}” "
                "(số nhỏ hơn 10 có số 0 đứng trước).",
                text=text,
            )
    first, second = _check_symbol(symbol)
    doctype = doctype_by_abbreviation(first)
    if doctype is not None:
        return ParsedNumber(number, f"{first}-{second}", doctype, second, None)
    # No type abbreviation in front: the công văn form "<cơ quan>-<đơn vị>".
    return ParsedNumber(number, f"{first}-{second}", None, first, second)


def parse_number_line(text: str) -> ParsedNumber:
    """Return the parts of a number line ("Số: 05/KH-UBND", "05/KH-UBND", a blank draft).

    Strict, as a format check: "Số: 5/KH-UBND" (no leading zero) raises RuleError.
    """
    return _parse(text, strict_zero=True, allow_draft=True, what="Số, ký hiệu")


def parse_reference(text: str) -> ParsedNumber:
    """Return the parts of a number cited in a text ("5/KH-HĐTĐKT", "số 05/KH-UBND").

    Tolerant of a missing leading zero, since other bodies' numbers are quoted as written;
    a cited document always has a number, so a blank raises RuleError.
    """
    text = re.sub(r"^số\s*:?\s*", "", nfc(text).strip(), count=1, flags=re.IGNORECASE)
    return _parse(text, strict_zero=False, allow_draft=False, what="Số văn bản được dẫn")
