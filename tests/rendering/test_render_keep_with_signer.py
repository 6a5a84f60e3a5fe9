"""No page holds only the signer block and Nơi nhận: the last body paragraph goes with them.

Bodies of growing length are rendered with the real templates and records, converted by
the real LibreOffice converter, and read back page by page with pdftotext: the page that
carries the signer block also carries the end of the body (its last words and "./.").
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
PLAN_BODY = list(PLAN["fields"]["body"])
TEXT_KINDS = {"para", "dash", "plus"}  # blocks a công văn's body may hold


@pytest.fixture(scope="module")
def converter() -> Iterator[Converter]:
    """Return one warm LibreOffice worker for every conversion of this module."""
    with Converter(workers=1, timeout=120) as pool:
        yield pool


def _with_body(request: Mapping[str, Any], body: list[Mapping[str, str]]) -> dict[str, Any]:
    return {**request, "fields": {**request["fields"], "body": tuple(body)}}


def _plan_bodies() -> list[tuple[str, dict[str, Any]]]:
    """Return the 2017 plan, then the plan cut after every second block (1 to 5 pages).

    Each cut is closed by the plan's last paragraph. Every second cut keeps the run time
    down; the lengths at which the signer block would spill over come in runs of several
    cuts (one to four more lines), so each page boundary is still met.
    """
    closing = PLAN_BODY[-1]
    cases = [("ke-hoach-2017", dict(PLAN))]  # as recorded: its page 5 was the signer alone
    for n in range(0, len(PLAN_BODY) - 1, 2):
        cases.append((f"ke-hoach-{n + 1}", _with_body(PLAN, [*PLAN_BODY[:n], closing])))
    return cases


def _cong_van_bodies() -> list[tuple[str, dict[str, Any]]]:
    """Return the công văn with 0, 1, 2 … 17 of the plan's text paragraphs inserted (1–3 pages)."""
    own = list(CONG_VAN["fields"]["body"])
    extra = [b for b in PLAN_BODY if b["kind"] in TEXT_KINDS]
    return [
        (f"cong-van-{k}", _with_body(CONG_VAN, [*own[:-1], *extra[:k], own[-1]]))
        for k in range(0, 18)
    ]


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


@pytest.mark.parametrize("family", ["ke-hoach", "cong-van"])
def test_last_page_always_carries_the_end_of_the_body(renderer, converter, tmp_path, family):
    cases = _plan_bodies() if family == "ke-hoach" else _cong_van_bodies()
    page_counts: dict[int, list[str]] = {}
    for name, request in cases:
        prepared = renderer.prepare(RECORDS, **request)
        rendered = renderer.render(prepared, number=None, issue_date=None, year=2017)
        pages = _pages(converter.to_pdf(rendered.docx), tmp_path)
        page_counts.setdefault(len(pages), []).append(name)
        last_words = prepared.fields["body"][-1]["text"].split()[-2:]
        ending = " ".join([*last_words[:-1], last_words[-1].rstrip(".") + "./."])
        last = pages[-1]
        assert rendered.signer_name in last, f"{name}: no signer on the last page"
        assert "Nơi nhận:" in last, f"{name}: no Nơi nhận on the last page"
        assert ending in last, (
            f"{name} ({len(pages)} trang): trang cuối chỉ có khối chữ ký và Nơi nhận, "
            f"thiếu đoạn cuối “… {ending}”:\n{last}"
        )
    # the lengths cross several page boundaries, so each kind of break was met
    assert len(page_counts) >= 3, page_counts
