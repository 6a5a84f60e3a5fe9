"""Serving benchmark: concurrent HTTP clients issuing through the API against gunicorn + a job
worker (``scripts/run.sh``) on PostgreSQL and Redis, then the same run on Flask's development
server for the ratio. Prints issuances/s, p50/p95 latency, errors, duplicates, gaps, and how
long after the last issue the workers had made every PDF and PDF/A.

    .venv/bin/python bench/bench_serve.py                       # 20 clients, 60 s per server
    .venv/bin/python bench/bench_serve.py --clients 20 --duration 60 --renditions-timeout 1800
    .venv/bin/python bench/bench_serve.py --no-renditions --flask-first   # the servers alone
    DOCGEN_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
    DOCGEN_BENCH_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/bench_serve.py

Each server gets a database of its own (created, then dropped) and a queue name of its own.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.records import load_records  # noqa: E402
from docgen.services.chain import plain  # noqa: E402

BIN = Path(sys.executable).parent
RECORD = "ke-hoach-2017"
USER = "bench-van-thu"
PASSWORD = "Bench-mật-khẩu-2026"


@dataclass
class Run:
    """What the clients saw during one timed run."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    numbers: list[tuple[str, int]] = field(default_factory=list)  # (notation symbol, number)
    elapsed: float = 0.0
    last_issue: float = 0.0  # time.monotonic() of the last successful response
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def docgen(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    """Return the standard output of ``docgen ARGS``; exit on failure."""
    done = subprocess.run(
        [str(BIN / "docgen"), *args], env=env, input=stdin, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"docgen {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def request_body() -> bytes:
    """Return the JSON body that issues the recorded 2017 plan."""
    rec = load_records(ROOT / "records").document(RECORD).request()
    body = {k: v for k, v in rec.items() if k != "fields" and v is not None}
    return json.dumps({**body, "data": plain(rec["fields"])}, ensure_ascii=False).encode()


def client(port: int, token: str, body: bytes, stop_at: float, run: Run) -> None:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            connection.request("POST", "/api/v1/documents", body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as exc:
            with run.lock:
                run.errors.append(type(exc).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            continue
        finished = time.monotonic()
        with run.lock:
            if response.status == 201:
                document = json.loads(payload)
                run.latencies.append(finished - started)
                run.numbers.append((document.get("symbol", ""), document["number"]))
                run.last_issue = max(run.last_issue, finished)
            else:
                run.errors.append(f"{response.status} {payload[:200]!r}")
    connection.close()


def hammer(port: int, token: str, clients: int, duration: float) -> Run:
    """Return what ``clients`` threads saw issuing for ``duration`` seconds."""
    body = request_body()
    run = Run()
    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(port, token, body, started + duration, run))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.elapsed = time.monotonic() - started
    return run


def wait_ready(port: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("the server did not become ready")


# Per register and year: how many numbers, the lowest and the highest (1..N means no gap).
_NUMBER_RANGES = (
    "SELECT count(*), min(number), max(number) FROM document GROUP BY register_id, year"
)


def archive_figures(url: str) -> dict[str, int]:
    """Return documents, duplicate numbers, gaps and renditions in the database at ``url``."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            scalar = lambda sql: connection.execute(text(sql)).scalar_one()  # noqa: E731
            groups = connection.execute(text(_NUMBER_RANGES)).all()
            return {
                "documents": scalar("SELECT count(*) FROM document"),
                "duplicates": scalar(
                    "SELECT count(*) FROM (SELECT 1 FROM document "
                    "GROUP BY register_id, year, number HAVING count(*) > 1) AS d"
                ),
                "gaps": sum(high - count for count, low, high in groups if low == 1)
                + sum(1 for _count, low, _high in groups if low != 1),
                "renditions": scalar("SELECT count(*) FROM rendition"),
            }
    finally:
        engine.dispose()


def cpu_seconds(roots: list[int]) -> float:
    """Return the CPU seconds (user + system) used so far by ``roots`` and their descendants."""
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                raw = (entry / "stat").read_text()
            except OSError:
                continue
            fields = raw[raw.rindex(")") + 2 :].split()
            ticks = int(fields[11]) + int(fields[12])
            stats[int(entry.name)] = (int(fields[1]), ticks / os.sysconf("SC_CLK_TCK"))
    wanted, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _cpu) in stats.items():
            if ppid == parent and pid not in wanted:
                wanted.add(pid)
                frontier.append(pid)
    return sum(stats[pid][1] for pid in wanted if pid in stats)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a server started by ``start`` the way Ctrl-C does, and wait for it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def one_server(kind: str, args: argparse.Namespace, admin_url: str, folder: Path) -> dict:
    """Return the figures of one timed run against ``kind`` ("gunicorn" or "flask")."""
    name = f"docgen_bench_serve_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env = {
        **clean,
        "DOCGEN_DATABASE_URL": url,
        "DOCGEN_INSTANCE_DIR": str(folder / kind),
        "DOCGEN_QUEUE_URL": args.redis,
        "DOCGEN_QUEUE_NAME": name,
        "DOCGEN_BIND": f"127.0.0.1:{port}",
        "DOCGEN_BACKUP_AT": "off",
        "DOCGEN_RENDITIONS_ON_ISSUE": "1" if args.renditions else "0",
        "DOCGEN_WEB_WORKERS": str(args.web_workers),
        "DOCGEN_WEB_THREADS": str(args.web_threads),
    }
    servers: list[subprocess.Popen] = []
    try:
        docgen(env, "init-db")
        docgen(env, "load-records")
        docgen(env, "users", "add", USER, "--name", "Văn thư đo tải", "--org", "ubnd-tinh",
               "--role", "registrar", stdin=f"{PASSWORD}\n")  # fmt: skip
        token = docgen(env, "tokens", "create", USER).strip().splitlines()[-1]
        if kind == "gunicorn":
            servers.append(start([str(ROOT / "scripts" / "run.sh")], env, folder / "run.log"))
        else:
            servers.append(start([str(BIN / "docgen"), "worker"], env, folder / "worker.log"))
            servers.append(
                start(
                    [str(BIN / "docgen"), "run", "--host", "127.0.0.1", "--port", str(port),
                     "--with-threads", "--no-reload", "--no-debugger"],
                    env,
                    folder / "flask.log",
                )
            )  # fmt: skip
        wait_ready(port)
        roots = [server.pid for server in servers]
        cpu_before = cpu_seconds(roots)
        run = hammer(port, token, args.clients, args.duration)
        figures = {"run": run, "cpu": cpu_seconds(roots) - cpu_before, **archive_figures(url)}
        if kind == "gunicorn" and args.renditions:
            deadline = time.monotonic() + args.renditions_timeout
            while archive_figures(url)["renditions"] < 2 * figures["documents"]:
                if time.monotonic() > deadline:
                    break
                time.sleep(1)
            done = archive_figures(url)["renditions"]
            figures["renditions"] = done
            figures["renditions_after"] = time.monotonic() - run.last_issue
        return figures
    finally:
        for server in reversed(servers):
            stop(server)
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
        _flush_queue(args.redis, name)


def _flush_queue(url: str, name: str) -> None:
    from huey import RedisHuey

    RedisHuey(name, url=url).storage.flush_all()


def report(kind: str, figures: dict) -> float:
    run: Run = figures["run"]
    rate = len(run.latencies) / run.elapsed
    q = statistics.quantiles(run.latencies, n=100) if len(run.latencies) > 1 else [0.0] * 99
    print(f"{kind:>8}: {rate:6.1f} issuances/s over {run.elapsed:.0f} s "
          f"({len(run.latencies)} issued), p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
          f"{len(run.errors)} errors, {figures['duplicates']} duplicates, "
          f"{figures['gaps']} gaps ({figures['documents']} documents in the database)")  # fmt: skip
    if run.latencies:
        print(f"          server CPU: {figures['cpu']:.0f} s, "
              f"{figures['cpu'] / len(run.latencies) * 1000:.0f} ms per issuance")  # fmt: skip
    if run.errors:
        print(f"          first errors: {run.errors[:3]}")
    if "renditions_after" in figures:
        wanted = 2 * figures["documents"]
        state = "all made" if figures["renditions"] >= wanted else "NOT all made"
        print(f"          renditions: {figures['renditions']}/{wanted} {state} "
              f"{figures['renditions_after']:.0f} s after the last issue")  # fmt: skip
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--renditions-timeout", type=float, default=1800.0)
    parser.add_argument("--skip-flask", action="store_true")
    parser.add_argument(
        "--no-renditions",
        dest="renditions",
        action="store_false",
        help="issue without queueing PDF renditions (the servers alone, for the ratio)",
    )
    parser.add_argument("--flask-first", action="store_true", help="run the dev server first")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--web-threads", type=int, default=8, help="threads per gunicorn process")
    parser.add_argument(
        "--redis", default=os.environ.get("DOCGEN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    args = parser.parse_args()
    admin_url = os.environ.get(
        "DOCGEN_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    renditions = "renditions queued" if args.renditions else "no renditions"
    print(f"{args.clients} clients × {args.duration:.0f} s issuing through POST /api/v1/documents "
          f"(PostgreSQL, Redis queue, {renditions})")  # fmt: skip
    kinds = ["gunicorn"] if args.skip_flask else ["gunicorn", "flask"]
    if args.flask_first:
        kinds.reverse()
    rates = {}
    with tempfile.TemporaryDirectory(prefix="docgen-bench-serve-") as tmp:
        for kind in kinds:
            rates[kind] = report(kind, one_server(kind, args, admin_url, Path(tmp)))
    if len(rates) == 2:
        print(f"   ratio: gunicorn / development server = {rates['gunicorn'] / rates['flask']:.2f}")


if __name__ == "__main__":
    main()
