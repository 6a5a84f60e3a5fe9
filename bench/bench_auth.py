"""Auth benchmark: sign-in and an authenticated API search under concurrent clients against
the app under gunicorn (gthread), with the ratio to the same search without authentication.

    .venv/bin/python bench/bench_auth.py                      # 20 clients, 3 rounds
    .venv/bin/python bench/bench_auth.py --clients 20 --requests 25 --rounds 3

Two gunicorn servers run the same app on the same database: one as production serves it
(``docgen:create_app()``: bearer token → user → actor, route gate), one built here by
``noauth_app()`` whose per-request hook sets a fixed actor loaded at start-up (no token
lookup) — a bench-local comparison, never a setting of the app. Rounds alternate between
the two so that load from other processes on the machine falls on both alike. Sign-in is
the login form's POST (argon2id with the production parameters) beside the GET of the
same form page. Prints figures only; the goal is that auth adds at most 10 % at p95.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USERNAME = "văn.thư.bench"
PASSWORD = "mật khẩu bench 2017 đủ dài"
SEARCH = "/api/v1/documents?q=dien+hinh+tien+tien"
SAMPLES = ("ke-hoach-2017", "cong-van-de-nghi-2017", "to-trinh-2017", "bao-cao-6-thang-2017")


def prepare(database_url: str) -> str:
    """Return a raw API token after migrating, loading records, issuing samples, adding a user."""
    from datetime import date

    from docgen import create_app
    from docgen.db import get_db
    from docgen.policy import system_actor
    from docgen.records import load_records
    from docgen.runtime import get_renderer
    from docgen.services.accounts import create_token, create_user
    from docgen.services.clock import SystemClock
    from docgen.services.issuance import IssueRequest, issue_document
    from docgen.services.lookup import load_records_into

    app = create_app({"DOCGEN_DATABASE_URL": database_url, "DOCGEN_AUTO_MIGRATE": True})
    console, clock = system_actor("bench"), SystemClock()
    records = load_records(ROOT / "records")
    with get_db(app).session() as session:
        load_records_into(session, records, actor=console)
        for code, month in zip(SAMPLES, (3, 3, 4, 6), strict=True):
            request = IssueRequest(**{**records.document(code).request(),
                                      "issue_date": date(2017, month, 20)})  # fmt: skip
            issue_document(session, request, actor=console, clock=clock,
                           renderer=get_renderer(app))  # fmt: skip
        user, _ = create_user(
            session, username=USERNAME, name="Văn thư (bench)", organisation="ubnd-tinh",
            roles=["registrar"], password=PASSWORD, actor=console, now=clock.now(),
        )  # fmt: skip
        _, token = create_token(session, user, name="bench", actor=console, now=clock.now())
        session.commit()
    get_db(app).engine.dispose()
    return token


def noauth_app():
    """Return the app with its per-request actor hook replaced by a fixed actor (bench only)."""
    from flask import g

    from docgen import create_app, identity
    from docgen.db import get_session
    from docgen.services.accounts import actor_for, user_by_username

    app = create_app()
    with app.app_context():
        actor = actor_for(user_by_username(get_session(), USERNAME))

    def fixed_actor() -> None:
        g.actor = actor

    hooks = app.before_request_funcs[None]
    hooks[hooks.index(identity._resolve_and_gate)] = fixed_actor
    return app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec: str, env: dict[str, str], workers: int, threads: int):
    """Return (process, base URL) of a gunicorn gthread server, once it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--worker-class", "gthread",
         "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(ROOT / "bench"), "--log-level", "warning", app_spec],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{base}/api/v1/openapi.json", timeout=10).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn {app_spec} did not start")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_clients(clients: int, each: int, one: Callable[[requests.Session], float]) -> list[float]:
    """Return the latencies (s) of ``clients`` threads doing ``each`` requests at once."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client() -> None:
        with requests.Session() as http:
            start.wait()
            for _ in range(each):
                try:
                    took = one(http)
                except Exception as exc:  # counted, reported, never silently dropped
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    latencies.append(took)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} errors, e.g. {errors[0]}")
    return latencies


def timed_get(url: str, headers: dict[str, str]) -> Callable[[requests.Session], float]:
    def one(http: requests.Session) -> float:
        t0 = time.perf_counter()
        response = http.get(url, headers=headers, timeout=60)
        took = time.perf_counter() - t0
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return took

    return one


def sign_in(base: str, *, post: bool) -> Callable[[requests.Session], float]:
    """Return one sign-in (GET the form, POST it; timed: the POST) or only the form's GET."""

    def one(http: requests.Session) -> float:
        http.cookies.clear()
        t0 = time.perf_counter()
        page = http.get(f"{base}/login", timeout=60)
        took = time.perf_counter() - t0
        if page.status_code != 200:
            raise RuntimeError(f"/login: {page.status_code}")
        if not post:
            return took
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        data = {"username": USERNAME, "password": PASSWORD,
                "csrf_token": token.group(1) if token else ""}  # fmt: skip
        t0 = time.perf_counter()
        response = http.post(f"{base}/login", data=data, allow_redirects=False, timeout=60)
        took = time.perf_counter() - t0
        if response.status_code != 302:
            raise RuntimeError(f"POST /login: {response.status_code}")
        return took

    return one


def pct(values: list[float], q: float) -> float:
    """Return the ``q`` quantile of ``values`` in milliseconds."""
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="per client and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    os.environ["DOCGEN_SECRET_KEY"] = secrets.token_hex(32)  # a fresh key, nothing written
    with tempfile.TemporaryDirectory(prefix="docgen-bench-auth-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        token = prepare(url)
        env = {**os.environ, "DOCGEN_DATABASE_URL": url, "DOCGEN_AUTO_MIGRATE": "0",
               "DOCGEN_RENDITIONS_ON_ISSUE": "0", "PYTHONPATH": str(ROOT)}  # fmt: skip
        auth, auth_base = start_gunicorn("docgen:create_app()", env, args.workers, args.threads)
        try:
            plain, plain_base = start_gunicorn(
                "bench_auth:noauth_app()", env, args.workers, args.threads
            )
        except BaseException:
            stop(auth)
            raise
        try:
            headers = {"Authorization": f"Bearer {token}"}
            with_auth, without = [], []
            for _ in range(args.rounds):
                with_auth += run_clients(
                    args.clients, args.requests, timed_get(auth_base + SEARCH, headers)
                )
                without += run_clients(
                    args.clients, args.requests, timed_get(plain_base + SEARCH, {})
                )
            sign_ins = run_clients(args.clients, 5, sign_in(auth_base, post=True))
            forms = run_clients(args.clients, 5, sign_in(auth_base, post=False))
        finally:
            stop(auth)
            stop(plain)

    print(f"gunicorn gthread {args.workers}×{args.threads}, {args.clients} concurrent clients, "
          f"SQLite, {os.cpu_count()} cores (shared)")  # fmt: skip
    print(f"API search with bearer token : p50 {pct(with_auth, .5):7.1f} ms  "
          f"p95 {pct(with_auth, .95):7.1f} ms  ({len(with_auth)} requests)")  # fmt: skip
    print(f"same search, fixed actor     : p50 {pct(without, .5):7.1f} ms  "
          f"p95 {pct(without, .95):7.1f} ms  ({len(without)} requests)")  # fmt: skip
    print(f"ratio with/without auth      : p50 {pct(with_auth, .5) / pct(without, .5):.2f}  "
          f"p95 {pct(with_auth, .95) / pct(without, .95):.2f}  (goal: p95 ≤ 1.10)")  # fmt: skip
    if sign_ins and forms:
        print(f"sign-in POST (argon2id)      : p50 {pct(sign_ins, .5):7.1f} ms  "
              f"p95 {pct(sign_ins, .95):7.1f} ms  ({len(sign_ins)} sign-ins)")  # fmt: skip
        print(f"sign-in form GET             : p50 {pct(forms, .5):7.1f} ms  "
              f"p95 {pct(forms, .95):7.1f} ms  → POST/GET p95 "
              f"{pct(sign_ins, .95) / pct(forms, .95):.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
