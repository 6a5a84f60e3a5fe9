"""The lines a clerk types for a recipient block, checked line by line (pure rules).

A form posts rows of text; ``check_lines`` returns the block as it will be stored (names as
printed, copy counts as numbers) and a message per line, keyed so a page can show it next
to the input that holds the line: ``kinh_gui-<i>``, ``noi_nhan-<i>-name``,
``noi_nhan-<i>-copies``, ``noi_nhan-<i>-organisation``, ``archive``, ``archive_copies``, and
``kinh_gui`` / ``noi_nhan`` for the block as a whole. Rows left wholly blank are skipped
(forms offer empty rows to add to); their indexes still count, so keys match the inputs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from docgen.domain import RecipientEntry
from docgen.errors import RuleError
from docgen.rules.recipients import NHU_TREN, clean_entry, clean_name, kinh_gui, noi_nhan
from docgen.rules.text import fold

MAX_LINES = 100
LINE_MAX = 300  # a recipient's name (DocumentRecipient.organ_name has room for more)
COPIES_MAX = 999  # the issued amount of a document is at most 999 (issuance)
_COUNT = re.compile(r"^\(?\s*(\d{1,6})\s*(b|bản)?\s*\)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Lines:
    """What was typed, as posted: Nơi nhận rows are (name, copies, organisation code)."""

    kinh_gui: tuple[str, ...] = ()
    noi_nhan: tuple[tuple[str, str, str], ...] = ()
    archive: str = ""  # "VHXH, vttkieu": the units after "Lưu: VT,"
    archive_copies: str = ""


@dataclass(frozen=True)
class Block:
    """A checked block, as a recipient list stores it."""

    kinh_gui: tuple[str, ...] = ()
    noi_nhan: tuple[dict[str, str | int], ...] = ()  # RecipientEntry fields, None left out
    archive: tuple[str, ...] = ()
    archive_copies: int | None = None

    @property
    def empty(self) -> bool:
        """Return whether nothing at all was given."""
        return not (self.kinh_gui or self.noi_nhan or self.archive or self.archive_copies)


def _text(raw: str, what: str) -> str:
    """Return one line with single spaces; ``RuleError`` for a control character or length."""
    for ch in raw:
        if unicodedata.category(ch).startswith("C") and ch not in "\t\r\n":
            raise RuleError(f"{what}: có ký tự điều khiển (mã U+{ord(ch):04X}); hãy xóa ký tự này.")
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(text) > LINE_MAX:
        raise RuleError(f"{what}: dài quá {LINE_MAX} ký tự.")
    return text


def parse_count(raw: str, what: str) -> int | None:
    """Return the copy count typed as "5", "5b" or "(5b)"; None when blank."""
    text = " ".join(raw.split())
    if not text:
        return None
    match = _COUNT.match(text)
    count = int(match[1]) if match else 0
    if not 1 <= count <= COPIES_MAX:
        raise RuleError(
            f"{what} phải là số nguyên từ 1 đến {COPIES_MAX} (ví dụ 5 để in “(5b)”), "
            f"không phải “{text}”."
        )
    return count


def _unique(seen: dict[str, int], name: str, i: int, what: str) -> str | None:
    key = fold(name)
    if key in seen:
        return f"{what}: “{name}” đã ghi ở dòng {seen[key] + 1}."
    seen[key] = i
    return None


def _check_kinh_gui(lines: Lines, problems: dict[str, str]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(lines.kinh_gui):
        if not raw.strip():
            continue
        try:
            name = clean_name(_text(raw, "Kính gửi"), "Kính gửi")
        except RuleError as exc:
            problems[f"kinh_gui-{i}"] = exc.message
            continue
        if message := _unique(seen, name, i, "Kính gửi"):
            problems[f"kinh_gui-{i}"] = message
        out.append(name)
    return out


def _check_noi_nhan(
    lines: Lines, organisations: Collection[str], problems: dict[str, str]
) -> list[dict[str, str | int]]:
    out: list[dict[str, str | int]] = []
    seen: dict[str, int] = {}
    for i, (raw_name, raw_copies, raw_org) in enumerate(lines.noi_nhan):
        key = f"noi_nhan-{i}"
        if not (raw_name.strip() or raw_copies.strip() or raw_org.strip()):
            continue
        try:
            copies = parse_count(raw_copies, "Số bản")
        except RuleError as exc:
            problems[f"{key}-copies"] = exc.message
            copies = None
        org = raw_org.strip() or None
        if org is not None and org not in organisations:
            problems[f"{key}-organisation"] = f"Không có cơ quan, tổ chức mã “{org}”."
            org = None
        if not raw_name.strip():
            problems[f"{key}-name"] = "Chưa nhập tên nơi nhận."
            continue
        try:
            name, copies = clean_entry(RecipientEntry(_text(raw_name, "Nơi nhận"), copies))
        except RuleError as exc:
            problems[f"{key}-name"] = exc.message
            continue
        if fold(name) == fold(NHU_TREN):
            problems[f"{key}-name"] = (
                "“- Như trên;” do hệ thống tự thêm khi văn bản có “Kính gửi”; không cần ghi."
            )
            continue
        if message := _unique(seen, name, i, "Nơi nhận"):
            problems[f"{key}-name"] = message
        entry: dict[str, str | int] = {"name": name}
        if copies is not None:
            entry["copies"] = copies
        if org is not None:
            entry["organisation"] = org
        out.append(entry)
    return out


def _check_archive(lines: Lines, problems: dict[str, str]) -> tuple[list[str], int | None]:
    kept: list[str] = []
    seen: dict[str, int] = {}
    for i, part in enumerate(lines.archive.split(",")):
        if not part.strip():
            continue
        try:
            unit = clean_name(_text(part, "Lưu"), "Lưu")
        except RuleError as exc:
            problems["archive"] = exc.message
            continue
        if unit.upper() == "VT":
            problems["archive"] = "“VT” (Văn thư) luôn đứng đầu dòng “Lưu:”, không cần ghi lại."
        elif message := _unique(seen, unit, i, "Lưu"):
            problems["archive"] = message
        else:
            kept.append(unit)
    copies = None
    try:
        copies = parse_count(lines.archive_copies, "Số bản lưu")
    except RuleError as exc:
        problems["archive_copies"] = exc.message
    if copies is not None and not kept and "archive" not in problems:
        problems["archive_copies"] = (
            "Số bản lưu đi sau viết tắt đơn vị soạn thảo: hãy ghi đơn vị ở ô “Lưu”."
        )
    return kept, copies


def check_lines(
    lines: Lines, *, organisations: Collection[str], kinh_gui_allowed: bool = True
) -> tuple[Block, dict[str, str]]:
    """Return the checked block and the problems by line key (empty when all is well)."""
    problems: dict[str, str] = {}
    if len(lines.kinh_gui) > MAX_LINES:
        problems["kinh_gui"] = f"Nhiều nhất {MAX_LINES} dòng “Kính gửi”."
    if len(lines.noi_nhan) > MAX_LINES:
        problems["noi_nhan"] = f"Nhiều nhất {MAX_LINES} dòng “Nơi nhận”."
    if problems:
        return Block(), problems
    gui = _check_kinh_gui(lines, problems) if kinh_gui_allowed else []
    entries = _check_noi_nhan(lines, organisations, problems)
    archive, archive_copies = _check_archive(lines, problems)
    block = Block(tuple(gui), tuple(entries), tuple(archive), archive_copies)
    if not problems:  # the whole block, as the renderer will build it
        try:
            if gui:
                kinh_gui(gui)
            noi_nhan([RecipientEntry(**e) for e in entries], nhu_tren=bool(gui),  # type: ignore[arg-type]
                     archive=archive, archive_copies=archive_copies)  # fmt: skip
        except RuleError as exc:
            problems["noi_nhan"] = exc.message
    return block, problems
