"""Benchmark: the drafting desk's live preview, from the preview request to page 1's PNG.

In one run, on the 2017 plan (records/documents/ke-hoach-2017.yaml) with the converter warm:
  (a) docgen: ``GET /drafting/<id>/preview?version=N`` (fragment: render, convert, count, page 1,
      check) then ``GET …/<N>/1.png``, through the Flask app in-process; the draft is saved
      with a changed summary before every round, so every round converts (no cache hit);
  (b) the same with the draft unchanged (content-addressed cache hit);
  (c) the floor with the raw libraries: docxtpl render + LibreOffice convert through the same
      warm pool + ``pdftoppm -png`` page 1 (and the floor with pdftoppm's PPM + zlib-1 PNG);
  (d) 5 clerks previewing at once (each their own draft, saved before each round);
  (e) rasterising page 1 alone: pdftoppm -png vs PPM + zlib at several dpi.
Prints figures and ratios; asserts nothing. Goals (issue 9): (a) p95 ≤ 200 ms and ≤ 1.3 × (c);
(d) p95 ≤ 1 s.

    .venv/bin/python bench/bench_preview.py [--rounds 20] [--clerk-rounds 6] [--clerks 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import create_app  # noqa: E402
from docgen.database import make_engine, upgrade  # noqa: E402
from docgen.db import get_db  # noqa: E402
from docgen.policy import system_actor  # noqa: E402
from docgen.records import load_records  # noqa: E402
from docgen.rendering.previews import page_png  # noqa: E402
from docgen.runtime import get_converter, get_renderer  # noqa: E402
from docgen.services import drafts  # noqa: E402
from docgen.services.accounts import actor_for, create_user  # noqa: E402
from docgen.services.chain import plain  # noqa: E402
from docgen.services.clock import VIETNAM, FixedClock  # noqa: E402
from docgen.services.lookup import load_records_into  # noqa: E402

RECORD = "ke-hoach-2017"
CLOCK_AT = datetime(2017, 3, 20, 9, tzinfo=VIETNAM)
PASSWORD = "Bench-mật-khẩu-2026"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<58} median {statistics.median(values):7.1f} ms  p95 {pct(values, 0.95):7.1f} ms"
        f"  (n={len(values)})"
    )


class Desk:
    """An app on a fresh SQLite database with the records, clerks and one draft each."""

    def __init__(self, clerks: int) -> None:
        folder = Path(tempfile.mkdtemp(prefix="docgen-bench-preview-"))
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        upgrade(make_engine(url))
        self.app = create_app({
            "DOCGEN_DATABASE_URL": url, "DOCGEN_AUTO_MIGRATE": False,
            "DOCGEN_CLOCK": FixedClock(CLOCK_AT), "DOCGEN_INSTANCE_DIR": folder / "instance",
        })  # fmt: skip
        self.records = load_records(ROOT / "records")
        self.request = self.records.document(RECORD).request()
        self.now = CLOCK_AT
        with get_db(self.app).session() as session:
            load_records_into(session, self.records)
            session.commit()
        self.users = [self._user(f"bench-chuyen-vien-{i}") for i in range(clerks)]
        self.drafts = [self._draft(user) for user in self.users]
        self.versions = [1] * clerks
        self.edits = 0
        self._lock = threading.Lock()

    def _user(self, name: str):
        with get_db(self.app).session() as session:
            user, _ = create_user(session, username=name, name=name, organisation="ubnd-tinh",
                                  roles=["drafter"], password=PASSWORD, signer=None,
                                  actor=system_actor("bench"), now=self.now)  # fmt: skip
            session.commit()
            return user

    def _draft(self, user) -> int:
        with get_db(self.app).session() as session:
            draft = drafts.create_draft(
                session, actor=actor_for(user), renderer=get_renderer(self.app), now=self.now,
                template=self.request["template"], data=plain(self.request["fields"]),
                signer=self.request["signer"], recipients=self.request["recipients"],
                unit=self.request["unit"],
            )  # fmt: skip
            session.commit()
            return draft.id

    def edit(self, clerk: int) -> int:
        """Save the clerk's draft with a changed summary (as typing does); return the version."""
        with self._lock:
            self.edits += 1
            n = self.edits
        data = plain(self.request["fields"])
        data["summary"] = f"{data['summary']} (lần sửa {n})"
        with get_db(self.app).session() as session:
            draft = drafts.update_draft(
                session, self.drafts[clerk], actor=actor_for(self.users[clerk]),
                version=self.versions[clerk], now=self.now, data=data,
            )  # fmt: skip
            session.commit()
            self.versions[clerk] = draft.version
        return self.versions[clerk]

    def client(self, clerk: int):
        client = self.app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = self.users[clerk].get_id()
            session["_fresh"] = True
        return client

    def preview(self, client, clerk: int) -> float:
        """Return ms from the preview request to page 1's PNG (fragment, then the image)."""
        draft_id, version = self.drafts[clerk], self.versions[clerk]
        began = time.perf_counter()
        fragment = client.get(f"/drafting/{draft_id}/preview?version={version}",
                              headers={"HX-Request": "true"})  # fmt: skip
        image = client.get(f"/drafting/{draft_id}/preview/{version}/1.png")
        elapsed = (time.perf_counter() - began) * 1000
        body = fragment.get_data(as_text=True)
        if fragment.status_code != 200 or "<img" not in body or image.status_code != 200:
            raise SystemExit(f"preview failed: {fragment.status_code} {image.status_code} "
                             f"{body[:300]}")  # fmt: skip
        return elapsed


def floor_once(desk: Desk, *, ppm: bool) -> tuple[float, dict[str, float]]:
    """Return ms of the raw libraries: render, convert (same warm pool), page 1 PNG."""
    renderer, converter = get_renderer(desk.app), get_converter(desk.app)
    data = plain(desk.request["fields"])
    data["summary"] = f"{data['summary']} (sàn {time.perf_counter_ns()})"
    prepared = renderer.prepare(desk.records, **{**desk.request, "fields": data})
    t0 = time.perf_counter()
    docx = renderer.render(prepared, number=None, issue_date=None, year=2017).docx
    t1 = time.perf_counter()
    pdf = converter.to_pdf(docx)
    t2 = time.perf_counter()
    if ppm:
        page_png(pdf, 1, dpi=80)
    else:
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"],
                       input=pdf, capture_output=True, check=True)  # fmt: skip
    t3 = time.perf_counter()
    parts = {"render": t1 - t0, "convert": t2 - t1, "rasterise": t3 - t2}
    return (t3 - t0) * 1000, {k: v * 1000 for k, v in parts.items()}


def bench_single(desk: Desk, rounds: int) -> None:
    client = desk.client(0)
    for _ in range(3):  # warm: LibreOffice started, templates compiled, caches filled
        desk.edit(0)
        desk.preview(client, 0)
        floor_once(desk, ppm=False)
        floor_once(desk, ppm=True)
    ours, cached, floor, floor_ppm = [], [], [], []
    parts: dict[str, list[float]] = {"render": [], "convert": [], "rasterise": []}
    for _ in range(rounds):  # interleaved, so drift hits all alike
        desk.edit(0)
        ours.append(desk.preview(client, 0))
        cached.append(desk.preview(client, 0))  # same version again: a cache hit
        total, split = floor_once(desk, ppm=False)
        floor.append(total)
        for key, value in split.items():
            parts[key].append(value)
        floor_ppm.append(floor_once(desk, ppm=True)[0])
    print(f"2017 plan, {rounds} rounds, converter warm ({get_converter(desk.app).workers} workers)")
    print(line("(a) docgen preview → page 1 PNG (draft changed each round)", ours))
    print(line("(b) docgen preview → page 1 PNG (unchanged: cache hit)", cached))
    print(line("(c) floor: render + convert + pdftoppm -png page 1", floor))
    for key, values in parts.items():
        print(line(f"      of which {key}", values))
    print(line("(c') floor with pdftoppm PPM + zlib-1 PNG (docgen's rasteriser)", floor_ppm))
    a95, c95, c95p = pct(ours, 0.95), pct(floor, 0.95), pct(floor_ppm, 0.95)
    am, cm, cmp_ = (statistics.median(x) for x in (ours, floor, floor_ppm))
    print(f"ratio (a)/(c):  median {am / cm:.2f}×  p95 {a95 / c95:.2f}×   (goal ≤ 1.30×)")
    print(f"ratio (a)/(c'): median {am / cmp_:.2f}×  p95 {a95 / c95p:.2f}×")
    print(f"(a) p95 {a95:.0f} ms (goal ≤ 200 ms)")


def bench_clerks(desk: Desk, clerks: int, rounds: int) -> None:
    clients = [desk.client(i) for i in range(clerks)]
    times: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(clerks)

    def clerk(i: int) -> None:
        for _ in range(rounds):
            desk.edit(i)
            barrier.wait()
            try:
                times.append(desk.preview(clients[i], i))
            except BaseException as exc:  # counted and printed below
                errors.append(repr(exc))

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(clerks)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    print(f"{clerks} clerks previewing at once, {rounds} rounds each ({elapsed:.1f} s):")
    print(line("(d) preview → page 1 PNG", times))
    print(f"(d) p95 {pct(times, 0.95):.0f} ms (goal ≤ 1000 ms); errors: {len(errors)} {errors[:2]}")


def bench_rasterise(desk: Desk) -> None:
    renderer, converter = get_renderer(desk.app), get_converter(desk.app)
    prepared = renderer.prepare(desk.records, **desk.request)
    pdf = converter.to_pdf(renderer.render(prepared, number=None, issue_date=None, year=2017).docx)
    print("page 1 rasterised alone (median of 10):")
    for dpi in (60, 80, 96):
        png_ms, ppm_ms = [], []
        for _ in range(10):
            t = time.perf_counter()
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1",
                            "-singlefile"], input=pdf, capture_output=True, check=True)  # fmt: skip
            png_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            page_png(pdf, 1, dpi=dpi)
            ppm_ms.append((time.perf_counter() - t) * 1000)
        print(f"  {dpi:3d} dpi: pdftoppm -png {statistics.median(png_ms):6.1f} ms · "
              f"PPM + zlib-1 (with page count) {statistics.median(ppm_ms):6.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clerks", type=int, default=5)
    parser.add_argument("--clerk-rounds", type=int, default=6)
    args = parser.parse_args()
    desk = Desk(args.clerks)
    get_converter(desk.app).start()
    try:
        bench_single(desk, args.rounds)
        bench_clerks(desk, args.clerks, args.clerk_rounds)
        bench_rasterise(desk)
    finally:
        get_converter(desk.app).close()


if __name__ == "__main__":
    main()
