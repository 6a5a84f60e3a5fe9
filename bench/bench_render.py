"""Benchmark: docgen's render against plain docxtpl on the same template and data, in one run.

Plain docxtpl = a new ``DocxTemplate`` + ``render`` (same Jinja environment settings:
autoescape) + ``save``, which is what docgen would cost without its compile cache.
Prints the median per document and the ratio (goal: docgen ≤ 0.8 × plain docxtpl).

    .venv/bin/python bench/bench_render.py [--record ke-hoach-2017] [--rounds 200]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment  # noqa: E402

from docgen.records import load_records  # noqa: E402
from docgen.rendering.context import build_context  # noqa: E402
from docgen.rendering.documents import DocumentRenderer  # noqa: E402


def plain_docxtpl(path: Path, context: dict) -> bytes:
    template = DocxTemplate(path)
    template.render(context, jinja_env=Environment(autoescape=True))
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", default="ke-hoach-2017")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    records = load_records(ROOT / "records")
    renderer = DocumentRenderer(ROOT / "templates")
    rec = records.document(args.record)
    prepared = renderer.prepare(records, **rec.request())
    year = rec.year or 2017
    context = build_context(prepared, number=None, issue_date=None, year=year)
    path = prepared.spec.path

    def docgen_once() -> bytes:
        return renderer.render(prepared, number=None, issue_date=None, year=year).docx

    def plain_once() -> bytes:
        return plain_docxtpl(path, context)

    # Warm both (imports, first compile), then interleave so drift hits both equally.
    for _ in range(5):
        docgen_once()
        plain_once()
    ours, plain = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        docgen_once()
        t1 = time.perf_counter()
        plain_once()
        t2 = time.perf_counter()
        ours.append(t1 - t0)
        plain.append(t2 - t1)
    m_ours, m_plain = statistics.median(ours), statistics.median(plain)
    print(f"template {rec.template} ({args.record}), {args.rounds} rounds each, interleaved")
    print(f"docgen render (prepare once, render+save):  median {m_ours * 1000:7.2f} ms")
    print(f"plain docxtpl (new DocxTemplate+render+save): median {m_plain * 1000:7.2f} ms")
    print(f"ratio docgen / plain docxtpl: {m_ours / m_plain:.2f}  (goal ≤ 0.80)")
    print(f"docgen documents/s (1 thread): {1 / m_ours:.0f}")


if __name__ == "__main__":
    main()
