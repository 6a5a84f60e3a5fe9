"""Recipient blocks (Kính gửi, Nơi nhận) and the body end mark, per Decree 30 PL I §II.9."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docgen.domain import RecipientEntry
from docgen.errors import RuleError
from docgen.rules.text import fold, nfc

NHU_TREN = "Như trên"
ARCHIVE_DESK = "VT"  # Văn thư: always the first place a document is kept
END_MARK = "./."

_COPIES_SUFFIX = re.compile(r"\s*\((\d+)\s*b\)$")
_ARCHIVE_LINE = re.compile(r"luu\s*(:|vt\b)")  # folded "Lưu: …" / "Lưu VT", not "Lưu trữ …"


@dataclass(frozen=True)
class KinhGui:
    inline: str | None  # one recipient, printed "Kính gửi: Bộ Nội vụ"
    items: tuple[str, ...]  # several: "- Bộ Nội vụ;" … "- Bộ Tài chính." under "Kính gửi:"


def _clean(name: str, what: str) -> str:
    """Return ``name`` without the bullet and final punctuation a clerk may have typed."""
    text = " ".join(nfc(name).split())
    text = re.sub(r"^[-–+•]\s*", "", text)
    text = re.sub(r"[\s;,.]+$", "", text)
    if not text:
        raise RuleError(f"{what}: có một dòng để trống.")
    return text


def _check_unique(names: Iterable[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        key = fold(name)
        if key in seen:
            raise RuleError(f"{what}: “{name}” bị ghi hai lần.", recipient=name)
        seen.add(key)


def kinh_gui(recipients: Sequence[str]) -> KinhGui:
    """Return the "Kính gửi" block: inline for one recipient, a "- …;" list for several."""
    if isinstance(recipients, str):
        recipients = (recipients,)  # a bare string would otherwise be split into letters
    names = [_clean(r, "Kính gửi") for r in recipients]
    if not names:
        raise RuleError("Kính gửi: cần ít nhất một cơ quan, tổ chức hoặc cá nhân nhận văn bản.")
    _check_unique(names, "Kính gửi")
    if len(names) == 1:
        return KinhGui(inline=names[0], items=())
    items = (*(f"- {n};" for n in names[:-1]), f"- {names[-1]}.")
    return KinhGui(inline=None, items=items)


def _is_count(n: object) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and n >= 1


def copies_label(n: int) -> str:
    """Return the copy count printed after a recipient: "(5b)"."""
    if not _is_count(n):
        raise RuleError(f"Số bản gửi phải là số nguyên từ 1 trở lên, không phải “{n}”.", copies=n)
    return f"({n}b)"


def _entry(entry: RecipientEntry) -> tuple[str, int | None]:
    """Return the cleaned name and copy count of one Nơi nhận entry."""
    name = _clean(entry.name, "Nơi nhận")
    copies = entry.copies
    # Accept a count typed into the name ("Ban TĐKT, Sở Nội vụ (5b)") unless it contradicts.
    if match := _COPIES_SUFFIX.search(name):
        typed = int(match[1])
        if copies is not None and copies != typed:
            raise RuleError(
                f"Nơi nhận “{name}”: số bản ghi trong tên khác số bản đã khai ({copies}).",
                recipient=name,
            )
        name, copies = name[: match.start()], typed
    if _ARCHIVE_LINE.match(fold(name)):
        raise RuleError(
            f"Nơi nhận “{name}”: dòng “Lưu:” do hệ thống tự thêm, hãy khai ở phần lưu.",
            recipient=name,
        )
    if copies is not None:
        copies_label(copies)  # validates the count
    return name, copies


def noi_nhan(
    entries: Sequence[RecipientEntry],
    *,
    nhu_tren: bool,
    archive: Sequence[str] = (),
    archive_copies: int | None = None,
) -> tuple[str, ...]:
    """Return the lines of the "Nơi nhận:" block, ending with "- Lưu: VT, … ."

    "- Như trên;" comes first when the document also has a "Kính gửi" block.
    """
    recipients = [(NHU_TREN, None)] if nhu_tren else []
    recipients.extend(_entry(e) for e in entries)
    _check_unique((name for name, _ in recipients), "Nơi nhận")
    lines = [
        f"- {name} {copies_label(copies)};" if copies is not None else f"- {name};"
        for name, copies in recipients
    ]
    kept = [_clean(a, "Lưu") for a in archive]
    if any(a.upper() == ARCHIVE_DESK for a in kept):
        raise RuleError("Lưu: “VT” (Văn thư) luôn đứng đầu, không cần khai lại.")
    _check_unique(kept, "Lưu")
    archive_line = ", ".join([ARCHIVE_DESK, *kept])
    if archive_copies is not None:
        if not kept:
            raise RuleError("Lưu: số bản lưu đi sau viết tắt đơn vị soạn thảo, hãy khai đơn vị.")
        if not _is_count(archive_copies):
            raise RuleError(
                f"Số bản lưu phải từ 1 trở lên, không phải “{archive_copies}”.",
                copies=archive_copies,
            )
        archive_line += f" ({archive_copies})"
    lines.append(f"- Lưu: {archive_line}.")
    return tuple(lines)


def end_mark(text: str) -> str:
    """Return ``text`` ending with the end mark "./." ("…Kiên Giang." → "…Kiên Giang./.")."""
    body = nfc(text).rstrip()
    if not body:
        raise RuleError("Nội dung văn bản đang để trống.")
    if body.endswith(END_MARK):
        return body
    return body + ("/." if body.endswith(".") else END_MARK)


def clean_name(name: str, what: str) -> str:
    """Return one typed line as the block will print it (``RuleError`` if nothing is left)."""
    return _clean(name, what)


def clean_entry(entry: RecipientEntry) -> tuple[str, int | None]:
    """Return the cleaned name and copy count of one Nơi nhận line (``RuleError`` if bad)."""
    return _entry(entry)
