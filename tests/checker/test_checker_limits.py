"""Upload limits: a zip-bomb DOCX is refused from its ZIP directory, fast and in little memory,
by ``docgen check`` and by the one function every user-supplied DOCX or XLSX goes through.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from checker_docs import build, save
from click.testing import CliRunner

from docgen.checker import check_docx
from docgen.cli.check import check
from docgen.uploads import (
    MiB,
    PackageLimits,
    PackageRejected,
    check_package,
    open_docx,
    open_xlsx,
)

_PARA = b"<w:p><w:r><w:t>N\xe1\xbb\x99i dung l\xe1\xba\xb7p l\xe1\xba\xa1i.</w:t></w:r></w:p>"


def _with_body(docx_bytes: bytes, body_bytes: int) -> bytes:
    """Return ``docx_bytes`` with ``body_bytes`` of repeated paragraphs in word/document.xml."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                data = head + b"<w:body>" + _PARA * (body_bytes // len(_PARA)) + tail
            package.writestr(info.filename, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """Return a ~190 KB DOCX whose document.xml inflates to 50 MB of paragraphs."""
    return _with_body(save(build()), 50 * MiB)


def test_the_bomb_is_small_and_expands_to_50_mb(bomb):
    parts = {p.filename: p for p in zipfile.ZipFile(io.BytesIO(bomb)).infolist()}
    assert len(bomb) < 400_000
    assert parts["word/document.xml"].file_size > 50_000_000


_MEASURE = """
import resource, sys, time
from docgen.checker import check_docx
from docgen.uploads import PackageRejected
began = time.perf_counter()
cpu = resource.getrusage(resource.RUSAGE_SELF)
try:
    check_docx(sys.argv[1])
except PackageRejected as exc:
    print(exc.code, exc.message)
spent = resource.getrusage(resource.RUSAGE_SELF)
cpu_seconds = spent.ru_utime + spent.ru_stime - cpu.ru_utime - cpu.ru_stime
# VmHWM, not ru_maxrss: Linux carries the parent's (pytest's) high-water mark across exec.
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(time.perf_counter() - began, cpu_seconds, peak)
"""


def test_checking_the_bomb_is_refused_in_under_5_s_and_500_mb(bomb, tmp_path):
    path = tmp_path / "bom.docx"
    path.write_bytes(bomb)
    # A fresh interpreter: the peak is the check's (and Python's), not the test run's.
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    refusal, measures = result.stdout.strip().splitlines()
    seconds, cpu_seconds, peak_kib = measures.split()
    assert refusal.startswith("package_too_large Tệp quá lớn để xử lý")
    assert "word/document.xml" in refusal
    assert float(seconds) < 5 and float(cpu_seconds) < 5
    assert int(peak_kib) < 500 * 1024


def test_docgen_check_says_why_in_vietnamese_and_exits_2(bomb, tmp_path):
    path = tmp_path / "bom.docx"
    path.write_bytes(bomb)
    result = CliRunner().invoke(check, [str(path)])
    assert result.exit_code == 2
    assert "Lỗi: Tệp quá lớn để xử lý: thành phần “word/document.xml” giải nén ra" in result.stderr
    assert "(giới hạn 8,0 MB)" in result.stderr


def test_a_normal_document_and_a_long_one_within_limits_are_checked():
    long = _with_body(save(build()), 256 * 1024)  # ~3,000 paragraphs: under every limit
    check_package(long)
    assert check_docx(long)  # read and checked: it deviates (no signer block after the body)
    assert check_docx(save(build())) == []


def test_a_high_compression_ratio_is_refused_below_the_size_limits():
    dense = _with_body(save(build()), 4 * MiB)  # within 8 MB, but ~300:1
    with pytest.raises(PackageRejected) as refused:
        check_package(dense)
    assert refused.value.code == "package_compression_ratio"
    assert "bom nén" in refused.value.message
    check_package(dense, PackageLimits(max_ratio=10_000))  # the ratio alone refused it


def test_too_many_parts_and_too_much_in_total_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for i in range(12):
            package.writestr(f"word/media/image{i}.png", b"\x89PNG" + bytes(1000))
    data = out.getvalue()
    with pytest.raises(PackageRejected) as refused:
        check_package(data, PackageLimits(max_parts=10))
    assert refused.value.code == "package_too_many_parts"
    with pytest.raises(PackageRejected, match="các thành phần giải nén ra hơn"):
        check_package(data, PackageLimits(max_total_bytes=10_000))
    with pytest.raises(PackageRejected, match="tệp nặng"):
        check_package(data, PackageLimits(max_file_bytes=5_000))
    assert len(check_package(data)) == 12


def _central_entry(package: bytes, name: bytes) -> int:
    """Return the offset of ``name``'s entry in the ZIP central directory."""
    entry = package.find(b"PK\x01\x02")
    while package[entry + 46 : entry + 46 + len(name)] != name:
        entry = package.find(b"PK\x01\x02", entry + 4)
        assert entry != -1
    return entry


def test_a_directory_that_understates_a_part_cannot_smuggle_it_in(bomb):
    """The directory claims 1 KB; the part inflates to 50 MB: reading stops at 1 KB and fails."""
    lying = bytearray(bomb)
    entry = _central_entry(bomb, b"word/document.xml")
    lying[entry + 24 : entry + 28] = (1024).to_bytes(4, "little")  # uncompressed size
    generous = PackageLimits(max_ratio=10**9)
    parts = {p.filename: p.file_size for p in check_package(bytes(lying), generous)}
    assert parts["word/document.xml"] == 1024  # the directory passes the check...
    with pytest.raises(zipfile.BadZipFile, match="Bad CRC-32"):  # ...the bytes do not
        open_docx(bytes(lying), generous)


def test_xlsx_goes_through_the_same_check(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Họ và tên", "Đơn vị"])
    book.active.append(["Nguyễn Văn A", "Sở Nội vụ"])
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    opened = open_xlsx(path)
    assert [list(row) for row in opened.active.iter_rows(values_only=True)][1] == [
        "Nguyễn Văn A",
        "Sở Nội vụ",
    ]
    opened.close()
    with pytest.raises(PackageRejected):
        open_xlsx(path, PackageLimits(max_parts=2))
