"""The 2017 plan, rendered from records, reproduces the seed document paragraph by paragraph."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from docgen import create_app

# A copy of ../shared/seed/ke-hoach-2017-kien-giang.txt, so the suite runs wherever it is cloned.
SEED = Path(__file__).resolve().parents[1] / "data" / "ke-hoach-2017-kien-giang.txt"

# Extraction errors in the seed and their reading (../shared/seed/README.md).
CORRECTIONS = [
    (" / *Đào*", ""),
    ("LÈVP, P.VHXXH", "LĐVP, P.VHXH"),
    ("TT. Tỉnh ủy ;", "TT. Tỉnh ủy;"),
]


def seed_parts() -> tuple[list[str], list[str]]:
    """Return (title + body paragraphs, Nơi nhận lines) of the corrected seed."""
    text = SEED.read_text(encoding="utf-8")
    for wrong, right in CORRECTIONS:
        text = text.replace(wrong, right)
    head, tail = text.split("Nơi nhận:", 1)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", head) if p.strip()]
    recipients = [line.strip() for line in tail.strip().splitlines()[:11]]
    return paragraphs, recipients


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> docx.document.Document:
    tmp = tmp_path_factory.mktemp("plan")
    app = create_app({"TESTING": True, "DOCGEN_DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3"})
    out = tmp / "plan.docx"
    result = app.test_cli_runner().invoke(
        args=["render", "ke-hoach", "--record", "ke-hoach-2017", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return docx.Document(io.BytesIO(out.read_bytes()))


def test_every_seed_paragraph_in_order_with_the_same_words(plan):
    expected, _ = seed_parts()
    expected = [p.replace("**", "") for p in expected]
    expected[-1] += "/."  # the body's end mark ./.
    actual = [p.text for p in plan.paragraphs if p.text.strip()]
    # Document paragraphs outside the header/signer tables: title, summary, body.
    assert actual == expected


def test_deadlines_are_bold(plan):
    bold = {run.text for p in plan.paragraphs for run in p.runs if run.bold}
    assert "Trước ngày 20 tháng 4 năm 2017" in bold
    assert "trước ngày 25 tháng 4 năm 2017" in bold


def test_header_signer_and_recipients(plan):
    header, signer = plan.tables[0], plan.tables[-1]
    org = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    assert org == ["ỦY BAN NHÂN DÂN", "TỈNH KIÊN GIANG"]
    nation = [p.text for p in header.cell(0, 1).paragraphs if p.text]
    assert nation == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert header.cell(1, 0).paragraphs[0].text == "Số:      /KH-UBND"
    assert header.cell(1, 1).paragraphs[0].text == "Kiên Giang, ngày      tháng      năm 2017"
    _, recipients = seed_parts()
    left = [p.text for p in signer.cell(0, 0).paragraphs if p.text]
    assert left[0] == "Nơi nhận:"
    assert left[1:] == recipients
    right = [p.text for p in signer.cell(0, 1).paragraphs if p.text]
    assert right == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Mai Văn Huỳnh"]
