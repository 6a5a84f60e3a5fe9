"""Nominee import benchmark: a generated XLSX of 2,000 rows, dry run and real import.

    .venv/bin/python bench/bench_import.py                 # 2,000 rows, 3 rounds, SQLite
    .venv/bin/python bench/bench_import.py --rows 2000 --rounds 5
    .venv/bin/python bench/bench_import.py --postgres postgresql+psycopg://postgres@127.0.0.1/db

Each round imports into a fresh migrated database with the records loaded (the real import
also commits). The baseline is openpyxl merely reading the same file (read-only, every cell
value) — the floor any XLSX import pays. Prints the median of the rounds and the ratios;
the goal is dry run + real import ≤ 5 s.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.database import make_engine, upgrade  # noqa: E402
from docgen.policy import system_actor  # noqa: E402
from docgen.records import load_records  # noqa: E402
from docgen.rules.nominations import HEADERS  # noqa: E402
from docgen.services.campaigns import find_campaign  # noqa: E402
from docgen.services.clock import VIETNAM  # noqa: E402
from docgen.services.lookup import load_records_into  # noqa: E402
from docgen.services.nomination_import import import_nominations  # noqa: E402

NOW = datetime(2017, 3, 20, 9, tzinfo=VIETNAM)
CLASSES = (
    "Các cấp lãnh đạo từ phó phòng trở lên",
    "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu",
)


def generate(rows: int) -> bytes:
    """Return an XLSX of ``rows`` valid nominees, years written as numbers, text and dates."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(HEADERS)
    for i in range(rows):
        if i % 7 == 0:
            sheet.append(
                [
                    i + 1,
                    "Tập thể",
                    f"Tổ công tác số {i}",
                    None,
                    None,
                    "Sở Nội vụ tỉnh Kiên Giang",
                    "Tổ chức bộ máy",
                    "Cơ quan hành chính, sự nghiệp",
                    f"{i % 9 + 1} năm liền hoàn thành xuất sắc; 100% hồ sơ đúng hạn.",
                    None,
                ]
            )
            continue
        year = 1960 + i % 40
        typed = (year, str(year), f"{i % 28 + 1}/{i % 12 + 1}/{year}")[i % 3]
        sheet.append(
            [
                i + 1,
                "Cá nhân",
                f"Nguyễn Văn Thứ {i:05d}",
                typed,
                ("Nam", "Nữ")[i % 2],
                f"Chuyên viên phòng {i % 13}, Sở Nội vụ",
                "Quản lý nhà nước",
                CLASSES[i % 2],
                f"Chủ trì {i % 5 + 1:02d} đề án; giảm {10 + i % 50}% thời gian xử lý hồ sơ; "
                "được đồng nghiệp tín nhiệm.",
                "Bằng khen UBND tỉnh năm 2015",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t>(.*?)</t></is></c>'
)
_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)


def with_shared_strings(data: bytes) -> bytes:
    """Return the workbook with its inline strings moved to a shared-strings table.

    openpyxl writes every text cell inline; Excel and LibreOffice write a sharedStrings part,
    which openpyxl reads once and then looks up (much cheaper per cell). Files clerks send
    come from Excel, so the bench measures both.
    """
    index: dict[bytes, int] = {}

    def share(match: re.Match[bytes]) -> bytes:
        number = index.setdefault(match.group(3), len(index))
        return (
            b'<c r="' + match.group(1) + (match.group(2) or b"") + b'" t="s"><v>%d</v></c>' % number
        )

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = _INLINE.sub(share, content)
            elif item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", _SST_TYPE + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", _SST_REL + b"</Relationships>")
            target.writestr(item.filename, content)
        strings = b"".join(b"<si><t>" + text + b"</t></si>" for text in index)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            % (len(index), len(index))
            + strings
            + b"</sst>",
        )
    return out.getvalue()


def openpyxl_read(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    count = sum(1 for row in book.active.iter_rows(values_only=True) for _ in row)
    book.close()
    return count


def fresh_database(url: str | None, records) -> tuple[object, int]:
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="docgen-bench-import-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        if url.startswith("postgresql"):
            from sqlalchemy import text

            session.execute(text("DELETE FROM nomination"))
            session.execute(text("DELETE FROM nomination_package"))
        load_records_into(session, records, actor=system_actor("bench"), now=NOW)
        session.commit()
        campaign_id = find_campaign(session, "2017").id
    return engine, campaign_id


def one_round(data: bytes, url: str | None, records) -> tuple[float, float, float]:
    from sqlalchemy.orm import Session

    engine, campaign_id = fresh_database(url, records)
    actor = system_actor("bench")
    start = time.perf_counter()
    openpyxl_read(data)
    read = time.perf_counter() - start
    with Session(engine) as session:
        start = time.perf_counter()
        dry = import_nominations(
            session, campaign_id, data, actor=actor, now=NOW, organisation="snv", dry_run=True
        )
        dry_s = time.perf_counter() - start
        assert dry.ok and dry.saved == 0, dry.errors[:5]
        start = time.perf_counter()
        done = import_nominations(
            session, campaign_id, data, actor=actor, now=NOW, organisation="snv"
        )
        session.commit()
        real_s = time.perf_counter() - start
        assert done.saved == len(done.rows)
    engine.dispose()
    return read, dry_s, real_s


def report(label: str, data: bytes, args: argparse.Namespace, records) -> None:
    results = [one_round(data, args.postgres, records) for _ in range(args.rounds)]
    read, dry, real = (statistics.median(r[i] for r in results) for i in range(3))
    total = dry + real
    verdict = "OK" if total <= 5 else "OVER"
    print(f"\n{label} ({len(data) / 1024:.0f} KiB)")
    print(f"  openpyxl read only (baseline): {read:.3f} s")
    print(f"  dry run:                       {dry:.3f} s  ({dry / read:.2f}× the baseline)")
    print(f"  real import + commit:          {real:.3f} s  ({real / read:.2f}× the baseline)")
    print(f"  dry run + import:              {total:.3f} s  (goal ≤ 5 s: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (its schema is used)")
    args = parser.parse_args()
    records = load_records(ROOT / "records")
    start = time.perf_counter()
    data = generate(args.rows)
    print(f"generated {args.rows} rows in {time.perf_counter() - start:.2f} s")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"backend: {backend}; rounds: {args.rounds} (median); load: {_load()}")
    report(
        "shared strings, as Excel and LibreOffice save", with_shared_strings(data), args, records
    )
    report("inline strings, as openpyxl saves", data, args, records)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
