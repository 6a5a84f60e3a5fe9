"""Issuance benchmarks: SQLite documents/s and one issuance vs one plain docxtpl render;
8 concurrent clients on PostgreSQL (issuances/s, duplicates, gaps). Prints figures only.

    .venv/bin/python bench/bench_issue.py                 # both parts
    .venv/bin/python bench/bench_issue.py --skip-postgres
    DOCGEN_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/bench_issue.py --clients 8 --per-client 25
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from docxtpl import DocxTemplate
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import create_app  # noqa: E402
from docgen.database import make_engine, upgrade  # noqa: E402
from docgen.db import get_db  # noqa: E402
from docgen.models import Document  # noqa: E402
from docgen.records import load_records  # noqa: E402
from docgen.rendering.context import build_context  # noqa: E402
from docgen.rendering.documents import DocumentRenderer  # noqa: E402
from docgen.runtime import get_renderer  # noqa: E402
from docgen.services.clock import VIETNAM, FixedClock  # noqa: E402
from docgen.services.issuance import IssueRequest, issue_document  # noqa: E402
from docgen.services.lookup import load_records_into  # noqa: E402

RECORD = "ke-hoach-2017"
CLOCK_AT = datetime(2017, 3, 20, 9, tzinfo=VIETNAM)


def _request(records) -> IssueRequest:
    rec = records.document(RECORD)
    return IssueRequest(**rec.request())


def _app(url: str):
    return create_app(
        {
            "DOCGEN_DATABASE_URL": url,
            "DOCGEN_AUTO_MIGRATE": False,
            "DOCGEN_CLOCK": FixedClock(CLOCK_AT),
        }
    )


def _issue_once(app, request, clock) -> None:
    with get_db(app).session() as session:
        issue_document(session, request, actor="bench", clock=clock, renderer=get_renderer(app))
        session.commit()


def _plain_docxtpl(records, renderer: DocumentRenderer):
    """Return a function doing one plain docxtpl render of the same document (no docgen cache)."""
    rec = records.document(RECORD)
    prepared = renderer.prepare(records, **rec.request())
    context = build_context(prepared, number=5, issue_date=CLOCK_AT.date(), year=2017)
    env = renderer.engine.env

    def render() -> bytes:
        template = DocxTemplate(str(prepared.spec.path))
        template.render(context, jinja_env=env, autoescape=True)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()

    return render


def bench_sqlite(records, count: int, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(make_engine(url))
    app = _app(url)
    clock = app.extensions["docgen.clock"]
    with get_db(app).session() as session:
        load_records_into(session, records)
        session.commit()
    request = _request(records)
    plain = _plain_docxtpl(records, get_renderer(app))
    renderer_only = _renderer_only(records, get_renderer(app))
    for _ in range(3):
        _issue_once(app, request, clock)
        plain()
    start = time.perf_counter()
    for _ in range(count):
        _issue_once(app, request, clock)
    elapsed = time.perf_counter() - start
    print(f"SQLite: {count} issuances in {elapsed:.2f} s = {count / elapsed:.1f} documents/s")

    issue_ms, plain_ms, engine_ms = [], [], []
    for _ in range(rounds):  # interleaved, so drift hits all three alike
        t = time.perf_counter()
        _issue_once(app, request, clock)
        issue_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        plain()
        plain_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        renderer_only()
        engine_ms.append((time.perf_counter() - t) * 1000)
    i, p, e = (statistics.median(x) for x in (issue_ms, plain_ms, engine_ms))
    print(f"  one issuance (median of {rounds}): {i:.1f} ms")
    print(
        f"  one plain docxtpl render of the same document: {p:.1f} ms "
        f"→ ratio {i / p:.2f}× (goal ≤ 1.25×)"
    )
    print(f"  one docgen render (cached engine, no number/DB): {e:.1f} ms → ratio {i / e:.2f}×")


def _renderer_only(records, renderer: DocumentRenderer):
    rec = records.document(RECORD)
    prepared = renderer.prepare(records, **rec.request())
    return lambda: renderer.render(prepared, number=5, issue_date=CLOCK_AT.date())


def _client(url: str, records, count: int, start, errors) -> None:
    try:
        app = _app(url)
        request = _request(records)
        clock = app.extensions["docgen.clock"]
        _issue_once(app, request, clock)  # warm caches and the connection before the start
        start.wait()
        for _ in range(count):
            _issue_once(app, request, clock)
    except BaseException as exc:
        errors.put(repr(exc))
        os._exit(1)
    os._exit(0)


def bench_postgres(records, base_url: str, clients: int, per_client: int) -> None:
    schema = f"docgen_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    try:
        upgrade(make_engine(url_text))
        app = _app(url_text)
        with get_db(app).session() as session:
            load_records_into(session, records)
            session.commit()
        get_db(app).engine.dispose()
        fork = multiprocessing.get_context("fork")
        start, errors = fork.Event(), fork.Queue()
        procs = [
            fork.Process(target=_client, args=(url_text, records, per_client, start, errors))
            for _ in range(clients)
        ]
        for p in procs:
            p.start()
        time.sleep(3)  # let every client import, connect and warm up before the clock starts
        t = time.perf_counter()
        start.set()
        for p in procs:
            p.join()
        elapsed = time.perf_counter() - t
        if any(p.exitcode for p in procs):
            print("PostgreSQL: a client failed:", errors.get(timeout=1))
            return
        with get_db(app).session() as session:
            numbers = session.scalars(select(Document.number).order_by(Document.number)).all()
            dupes = len(numbers) - len(set(numbers))
            gaps = len(set(range(1, max(numbers) + 1)) - set(numbers))
            total = session.scalar(select(func.count()).select_from(Document))
        timed = clients * per_client
        print(
            f"PostgreSQL, {clients} concurrent clients (processes): {timed} issuances in "
            f"{elapsed:.2f} s "
            f"= {timed / elapsed:.1f} issuances/s (goal ≥ 25/s); {total} documents, "
            f"numbers 1..{max(numbers)}, {dupes} duplicates, {gaps} gaps"
        )
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "DOCGEN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    records = load_records(ROOT / "records")
    print(f"Document: {RECORD} (template ke-hoach, {os.cpu_count()} CPUs)")
    bench_sqlite(records, args.count, args.rounds)
    if not args.skip_postgres:
        bench_postgres(records, args.postgres_url, args.clients, args.per_client)


if __name__ == "__main__":
    main()
