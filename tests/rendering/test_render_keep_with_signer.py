"""No page holds only the signer block and Nơi nhận: the end of the content goes with them.

Bodies of growing length are rendered with the real templates and records (a kế hoạch, a
công văn, a báo cáo ending with its table), converted by the real LibreOffice converter and
read back page by page with pdftotext: the page that carries the signer block also carries
the end of the content (the last words and "./.", or the table's last row).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from docgen.records import load_records
from docgen.rendering.pdf import Converter

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
RECORDS = load_records(ROOT / "records")
PLAN = RECORDS.document("ke-hoach-2017").request()
CONG_VAN = RECORDS.document("cong-van-de-nghi-2017").request()
REPORT = RECORDS.document("bao-cao-6-thang-2017").request()
PLAN_BODY = list(PLAN["fields"]["body"])
TEXT = [b for b in PLAN_BODY if b["kind"] in {"para", "dash", "plus"}]  # text to add anywhere


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    """Return one warm LibreOffice worker for every conversion of this module."""
    with Converter(workers=1, timeout=120) as pool:
        yield pool


Case = tuple[str, dict[str, Any], str]  # name, request, the text the last page must hold


def _with(request: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    return {**request, "fields": {**request["fields"], **fields}}


def _end_of(block: Mapping[str, str]) -> str:
    """Return the last two words of a closing block as printed, with the end mark."""
    *words, last = block["text"].split()[-2:]
    return " ".join([*words, last.rstrip(".") + "./."])


def _plan_cases() -> list[Case]:
    """Return the 2017 plan, then the plan cut after every second block (1 to 5 pages).

    Each cut is closed by the plan's last paragraph. Every second cut keeps the run time
    down; the lengths at which the signer block would spill over come in runs of several
    cuts (one to four more lines), so each page boundary is still met.
    """
    closing = PLAN_BODY[-1]
    cases = [("ke-hoach-2017", dict(PLAN), _end_of(closing))]  # its page 5 was the signer alone
    for n in range(0, len(PLAN_BODY) - 1, 2):
        body = (*PLAN_BODY[:n], closing)
        cases.append((f"ke-hoach-{n + 1}", _with(PLAN, body=body), _end_of(closing)))
    return cases


def _cong_van_cases() -> list[Case]:
    """Return the công văn with 0, 1, 2 … 17 of the plan's text paragraphs inserted (1–3 pages)."""
    *own, closing = CONG_VAN["fields"]["body"]
    return [
        (f"cong-van-{k}", _with(CONG_VAN, body=(*own, *TEXT[:k], closing)), _end_of(closing))
        for k in range(0, 18)
    ]


def _report_cases() -> list[Case]:
    """Return the báo cáo ending with its figures table (no conclusion), 1–3 pages.

    The table's last row, then, is what must go with the signer block.
    """
    last_row = REPORT["fields"]["figures"][-1]["note"]
    return [
        (
            f"bao-cao-{k}",
            _with(REPORT, body=(*REPORT["fields"]["body"], *TEXT[:k]), conclusion=()),
            last_row,
        )
        for k in range(0, 16)
    ]


CASES = {"ke-hoach": _plan_cases, "cong-van": _cong_van_cases, "bao-cao": _report_cases}


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """Return the text of each page of ``pdf`` (pdftotext), whitespace collapsed."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [" ".join(page.split()) for page in text.split("\f")]
    while pages and not pages[-1]:
        pages.pop()
    return pages


@pytest.mark.parametrize("family", sorted(CASES))
def test_last_page_always_carries_the_end_of_the_content(renderer, converter, tmp_path, family):
    page_counts: dict[int, list[str]] = {}
    for name, request, ending in CASES[family]():
        prepared = renderer.prepare(RECORDS, **request)
        rendered = renderer.render(prepared, number=None, issue_date=None, year=2017)
        pages = _pages(converter.to_pdf(rendered.docx), tmp_path)
        page_counts.setdefault(len(pages), []).append(name)
        last = pages[-1]
        assert rendered.signer_name in last, f"{name}: no signer on the last page"
        assert "Nơi nhận:" in last, f"{name}: no Nơi nhận on the last page"
        assert ending in last, (
            f"{name} ({len(pages)} trang): trang cuối chỉ có khối chữ ký và Nơi nhận, "
            f"thiếu phần cuối nội dung “… {ending}”:\n{last}"
        )
    # the lengths cross several page boundaries, so each kind of break was met
    assert len(page_counts) >= 3, page_counts
