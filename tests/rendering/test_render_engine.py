"""The docxtpl layer: escaping, strict undefined fields in Vietnamese, the compile cache."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import docx
import pytest

from docgen.errors import FieldError, RenderError
from docgen.rendering.engine import DocxEngine, MissingField

VIETNAMESE = (
    "aàáảãạ ăằắẳẵặ âầấẩẫậ eèéẻẽẹ êềếểễệ iìíỉĩị oòóỏõọ ôồốổỗộ ơờớởỡợ uùúủũụ ưừứửữự yỳýỷỹỵ đ "
    "AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ EÈÉẺẼẸ ÊỀẾỂỄỆ IÌÍỈĨỊ OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ UÙÚỦŨỤ ƯỪỨỬỮỰ YỲÝỶỸỴ Đ"
)
NASTY = "Tôm & Cá <b>đậm</b> \"nháy kép\" 'nháy đơn' ]]> {{ x }} {% if %}"


def plan_fields(*texts: str) -> dict:
    return {"summary": texts[0], "body": [{"kind": "para", "text": t} for t in texts]}


def test_markup_characters_and_every_vietnamese_letter_survive(renderer, lookup, read_paragraphs):
    prepared = renderer.prepare(
        lookup,
        "ke-hoach",
        issuer="ubnd",
        signer="pct",
        recipients="many",
        fields=plan_fields(NASTY, VIETNAMESE),
    )
    out = renderer.render(prepared, number=7, issue_date=date(2017, 3, 9))
    texts = read_paragraphs(out.docx)
    assert NASTY in texts  # the summary, verbatim (escaped in XML, not interpreted)
    assert VIETNAMESE + "./." in texts  # last body paragraph carries the end mark
    assert "Số: 07/KH-UBND" in texts
    assert "Kiên Giang, ngày 09 tháng 3 năm 2017" in texts
    assert NASTY in out.text and VIETNAMESE in out.text


def test_escaped_document_opens_in_libreoffice(renderer, lookup, tmp_path):
    prepared = renderer.prepare(
        lookup,
        "ke-hoach",
        issuer="ubnd",
        signer="pct",
        recipients="many",
        fields=plan_fields(NASTY, VIETNAMESE),
    )
    src = tmp_path / "nasty.docx"
    src.write_bytes(renderer.render(prepared, number=1, issue_date=date(2017, 1, 2)).docx)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "nasty.txt").read_text(encoding="utf-8-sig")
    assert NASTY in text
    assert VIETNAMESE in text
    assert "Kiên Giang, ngày 02 tháng 01 năm 2017" in text


def test_missing_field_names_it_in_vietnamese(renderer, lookup):
    prepared = renderer.prepare(
        lookup,
        "ke-hoach",
        issuer="ubnd",
        signer="pct",
        recipients="many",
        fields=plan_fields("Kế hoạch"),
    )
    engine = DocxEngine()
    with pytest.raises(MissingField) as err:
        engine.render(prepared.spec.path, {"title": "KẾ HOẠCH"})
    assert "Thiếu trường dữ liệu" in err.value.message
    assert err.value.details["field"] in {"header", "summary", "summary_rule"}
    assert isinstance(err.value, RenderError)


def test_field_errors_are_listed_together(renderer, lookup):
    fields = {"summary": "x" * 501, "body": [{"kind": "chapter", "text": "?"}], "colour": "red"}
    with pytest.raises(FieldError) as err:
        renderer.prepare(
            lookup, "ke-hoach", issuer="ubnd", signer="pct", recipients="many", fields=fields
        )
    problems = err.value.fields
    assert "tối đa 500" in problems["summary"]
    assert "chapter" in problems["body[0]"]
    assert "không có trường này" in problems["colour"]


def test_missing_required_field_and_signer_of_another_organisation(renderer, lookup):
    with pytest.raises(FieldError) as err:
        renderer.prepare(
            lookup,
            "ke-hoach",
            issuer="snv",
            signer="pct",
            recipients="many",
            fields={"body": [{"kind": "para", "text": "Nội dung."}]},
        )
    assert "Trích yếu nội dung" in err.value.fields["summary"]
    assert "Mai Văn Huỳnh không thuộc" in err.value.fields["signer"]


def test_compiled_template_is_reused_until_the_file_changes(tmp_path, renderer, lookup):
    src = renderer.templates.get("ke-hoach").path
    copy = tmp_path / "ke-hoach.docx"
    shutil.copy(src, copy)
    prepared = renderer.prepare(
        lookup,
        "ke-hoach",
        issuer="ubnd",
        signer="pct",
        recipients="many",
        fields=plan_fields("Lần một"),
    )
    from docgen.rendering.context import build_context

    context = build_context(prepared, number=1, issue_date=date(2017, 5, 5), year=None)
    engine = DocxEngine()
    first = engine.render(copy, context)
    entry = next(iter(engine._cache.values()))
    compiled_body = entry.compiled["body"]
    engine.render(copy, context)
    assert next(iter(engine._cache.values())).compiled["body"] is compiled_body
    # Replace the template with one whose title is different: the cache must notice.
    document = docx.Document(io.BytesIO(first.docx))
    document.add_paragraph("{{ title }} MỚI")
    document.save(copy)
    again = engine.render(copy, context)
    assert "KẾ HOẠCH MỚI" in again.text
    assert len(engine._cache) == 1


def test_docgen_filters_apply_the_decree_rules(renderer):
    env = renderer.engine.env
    rendered = env.from_string(
        "{{ d|date_phrase }}|{{ d|short_date }}|{{ d|date_line('Kiên Giang') }}|"
        "{{ 5|number }}|{{ 5|number_line('KH-UBND') }}|{{ 5|copies }}|{{ 'Hết.'|end_mark }}"
    ).render(d=date(2017, 3, 9))
    assert rendered.split("|") == [
        "ngày 09 tháng 3 năm 2017",
        "09/3/2017",
        "Kiên Giang, ngày 09 tháng 3 năm 2017",
        "05",
        "Số: 05/KH-UBND",
        "(5b)",
        "Hết./.",
    ]
    # autoescape is on: user text cannot inject WordprocessingML
    assert env.from_string("{{ x }}").render(x="<w:br/> & co") == "&lt;w:br/&gt; &amp; co"


def test_number_written_into_a_pre_rendered_slot_equals_a_direct_render(renderer, lookup):
    prepared = renderer.prepare(
        lookup,
        "ke-hoach",
        issuer="ubnd",
        signer="pct",
        recipients="many",
        fields=plan_fields("Kế hoạch", "Nội dung."),
    )
    slotted = renderer.render_slotted(prepared, issue_date=date(2017, 3, 9))
    filled = slotted.fill(7)
    direct = renderer.render(prepared, number=7, issue_date=date(2017, 3, 9))
    assert filled.number_line == direct.number_line == "Số: 07/KH-UBND"
    assert filled.text == direct.text and slotted.token not in filled.text

    def parts(data: bytes) -> dict[str, bytes]:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}

    assert parts(filled.docx) == parts(direct.docx)  # the same document, byte for byte inside
    assert slotted.fill(1000).number_line == "Số: 1000/KH-UBND"
