"""Benchmark: the drafting desk's live preview, from the preview request to page 1's PNG.

In one run, on the 2017 plan (records/documents/ke-hoach-2017.yaml) with the converter warm.
"request → PNG" = ``GET /drafting/<id>/preview?version=N`` (the fragment) then ``GET …/<N>/1.png``,
through the Flask app in-process. Every round first saves the draft with a changed summary.
  (a)  as the page behaves: the save starts the background build (``start_build``, what the
       form's save calls), the panel asks 600 ms later (its ``delay:600ms``): request → PNG,
       i.e. the clerk's wait after the debounce;
  (a0) cold path: the save starts no build, the request converts (render, convert, page 1);
  (e)  save → PNG: from the start of the save to page 1's PNG (600 ms pause included);
  (b)  the same version again (content-addressed cache hit);
  (f)  the format check's own request, after the pages;
  (c)  the floor with the raw libraries: docxtpl render + LibreOffice convert through the same
       warm pool + ``pdftoppm -png`` page 1 (and (c') with docgen's PPM + zlib-1 rasteriser);
  (d)  5 clerks at once, each saving then asking 600 ms later, as the page does ((d0): cold);
  (r)  rasterising page 1 alone: pdftoppm -png vs PPM + zlib at several dpi.
Prints figures and ratios; asserts nothing. Goals (issue 9): request → PNG p95 ≤ 200 ms and
≤ 1.3 × the floor (c); 5 clerks p95 ≤ 1 s.

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
from docgen.web.drafting.preview import preview_builds, start_build  # noqa: E402

RECORD = "ke-hoach-2017"
CLOCK_AT = datetime(2017, 3, 20, 9, tzinfo=VIETNAM)
PASSWORD = "Bench-mật-khẩu-2026"
PAUSE = 0.6  # the panel's hx-trigger "draft-saved from:body delay:600ms"


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

    def save(self, clerk: int, *, build: bool) -> int:
        """Save as the form does: store the edit, then (``build``) start the preview build."""
        version = self.edit(clerk)
        if build:
            with self.app.app_context():
                start_build(self.drafts[clerk], version, actor_for(self.users[clerk]))
        return version

    def drain(self) -> None:
        with self.app.app_context():
            builds = preview_builds()
            if builds is not None:
                builds.wait(120)

    def client(self, clerk: int):
        client = self.app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = self.users[clerk].get_id()
            session["_fresh"] = True
        return client

    def check(self, client, clerk: int) -> float:
        """Return ms of the format check's own request (the panel's second request)."""
        draft_id, version = self.drafts[clerk], self.versions[clerk]
        began = time.perf_counter()
        response = client.get(f"/drafting/{draft_id}/preview/{version}/check")
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200 or "check-" not in response.get_data(as_text=True):
            raise SystemExit(f"check failed: {response.status_code}")
        return elapsed

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
        desk.save(0, build=True)
        time.sleep(PAUSE)
        desk.preview(client, 0)
        desk.save(0, build=False)
        desk.preview(client, 0)
        desk.check(client, 0)
        floor_once(desk, ppm=False)
        floor_once(desk, ppm=True)
    after_pause, cold, save_to_png, cached, check = [], [], [], [], []
    floor, floor_ppm = [], []
    parts: dict[str, list[float]] = {"render": [], "convert": [], "rasterise": []}
    for _ in range(rounds):  # interleaved, so drift hits all alike
        began = time.perf_counter()
        desk.save(0, build=True)
        time.sleep(PAUSE - (time.perf_counter() - began))  # the pause counts from the save
        after_pause.append(desk.preview(client, 0))
        save_to_png.append((time.perf_counter() - began) * 1000)
        cached.append(desk.preview(client, 0))  # same version again: a cache hit
        check.append(desk.check(client, 0))
        desk.drain()
        desk.save(0, build=False)
        cold.append(desk.preview(client, 0))
        total, split = floor_once(desk, ppm=False)
        floor.append(total)
        for key, value in split.items():
            parts[key].append(value)
        floor_ppm.append(floor_once(desk, ppm=True)[0])
    print(f"2017 plan, {rounds} rounds, converter warm ({get_converter(desk.app).workers} workers)")
    print(line("(a)  request → page 1 PNG, asked 600 ms after the save", after_pause))
    print(line("(a0) request → page 1 PNG, cold (no build at save)", cold))
    print(line("(e)  save → page 1 PNG (600 ms pause included)", save_to_png))
    print(line("(b)  request → page 1 PNG, unchanged (cache hit)", cached))
    print(line("(f)  the format check's own request (after the pages)", check))
    print(line("(c)  floor: render + convert + pdftoppm -png page 1", floor))
    for key, values in parts.items():
        print(line(f"       of which {key}", values))
    print(line("(c') floor with docgen's PPM + zlib-1 rasteriser", floor_ppm))
    c95, cm = pct(floor, 0.95), statistics.median(floor)
    p95_, pm = pct(floor_ppm, 0.95), statistics.median(floor_ppm)
    for name, values in (("(a) ", after_pause), ("(a0)", cold)):
        m, p95 = statistics.median(values), pct(values, 0.95)
        print(f"{name} / (c): median {m / cm:.2f}×  p95 {p95 / c95:.2f}×  (goal ≤ 1.30×) · "
              f"/ (c'): median {m / pm:.2f}×  p95 {p95 / p95_:.2f}× · "
              f"p95 {p95:.0f} ms (goal ≤ 200 ms)")  # fmt: skip
    e95 = pct(save_to_png, 0.95)
    print(f"(e) p95 {e95:.0f} ms = {PAUSE * 1000:.0f} ms pause + {e95 - PAUSE * 1000:.0f} ms")


def bench_clerks(desk: Desk, clerks: int, rounds: int, *, build: bool) -> None:
    clients = [desk.client(i) for i in range(clerks)]
    times: list[float] = []
    whole: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(clerks)

    def clerk(i: int) -> None:
        for _ in range(rounds):
            barrier.wait()
            began = time.perf_counter()
            try:
                desk.save(i, build=build)
                if build:
                    time.sleep(max(0.0, PAUSE - (time.perf_counter() - began)))
                times.append(desk.preview(clients[i], i))
                whole.append((time.perf_counter() - began) * 1000)
                desk.check(clients[i], i)  # the panel's second request, as the page makes it
            except BaseException as exc:  # counted and printed below
                errors.append(repr(exc))

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(clerks)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    desk.drain()
    elapsed = time.perf_counter() - began
    how = "save starts the build, asked 600 ms later" if build else "cold, no build at save"
    tag = "(d) " if build else "(d0)"
    print(f"{clerks} clerks saving at once then previewing, {rounds} rounds each, {how} "
          f"({elapsed:.1f} s):")  # fmt: skip
    print(line(f"{tag} request → page 1 PNG", times))
    if build:
        print(line("(d-e) save → page 1 PNG (600 ms pause included)", whole))
    print(f"{tag} p95 {pct(times, 0.95):.0f} ms (goal ≤ 1000 ms); errors: {len(errors)} "
          f"{errors[:2]}")  # fmt: skip


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
        bench_clerks(desk, args.clerks, args.clerk_rounds, build=True)
        bench_clerks(desk, args.clerks, args.clerk_rounds, build=False)
        bench_rasterise(desk)
    finally:
        get_converter(desk.app).close()


if __name__ == "__main__":
    main()
