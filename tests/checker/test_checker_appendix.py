"""Appendices and attachments: docgen's danh sách and trích ngang end with "./." and check clean;
the checker knows the appendix layout (Mẫu 2.1) and reports what is missing in Vietnamese."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from docgen.checker import Finding, Severity, check_docx
from docgen.records import load_records
from docgen.rendering.documents import DocumentRenderer

ROOT = Path(__file__).resolve().parents[2]
RECORDS = load_records(ROOT / "records")
RENDERER = DocumentRenderer(ROOT / "templates")
HEADER_RULES = {  # what a document needs and an appendix does not: never asked of one
    "PL1.II.1.quoc-hieu",
    "PL1.II.1.tieu-ngu",
    "PL1.II.2.co-quan",
    "PL1.II.3.number",
    "PL1.II.4.date",
    "PL1.II.5a.title",
    "PL1.II.7.signer",
    "PL1.II.9b.noi-nhan",
    "PL1.I.orientation",
}


def _render(code: str, *, issued: bool = False, **fields: Any) -> bytes:
    request = RECORDS.document(code).request()
    request = {**request, "fields": {**request["fields"], **fields}}
    prepared = RENDERER.prepare(RECORDS, **request)
    if issued:
        return RENDERER.render(prepared, number=None, issue_date=date(2017, 4, 9)).docx
    return RENDERER.render(prepared, number=None, issue_date=None, year=2017).docx


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _save(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _errors(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule: f for f in findings if f.severity is Severity.ERROR}


def _listing(findings: list[Finding]) -> str:
    return "\n".join(f"[{f.rule}] {f.location}: {f.message}" for f in findings)


def _body_texts(data: bytes) -> list[str]:
    """Return the top-level paragraphs' texts (tables left out), empty ones dropped."""
    return [p.text for p in _open(data).paragraphs if p.text.strip()]


# --- docgen's own appendices ------------------------------------------------------------------


@pytest.mark.parametrize("issued", [False, True], ids=["draft", "dated"])
def test_rendered_danh_sach_ends_with_the_end_mark_and_checks_clean(issued):
    data = _render("danh-sach-2017", issued=issued)
    texts = _body_texts(data)
    assert texts[0] == "Phụ lục"
    assert texts[2].startswith("(Kèm theo Tờ trình số")
    assert texts[-1] == "./."  # after the table, on its own line (Mẫu 2.1)
    doc = _open(data)
    assert doc.sections[0].orientation == WD_ORIENT.LANDSCAPE  # allowed for an appendix
    after_table = [
        el.xpath("string(.)")
        for el in doc.tables[-1]._tbl.itersiblings()
        if el.xpath("string(.)").strip()
    ]
    assert after_table == ["./."]  # the table's rows are the content; the mark closes them
    findings = check_docx(data)
    assert findings == [], _listing(findings)


def test_rendered_trich_ngang_with_awards_ends_with_the_end_mark_and_checks_clean():
    data = _render("trich-ngang-mau")
    texts = _body_texts(data)
    assert texts[-1] == "./."  # after the awards table
    assert any(t.startswith("(Kèm theo Công văn số") for t in texts)
    findings = check_docx(data)
    assert [f for f in findings if f.severity is Severity.ERROR] == [], _listing(findings)


def test_rendered_trich_ngang_without_awards_ends_its_last_line_with_the_end_mark():
    data = _render("trich-ngang-mau", awards=[])
    texts = _body_texts(data)
    assert texts[-1] == "- Chưa có./."
    assert "./." not in texts[:-1]
    findings = check_docx(data)
    assert [f for f in findings if f.severity is Severity.ERROR] == [], _listing(findings)


def test_second_appendix_numbered_in_roman_numerals_checks_clean():
    data = _render("danh-sach-2017", appendix_number="II")
    assert _body_texts(data)[0] == "Phụ lục II"
    assert _errors(check_docx(data)) == {}


# --- broken appendices ------------------------------------------------------------------------


def _drop(doc: Document, test) -> None:
    """Remove the top-level paragraphs for which ``test(text)`` is true (at least one)."""
    found = [p for p in doc.paragraphs if test(p.text.strip())]
    assert found
    for p in found:
        p._p.getparent().remove(p._p)


def test_appendix_without_kem_theo_line_and_end_mark_is_reported_in_vietnamese():
    doc = _open(_render("danh-sach-2017"))
    _drop(doc, lambda t: t.startswith("(Kèm theo"))
    _drop(doc, lambda t: t == "./.")
    findings = check_docx(_save(doc))
    errors = _errors(findings)
    assert set(errors) == {"PL1.III.1.kem-theo", "PL1.II.6.end-mark"}, _listing(findings)
    kem_theo = errors["PL1.III.1.kem-theo"].message
    assert "Thiếu dòng “(Kèm theo văn bản số … ngày … tháng … năm … của …)”" in kem_theo
    assert "nghiêng, canh giữa dưới tên phụ lục" in kem_theo
    assert "Phụ lục I Nghị định 30/2020/NĐ-CP, Phần I, mục III, khoản 1" in kem_theo
    end = errors["PL1.II.6.end-mark"].message
    assert "Nội dung phụ lục không kết thúc bằng dấu “./.”" in end
    assert "mẫu trình bày tại Phụ lục III Nghị định 30/2020/NĐ-CP" in end
    assert not HEADER_RULES & {f.rule for f in findings}  # still known as an appendix


def test_attachment_without_end_mark_is_reported():
    doc = _open(_render("trich-ngang-mau", awards=[]))
    last = next(p for p in doc.paragraphs if p.text == "- Chưa có./.")
    last.runs[0].text = "- Chưa có."
    errors = _errors(check_docx(_save(doc)))
    assert set(errors) == {"PL1.II.6.end-mark"}
    assert errors["PL1.II.6.end-mark"].location.startswith("đoạn ")
    assert "- Chưa có." in errors["PL1.II.6.end-mark"].location


def test_appendix_numbered_in_arabic_numerals_is_reported():
    findings = check_docx(_render("danh-sach-2017", appendix_number="2"))
    errors = _errors(findings)
    assert set(errors) == {"PL1.III.1.phu-luc-number"}, _listing(findings)
    assert "chữ số La Mã" in errors["PL1.III.1.phu-luc-number"].message


@pytest.mark.parametrize(
    ("change", "rule", "words"),
    [
        ("kem-theo-left", "PL1.III.1.kem-theo-align", "không canh giữa"),
        ("kem-theo-open", "PL1.III.1.kem-theo", "chưa đóng ngoặc"),
        ("no-rule", "PL1.III.1.rule", "Thiếu đường kẻ ngang"),
        ("title-lower", "PL1.III.1.title", "không viết in hoa"),
    ],
)
def test_appendix_layout_deviation_is_reported(change, rule, words):
    doc = _open(_render("danh-sach-2017"))
    paras = doc.paragraphs
    kem_theo = next(p for p in paras if p.text.startswith("(Kèm theo"))
    if change == "kem-theo-left":
        kem_theo.alignment = WD_ALIGN_PARAGRAPH.LEFT
    elif change == "kem-theo-open":
        kem_theo.runs[-1].text = kem_theo.runs[-1].text.rstrip(")")
    elif change == "no-rule":
        rule_para = paras[paras.index(kem_theo) + 1]
        assert rule_para.text == ""
        rule_para._p.getparent().remove(rule_para._p)
    else:
        title = paras[1]
        title.runs[0].text = title.runs[0].text.capitalize()
        assert title.text.startswith("Danh sách")
    findings = check_docx(_save(doc))
    errors = _errors(findings)
    assert set(errors) == {rule}, _listing(findings)
    assert words in errors[rule].message
