"""Benchmark: DOCX → PDF with docgen's warm converter against a new soffice and a bare warm office.

For each document, in one run:
  (a) docgen's ``Converter`` (warm, 1 worker, pool + queue + watchdog),
  (b) a new ``soffice --convert-to pdf`` process per document (``soffice_convert``),
  (c) the floor: a bare warm LibreOffice driven over UNO right here (no pool, no queue),
then throughput with 2 workers and several client threads. Prints figures; asserts nothing.
Goals (issue 4): a ≤ 1.15 × c, b ≥ 8 × a, ≥ 12 docs/s with 2 workers.

    .venv/bin/python bench/bench_pdf.py [file.docx ...] [--rounds 15] [--cold-rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
import pikepdf  # noqa: E402
import uno  # noqa: E402
from com.sun.star.beans import PropertyValue  # noqa: E402
from com.sun.star.connection import NoConnectException  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from docgen.rendering.pdf import Converter, soffice_convert  # noqa: E402

SENTENCES = (
    "Thường xuyên đẩy mạnh công tác tuyên truyền tư tưởng thi đua yêu nước của Chủ tịch "
    "Hồ Chí Minh, chủ trương của Đảng và chính sách, pháp luật của Nhà nước về thi đua, "
    "khen thưởng.",
    "Cơ quan, địa phương, đơn vị chủ động phát hiện, xây dựng và lựa chọn những điển hình "
    "tiêu biểu, tập thể, cá nhân có nhiều sáng tạo, sáng kiến trên các lĩnh vực.",
    "Thông qua công tác phát hiện, bồi dưỡng, tổng kết và nhân rộng điển hình tiên tiến, "
    "rút ra bài học kinh nghiệm về tổ chức triển khai các phong trào thi đua yêu nước.",
    "Các sở, ban, ngành cấp tỉnh giới thiệu ít nhất 02 tập thể, cá nhân tiêu biểu; UBND các "
    "huyện, thị xã, thành phố giới thiệu ít nhất 05 tập thể, cá nhân tiêu biểu.",
)


def make_plan(variant: int, sections: int = 6) -> bytes:
    """Return a ~3-page Times New Roman A4 plan; variant 1 carries a table."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    for line in ("ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG", f"Số: {variant + 5:02d}/KH-UBND"):
        document.add_paragraph(line)
    document.add_paragraph("Kiên Giang, ngày 09 tháng 3 năm 2017")
    document.add_paragraph("KẾ HOẠCH").runs[0].bold = True
    document.add_paragraph("Tuyên truyền các phong trào thi đua yêu nước năm 2017")
    for number in range(1, sections + 1):
        document.add_paragraph(f"{'I' * min(number, 3)}. NỘI DUNG {number}").runs[0].bold = True
        for index in range(3):
            document.add_paragraph(f"{index + 1}. " + SENTENCES[(number + index) % 4])
    if variant == 1:
        table = document.add_table(rows=8, cols=3)
        for row_index, row in enumerate(table.rows):
            for col, cell in enumerate(row.cells):
                cell.text = ("STT", "Đơn vị", "Số lượng")[col] if row_index == 0 else f"{col}"
    for line in ("Nơi nhận:", "- TT. Tỉnh ủy;", "- Lưu: VT, LĐVP, P.VHXH.", "KT. CHỦ TỊCH"):
        document.add_paragraph(line)
    document.add_paragraph("PHÓ CHỦ TỊCH")
    document.add_paragraph("Mai Văn Huỳnh")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


class BareOffice:
    """The floor: one soffice.bin on a temporary profile, driven over UNO with no pool at all."""

    def __init__(self) -> None:
        soffice = shutil.which("soffice")
        assert soffice, "soffice not on PATH"
        binary = Path(os.path.realpath(soffice)).with_name("soffice.bin")
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-lo-"))
        pipe = f"bench-{uuid.uuid4().hex[:12]}"
        argv = [
            str(binary),
            f"-env:UserInstallation={(self.workdir / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        self.env = {**os.environ, "TMPDIR": str(self.workdir)}  # its temp files die with it
        self.process = self._spawn(argv)
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if self.process.poll() == 81:  # first start on a fresh profile asks for a restart
                    self.process = self._spawn(argv)
                time.sleep(0.05)
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def convert(self, data: bytes) -> bytes:
        stream = self.smgr.createInstanceWithArgumentsAndContext(
            "com.sun.star.io.SequenceInputStream", (uno.ByteSequence(data),), self.ctx
        )
        load = (_prop("InputStream", stream), _prop("Hidden", True))
        document = self.desktop.loadComponentFromURL("private:stream", "_blank", 0, load)
        memory = self.smgr.createInstanceWithContext("com.sun.star.comp.MemoryStream", self.ctx)
        store = (
            _prop("FilterName", "writer_pdf_Export"),
            _prop("OutputStream", memory.getOutputStream()),
        )
        document.storeToURL("private:stream", store)
        document.close(True)
        memory.seek(0)
        return bytes(memory.getInputStream().readBytes(None, memory.getLength())[1].value)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # the bridge drops as the office quits
            self.desktop.terminate()  # a clean exit removes the office's pipes in /tmp
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def timed(function: Callable[[], bytes]) -> tuple[float, bytes]:
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def pages(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def throughput(documents: list[bytes], workers: int, threads: int, jobs: int) -> float:
    """Return documents per second for ``jobs`` conversions from ``threads`` client threads."""
    with Converter(workers=workers) as converter:
        converter.start()
        work = [documents[i % len(documents)] for i in range(jobs)]
        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(converter.to_pdf, work))
        elapsed = time.perf_counter() - began
    assert all(pdf.startswith(b"%PDF-") for pdf in results)
    return jobs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", nargs="*", type=Path, help="DOCX files (default: 3 plans)")
    parser.add_argument("--rounds", type=int, default=15, help="warm runs per document")
    parser.add_argument("--cold-rounds", type=int, default=3, help="new-soffice runs per document")
    parser.add_argument("--jobs", type=int, default=60, help="conversions per throughput run")
    args = parser.parse_args()

    if args.docx:
        documents = {path.name: path.read_bytes() for path in args.docx}
    else:
        documents = {f"plan-{variant + 1}": make_plan(variant) for variant in range(3)}
    version = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout
    print(f"{version.strip()} · {os.cpu_count()} cores · {args.rounds} warm rounds interleaved")

    converter = Converter(workers=1)
    converter.start()
    floor = BareOffice()
    rows = []
    try:
        for name, data in documents.items():
            for _ in range(2):  # warm both paths on this document
                converter.to_pdf(data)
                floor.convert(data)
            warm, bare = [], []
            for _ in range(args.rounds):
                seconds, pdf = timed(lambda data=data: converter.to_pdf(data))
                warm.append(seconds)
                bare.append(timed(lambda data=data: floor.convert(data))[0])
            cold = [
                timed(lambda data=data: soffice_convert(data))[0] for _ in range(args.cold_rounds)
            ]
            pdfa = [timed(lambda data=data: converter.to_pdf(data, pdfa=True))[0] for _ in range(5)]
            rows.append((name, pages(pdf), *map(statistics.median, (warm, cold, bare, pdfa))))
    finally:
        converter.close()
        floor.close()

    w = max(14, *(len(name) + 2 for name in documents))
    print(
        f"\n{'document':<{w}}{'pages':>6}{'a warm':>10}{'b new':>10}{'c floor':>10}"
        f"{'a/c':>7}{'b/a':>7}{'PDF/A':>9}   (medians, ms)"
    )
    for name, count, a, b, c, pdfa_ms in rows:
        print(
            f"{name:<{w}}{count:>6}{a * 1e3:>10.1f}{b * 1e3:>10.1f}{c * 1e3:>10.1f}"
            f"{a / c:>7.2f}{b / a:>7.1f}{pdfa_ms * 1e3:>9.1f}"
        )
    a_all = statistics.median(row[2] for row in rows)
    b_all = statistics.median(row[3] for row in rows)
    c_all = statistics.median(row[4] for row in rows)
    print(
        f"{'median':<{w}}{'':>6}{a_all * 1e3:>10.1f}{b_all * 1e3:>10.1f}{c_all * 1e3:>10.1f}"
        f"{a_all / c_all:>7.2f}{b_all / a_all:>7.1f}"
    )

    data = list(documents.values())
    print(f"\nthroughput ({args.jobs} jobs each):")
    rates = {}
    for workers, threads in ((1, 1), (2, 2), (2, 4)):
        rates[workers, threads] = throughput(data, workers, threads, args.jobs)
        print(
            f"  {workers} worker(s), {threads} client thread(s): "
            f"{rates[workers, threads]:6.1f} docs/s"
        )
    best = max(rates[2, 2], rates[2, 4])
    print("\ngoals:")
    verdict = {True: "met", False: "MISSED"}
    print(f"  a ≤ 1.15 × c : a/c = {a_all / c_all:.2f}  {verdict[a_all <= 1.15 * c_all]}")
    print(f"  b ≥ 8 × a    : b/a = {b_all / a_all:.1f}  {verdict[b_all >= 8 * a_all]}")
    print(f"  ≥ 12 docs/s  : {best:.1f} docs/s with 2 workers  {verdict[best >= 12]}")


if __name__ == "__main__":
    main()
