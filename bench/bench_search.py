"""Search benchmark: 100,000 archived documents in SQLite; p50/p95 of four searches through
``docgen.services.search.search`` (ranked top 20, total, statuses, snippets), each with its
ratio to the bare FTS5 query. Prints figures only.

    .venv/bin/python bench/bench_search.py               # 100,000 documents
    .venv/bin/python bench/bench_search.py --documents 20000 --runs 50

The documents are synthetic rows inserted directly (with their index entries), not rendered:
bodies of ~150 words drawn from the 2017 plan's vocabulary, a rare word in 0.05 % of them,
the phrase "điển hình tiên tiến" in the summary
of ~20 % and in the body of ~20 %.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.database import Database, upgrade  # noqa: E402
from docgen.models import Blob, Document, DocumentText, Register, RegisterCounter  # noqa: E402
from docgen.models.reference import OrganisationRow  # noqa: E402
from docgen.policy import system_actor  # noqa: E402
from docgen.rules.text import fold  # noqa: E402
from docgen.services.search import (  # noqa: E402
    _BM25,
    SearchQuery,
    fts5_expression,
    index_words,
    parse_terms,
    search,
)

SEED = Path(__file__).parents[1] / "tests" / "data" / "ke-hoach-2017-kien-giang.txt"
RARE = "Phú Quốc"
PHRASE = "điển hình tiên tiến"
SUBJECTS = (
    "Tuyên truyền các phong trào thi đua yêu nước năm {y}",
    "Kết quả thực hiện công tác thi đua, khen thưởng 6 tháng đầu năm {y}",
    "Giới thiệu điển hình tiên tiến, mô hình mới, nhân tố mới năm {y}",
    "Tổ chức hội nghị tổng kết công tác năm {y}",
    "Đề nghị xét chọn tập thể, cá nhân tiêu biểu năm {y}",
)


def _vocabulary() -> list[str]:
    words = SEED.read_text(encoding="utf-8").split() if SEED.exists() else []
    words = [w.strip('.,;:()“”"') for w in words]
    return [w for w in words if w and w.lower() not in {"phú", "quốc"}] or ["thi", "đua"]


def generate(db: Database, count: int, seed: int = 2017) -> None:
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    now = datetime(2020, 1, 1, tzinfo=UTC)
    with db.session() as session:
        session.execute(
            insert(OrganisationRow),
            [{"code": "ubnd-tinh", "name": "Ủy ban nhân dân tỉnh Kiên Giang",
              "kind": "province_committee", "header_parent_lines": [], "header_lines": [],
              "units": [], "sources": [],
              "symbol": "UBND", "sample": False}],
        )  # fmt: skip
        session.execute(
            insert(Register),
            [{"id": 1, "code": "ubnd-tinh:general", "organisation": "ubnd-tinh", "name": "Sổ",
              "kind": "general", "doctypes": [], "configured": False, "chain_seq": count,
              "head_hash": "0" * 64}],
        )  # fmt: skip
        session.execute(
            insert(Blob), [{"sha256": "f" * 64, "size": 1, "content": b"x", "created_at": now}]
        )
        years = list(range(2010, 2020))
        per_year = {y: 0 for y in years}
        batch_docs, batch_texts, batch_fts = [], [], []
        for i in range(1, count + 1):
            year = years[i % len(years)]
            per_year[year] += 1
            number = per_year[year]
            symbol = rng.choice(("KH-UBND", "BC-UBND", "QĐ-UBND", "UBND-VHXH", "TB-UBND"))
            subject = rng.choice(SUBJECTS).format(y=year)
            words = rng.choices(vocabulary, k=150)
            if rng.random() < 0.2:
                words[rng.randrange(150) :] = [*PHRASE.split(), *words[rng.randrange(150) :]][:150]
            if i % 2000 == 7:
                words.insert(rng.randrange(150), RARE)
            body = " ".join(words)
            issued = date(year, 1, 1) + timedelta(days=min(number // 30, 364))
            batch_docs.append({
                "id": i, "register_id": 1, "year": year, "number": number, "symbol": symbol,
                "symbol_key": fold(symbol), "doctype": "ke-hoach", "template": "ke-hoach",
                "issuer": "ubnd-tinh", "signer": "mai-van-huynh", "type_name": "Kế hoạch",
                "code_number": f"{number:02d}", "code_notation": symbol, "issued_date": issued,
                "organ_name": "Ủy ban nhân dân tỉnh Kiên Giang",
                "organ_key": "uy ban nhan dan tinh kien giang",
                "subject": subject, "language": "vi", "signer_name": "Mai Văn Huỳnh",
                "signer_key": "mai van huynh", "priority": 0, "title": "KẾ HOẠCH",
                "number_line": f"Số: {number:02d}/{symbol}", "date_line": "", "signer_lines": [],
                "data": {}, "blob_sha256": "f" * 64, "issued_at": now, "actor": "bench",
                "chain_seq": i, "prev_hash": "0" * 64, "row_hash": "0" * 64, "sealed": "{}",
            })  # fmt: skip
            batch_texts.append({"document_id": i, "body": body})
            batch_fts.append({
                "id": i, "subject": index_words(subject),
                "notation": index_words(f"{number:02d}/{symbol}"),
                "issuer": "uy ban nhan dan tinh kien giang ubnd tinh", "signer": "mai van huynh",
                "recipients": "", "body": index_words(body),
            })  # fmt: skip
            if len(batch_docs) == 5000:
                _flush(session, batch_docs, batch_texts, batch_fts)
        _flush(session, batch_docs, batch_texts, batch_fts)
        session.execute(
            insert(RegisterCounter),
            [
                {"register_id": 1, "year": y, "last_number": n, "last_date": date(y, 12, 31)}
                for y, n in per_year.items()
            ],
        )
        session.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO document_fts(document_fts) VALUES ('optimize')")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def _flush(session, docs, texts, fts) -> None:
    if not docs:
        return
    session.execute(insert(Document), docs)
    session.execute(insert(DocumentText), texts)
    session.execute(
        text(
            "INSERT INTO document_fts(rowid, subject, notation, issuer, signer, recipients, body) "
            "VALUES (:id, :subject, :notation, :issuer, :signer, :recipients, :body)"
        ),
        fts,
    )
    docs.clear()
    texts.clear()
    fts.clear()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def bench(db: Database, runs: int) -> None:
    rng = random.Random(7)
    with db.session() as session:  # look up numbers that exist, as a clerk would
        known = session.execute(
            text("SELECT code_number, symbol, year FROM document WHERE id % 997 = 0")
        ).all()
    cases = {
        "number lookup (05/KH-UBND, year)": lambda: SearchQuery(
            number="{}/{}".format(*(pick := rng.choice(known))[:2]), year=pick[2]
        ),
        f"rare word ({fold(RARE)})": lambda: SearchQuery(q=fold(RARE)),
        "common word (thi dua)": lambda: SearchQuery(q="thi dua"),
        'diacritic-free phrase ("dien hinh tien tien")': lambda: SearchQuery(
            q='"dien hinh tien tien"'
        ),
    }
    bare_terms = {
        "number lookup (05/KH-UBND, year)": "05 kh ubnd",
        f"rare word ({fold(RARE)})": fold(RARE),
        "common word (thi dua)": "thi dua",
        'diacritic-free phrase ("dien hinh tien tien")': '"dien hinh tien tien"',
    }
    with db.session() as session:
        for label, make in cases.items():
            timings, bare, total = [], [], 0
            match = fts5_expression(parse_terms(bare_terms[label]))
            if label.startswith("number"):
                match = fts5_expression([["05", "kh", "ubnd"]])
            for _ in range(runs):
                query = make()
                t = time.perf_counter()
                page = search(session, query, actor=system_actor("bench"))
                timings.append((time.perf_counter() - t) * 1000)
                total = page.total
                t = time.perf_counter()
                session.execute(
                    text(
                        "SELECT rowid FROM document_fts WHERE document_fts MATCH :m "
                        f"ORDER BY {_BM25} LIMIT 20"
                    ),
                    {"m": match},
                ).all()
                bare.append((time.perf_counter() - t) * 1000)
            p50, p95 = _percentiles(timings)
            b50, b95 = _percentiles(bare)
            print(
                f"{label:48s} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  (matches {total:6d}) | "
                f"bare FTS5 p50 {b50:7.2f} ms p95 {b95:7.2f} ms | "
                f"ratio p50 {p50 / b50:5.2f}× p95 {p95 / b95:5.2f}×"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--database", type=Path, help="reuse (or create) this SQLite file")
    args = parser.parse_args()
    path = args.database or Path(tempfile.mkdtemp(prefix="docgen-search-")) / "search.sqlite3"
    fresh = not path.exists()
    db = Database.from_url(f"sqlite:///{path}")
    if fresh:
        upgrade(db.engine)
        t = time.perf_counter()
        generate(db, args.documents)
        print(f"Generated {args.documents} documents in {time.perf_counter() - t:.1f} s ({path})")
    bench(db, args.runs)


if __name__ == "__main__":
    main()
