"""Import nominees from an XLSX list (design D19): a dry run reports every row, nothing is saved
unless the whole file is valid, and all rows are saved in the caller's one transaction.

What the reader accepts and refuses:
- Not an XLSX (a .xls, a .docx, a renamed text file): refused with a message saying so.
  Size and zip-bomb limits are those of docgen/uploads.py, checked before openpyxl parses.
- Headers are found in the first 10 rows by their Vietnamese names (case and spacing
  ignored, any order); a missing or unknown column is named. A "Lỗi" column (an error report
  sent back after correcting it) is ignored. An empty sheet, or headers with no data, is said so.
- Formulas are refused cell by cell (the file keeps no computed value when a program wrote
  it, and a cached value may be stale): the message asks to paste values instead.
- Years typed as text ("1975", "1975.0"), as dates ("12/5/1975") or formatted as dates are
  read as years (rules/nominations.py ``parse_year``).
"""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from docgen.database import begin_write
from docgen.errors import DocgenError
from docgen.models import Campaign, Nomination
from docgen.models.campaigns import NominationState
from docgen.policy import Actor
from docgen.rules.nominations import COLUMNS, HEADERS, check_nominee, normalise_header
from docgen.services.archive import audit, check_actor
from docgen.services.campaigns import get_campaign
from docgen.services.nominations import acting_organisation, package_for_edit, require_edit
from docgen.uploads import DEFAULT_LIMITS, PackageLimits, check_package, read_upload

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
ERROR_HEADER = "Lỗi"
SHEET_NAME = "Danh sách"
_BY_HEADER = {normalise_header(c.header): c for c in COLUMNS}
_LABEL = {c.key: c.header for c in COLUMNS}


class ImportRefused(DocgenError):
    """The file as a whole cannot be read as a list of nominees (no row-level report)."""

    code = "import_refused"
    http_status = 422


@dataclass
class RowResult:
    row: int  # the spreadsheet's row number
    values: dict[str, Any]  # raw cell values by column key (formulas as their text)
    clean: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # column key → Vietnamese message


@dataclass
class ImportResult:
    sheet: str
    header_row: int
    columns: dict[str, int]  # column key → 1-based column index in the file
    rows: list[RowResult]
    dry_run: bool
    saved: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def errors(self) -> list[tuple[int, str, str]]:
        """Return (row, column header, message) of every problem, in file order."""
        return [
            (r.row, _LABEL[key], message) for r in self.rows for key, message in r.errors.items()
        ]

    @property
    def bad_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _open(data: bytes, limits: PackageLimits) -> Any:
    from openpyxl import load_workbook

    not_xlsx = ImportRefused(
        "Tệp không phải bảng tính Excel .xlsx (có thể là tệp .xls cũ, văn bản Word hay tệp "
        "hỏng). Hãy mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”, hoặc dùng mẫu "
        "tải về từ docgen.",
        code="not_xlsx",
    )
    try:
        check_package(data, limits)
    except zipfile.BadZipFile:
        raise not_xlsx from None
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises KeyError, InvalidFileException, XML errors…
        raise not_xlsx from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]]:
    """Return (row index, column key → index) of the header row, or refuse naming the problem."""
    for index, cells in enumerate(rows):
        names = [normalise_header(c) for c in cells]
        if sum(1 for n in names if n in _BY_HEADER) < 3:
            continue
        columns: dict[str, int] = {}
        unknown = []
        for position, name in enumerate(names):
            if not name or name == normalise_header(ERROR_HEADER):
                continue
            column = _BY_HEADER.get(name)
            if column is None or column.key in columns:
                unknown.append(f"“{cells[position]}” (cột {_letter(position + 1)})")
            else:
                columns[column.key] = position
        missing = [f"“{c.header}”" for c in COLUMNS if c.key != "stt" and c.key not in columns]
        if missing or unknown:
            parts = []
            if missing:
                parts.append("thiếu cột " + ", ".join(missing))
            if unknown:
                parts.append("cột không nhận ra hoặc bị lặp " + ", ".join(unknown))
            raise ImportRefused(
                f"Hàng tiêu đề (hàng {index + 1}) không đúng mẫu: " + "; ".join(parts) + ". "
                "Các cột của mẫu: " + ", ".join(f"“{h}”" for h in HEADERS) + ".",
                code="wrong_headers",
            )
        return index, columns
    first = next((r for r in rows if any(not _blank(c) for c in r)), ())
    seen = ", ".join(f"“{c}”" for c in first if not _blank(c)) or "không có"
    raise ImportRefused(
        f"Không tìm thấy hàng tiêu đề theo mẫu trong {HEADER_SEARCH_ROWS} hàng đầu (hàng đầu "
        f"tiên có: {seen}). Các cột của mẫu: " + ", ".join(f"“{h}”" for h in HEADERS) + ".",
        code="wrong_headers",
    )


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def read_rows(
    data: bytes, *, year: int, limits: PackageLimits = DEFAULT_LIMITS
) -> tuple[str, int, dict[str, int], list[RowResult]]:
    """Return (sheet name, header row number, columns, checked rows) of an XLSX list."""
    workbook = _open(read_upload(data, limits), limits)
    try:
        names = workbook.sheetnames
        sheet = workbook[SHEET_NAME] if SHEET_NAME in names else workbook.worksheets[0]
        title = sheet.title
        stream = enumerate(sheet.iter_rows(), start=1)
        head = list(itertools.islice(stream, HEADER_SEARCH_ROWS))
        values = [tuple(c.value for c in cells) for _, cells in head]
        if not any(not _blank(v) for row in values for v in row):
            raise ImportRefused(f"Trang tính “{title}” trống.", code="empty_sheet")
        header_at, columns = _find_header(values)
        numbered = [(number, cells) for number, cells in head if number > header_at + 1]
        rows: list[RowResult] = []
        for number, cells in itertools.chain(numbered, stream):
            row = _take_cells(number, cells, columns, year)
            if row is None:
                continue
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ImportRefused(
                    f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu".replace(",", ".")
                    + "; hãy chia thành nhiều tệp.",
                    code="too_many_rows",
                )
    finally:
        workbook.close()
    if not rows:
        raise ImportRefused(
            f"Trang tính “{title}” không có dòng dữ liệu nào dưới hàng tiêu đề (hàng "
            f"{header_at + 1}).",
            code="no_rows",
        )
    _check_duplicates(rows)
    return title, header_at + 1, {k: i + 1 for k, i in columns.items()}, rows


def _take_cells(number: int, cells: Any, columns: dict[str, int], year: int) -> RowResult | None:
    """Return the checked row, or None for a blank row (or one holding only its STT)."""
    raw: dict[str, Any] = {}
    formulas: dict[str, str] = {}
    size = len(cells)
    for key, index in columns.items():
        if index >= size:
            raw[key] = None
            continue
        cell = cells[index]
        raw[key] = cell.value
        if getattr(cell, "data_type", None) == "f":
            formulas[key] = str(cell.value)
    if all(_blank(v) for k, v in raw.items() if k != "stt"):
        return None
    clean, errors = check_nominee(raw, year=year)
    for key, formula in formulas.items():
        if key != "stt":
            errors[key] = (
                f"Ô chứa công thức ({formula[:40]}); docgen không tính công thức — hãy sao chép "
                "và dán giá trị (Dán đặc biệt → Giá trị)."
            )
    return RowResult(number, raw, clean, errors)


def _check_duplicates(rows: list[RowResult]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.errors:
            continue
        key = (row.clean["kind"], row.clean["name"].casefold(), row.clean["birth_year"])
        if key in seen:
            row.errors["name"] = f"Trùng với dòng {seen[key]} (cùng tên, loại và năm sinh)."
        else:
            seen[key] = row.row


def _check_existing(session: Session, campaign: Campaign, org: str, rows: list[RowResult]) -> None:
    query = select(Nomination.kind, Nomination.name, Nomination.birth_year).where(
        Nomination.campaign_id == campaign.id, Nomination.organisation_id == org
    )
    existing = {(k, n.casefold(), y) for k, n, y in session.execute(query)}
    for row in rows:
        key = (
            row.clean.get("kind"),
            str(row.clean.get("name", "")).casefold(),
            row.clean.get("birth_year"),
        )
        if not row.errors and key in existing:
            row.errors["name"] = "Đã có trong danh sách của cơ quan (cùng tên, loại và năm sinh)."


def import_nominations(
    session: Session,
    campaign_id: int,
    data: bytes,
    *,
    actor: Actor,
    now: datetime,
    organisation: str | None = None,
    dry_run: bool = False,
    limits: PackageLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Return every row with its errors; save all rows (appended) only if none has an error."""
    name = check_actor(actor)
    if not dry_run:
        # SQLite: the writer's lock before the reads that decide (the duplicate check), so
        # two imports at once cannot both pass it.
        begin_write(session)
    campaign = get_campaign(session, campaign_id)
    org = acting_organisation(actor, organisation, campaign)
    require_edit(session, campaign, org, actor)
    title, header_row, columns, rows = read_rows(data, year=campaign.year, limits=limits)
    _check_existing(session, campaign, org, rows)
    result = ImportResult(title, header_row, columns, rows, dry_run)
    if dry_run or not result.ok:
        return result
    package = package_for_edit(session, campaign, org, actor, now)
    common = {
        "campaign_id": campaign.id,
        "organisation_id": org,
        "package_id": package.id,
        "state": NominationState.DRAFT,
        "created_by": name,
        "created_at": now,
        "updated_at": now,
    }
    session.execute(insert(Nomination.__table__), [{**common, **row.clean} for row in rows])
    package.updated_at = now
    audit(
        session,
        at=now,
        actor=name,
        action="nomination_import",
        target=package,
        rows=len(rows),
        sheet=title,
    )
    session.flush()
    result.saved = len(rows)
    return result
