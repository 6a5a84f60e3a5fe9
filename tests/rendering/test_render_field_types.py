"""Field types: each parses, limits and refuses per its table entry; what is kept is what prints."""

from __future__ import annotations

import io
import sys
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pytest

from docgen.errors import FieldError, RecordsError
from docgen.records import load_records
from docgen.rendering.engine import DocxEngine
from docgen.rendering.fields import (
    FIELD_TYPES,
    FieldSpec,
    FieldType,
    Widget,
    clean_text,
    refused_character,
)
from docgen.rendering.schema import TemplateSpec, load_spec, validate_fields

ROOT = Path(__file__).resolve().parents[2]
JINJA = "{{ 7*7 }}"
HTML = "<b>đậm</b> &amp; <script>x</script>"
# Every character a one-line field refuses, by what a clerk might paste.
REFUSED_IN_ONE_LINE = {
    "BEL": "\a", "form feed": "\f", "CR": "\r", "LF": "\n", "tab": "\t", "NUL": "\x00",
    "escape": "\x1b", "DEL": "\x7f", "NEL": "\x85", "line separator": "\u2028",
    "paragraph separator": "\u2029", "right-to-left override": "\u202e",
    "lone surrogate": "\ud800", "non-character": "\uffff",
}  # fmt: skip
REFUSED_IN_MULTI_LINE = {k: v for k, v in REFUSED_IN_ONE_LINE.items() if k != "LF"}


def _spec(*fields: FieldSpec) -> TemplateSpec:
    return TemplateSpec("mau", "Mẫu", "ke-hoach", Path("mau.docx"), fields=fields)


def _check(field: FieldSpec, value):
    """Return the value ``field`` keeps for ``value`` (validated as a one-field template)."""
    return validate_fields(_spec(field), {field.name: value})[field.name]


def _refusal(field: FieldSpec, value) -> dict[str, str]:
    with pytest.raises(FieldError) as caught:
        validate_fields(_spec(field), {field.name: value})
    return caught.value.fields


TEXT = FieldSpec("ten", "Tên cơ quan", FieldType.TEXT, required=True, max_length=40)
AREA = FieldSpec("ghi_chu", "Ghi chú", FieldType.TEXTAREA, required=True, max_length=60)
LIST = FieldSpec("thanh_tich", "Thành tích", FieldType.LIST, True, max_items=2, max_length=40)
BLOCKS = FieldSpec("noi_dung", "Nội dung", FieldType.BLOCKS, True, max_items=2, max_length=40)
TABLE = FieldSpec(
    "khen_thuong", "Khen thưởng", FieldType.TABLE, True, max_items=2,
    columns=(
        FieldSpec("nam", "Năm", FieldType.INT, True, minimum=1945, maximum=2100),
        FieldSpec("hinh_thuc", "Hình thức", FieldType.TEXT, True, max_length=40),
    ),
)  # fmt: skip
CHOICE = FieldSpec("loai", "Loại", FieldType.CHOICE, True, choices=("tap-the", "ca-nhan"))
INT = FieldSpec("nam_sinh", "Năm sinh", FieldType.INT, True, minimum=1900, maximum=2100)
DATE = FieldSpec("ngay", "Ngày họp", FieldType.DATE, True)
BOOL = FieldSpec("mat", "Văn bản mật", FieldType.BOOL, True)


def test_every_field_type_has_one_entry_with_a_widget():
    assert set(FIELD_TYPES) == set(FieldType)
    assert {kind.widget for kind in FIELD_TYPES.values()} <= set(Widget)
    assert FIELD_TYPES[FieldType.TEXTAREA].widget is Widget.TEXTAREA
    assert FIELD_TYPES[FieldType.TEXT].widget_limits(TEXT) == {"required": True, "maxlength": 40}
    assert FIELD_TYPES[FieldType.INT].widget_limits(INT)["min"] == 1900


# --- one-line text -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "   "])
def test_text_empty_is_refused_when_required(value):
    assert _refusal(TEXT, value) == {"ten": "“Tên cơ quan” không được để trống"}


def test_text_too_long_names_its_length():
    assert _refusal(TEXT, "x" * 41) == {"ten": "“Tên cơ quan” dài 41 ký tự, tối đa 40"}
    assert _check(TEXT, "x" * 40) == "x" * 40


@pytest.mark.parametrize("char", REFUSED_IN_ONE_LINE.values(), ids=REFUSED_IN_ONE_LINE.keys())
@pytest.mark.parametrize("field", [TEXT, CHOICE, DATE], ids=lambda f: f.type)
def test_one_line_fields_refuse_control_characters(field, char):
    message = _refusal(field, f"ab{char}cd")[field.name]
    assert message.startswith(f"“{field.label}”") and "ký tự thứ 3" in message


def test_text_prints_jinja_and_html_literally():
    assert _check(TEXT, JINJA) == JINJA
    assert _check(TEXT, HTML) == HTML


def test_text_is_kept_as_nfc_with_outer_spaces_trimmed():
    assert _check(TEXT, "  Ho\u0300a Bi\u0300nh  ") == "Hòa Bình"


def test_a_one_line_field_says_it_takes_one_line():
    assert _refusal(TEXT, "dòng một\ndòng hai") == {
        "ten": "“Tên cơ quan” chỉ được một dòng (có dấu xuống dòng ở ký tự thứ 9)"
    }


# --- multi-line text ---------------------------------------------------------------------------


def test_textarea_keeps_line_feeds_and_normalises_crlf():
    assert _check(AREA, "dòng một\r\ndòng hai\n") == "dòng một\ndòng hai"


@pytest.mark.parametrize("char", REFUSED_IN_MULTI_LINE.values(), ids=REFUSED_IN_MULTI_LINE.keys())
def test_textarea_refuses_every_other_control_character(char):
    message = _refusal(AREA, f"ab{char}cd")["ghi_chu"]
    assert message.startswith("“Ghi chú” chứa") and "ký tự thứ 3" in message


def test_textarea_empty_too_long_and_literal():
    assert _refusal(AREA, "\n\n")["ghi_chu"] == "“Ghi chú” không được để trống"
    assert _refusal(AREA, "x\n" * 31)["ghi_chu"] == "“Ghi chú” dài 61 ký tự, tối đa 60"
    assert _check(AREA, f"{JINJA}\n{HTML}") == f"{JINJA}\n{HTML}"


# --- lists, blocks, tables ---------------------------------------------------------------------


def test_list_items_are_one_line_texts():
    assert _refusal(LIST, []) == {"thanh_tich": "“Thành tích” phải có ít nhất một mục"}
    assert _refusal(LIST, ["a", "b", "c"]) == {"thanh_tich": "“Thành tích” có 3 mục, tối đa 2"}
    problems = _refusal(LIST, ["", "x" * 41])
    assert problems == {
        "thanh_tich[0]": "“Thành tích” không được để trống",
        "thanh_tich[1]": "“Thành tích” dài 41 ký tự, tối đa 40",
    }
    assert "dấu ngắt trang" in _refusal(LIST, ["ok", "a\fb"])["thanh_tich[1]"]
    assert _check(LIST, [JINJA, HTML]) == [JINJA, HTML]


def test_blocks_are_paragraphs_without_breaks():
    assert "ít nhất một mục" in _refusal(BLOCKS, [])["noi_dung"]
    assert _refusal(BLOCKS, [{"kind": "para", "text": " "}]) == {
        "noi_dung[0]": "“Nội dung”: đoạn văn bản trống"
    }
    assert "tối đa 40" in _refusal(BLOCKS, [{"kind": "para", "text": "x" * 41}])["noi_dung[0]"]
    for char in ("\a", "\f", "\n", "\x00"):
        problem = _refusal(BLOCKS, [{"kind": "dash", "text": f"- a{char}b"}])["noi_dung[0]"]
        assert problem.startswith("“Nội dung”")
    assert "loại đoạn" in _refusal(BLOCKS, [{"kind": ["para"], "text": "a"}])["noi_dung[0]"]
    kept = _check(BLOCKS, [{"kind": "para", "text": JINJA}, {"text": HTML}])
    assert kept == [{"kind": "para", "text": JINJA}, {"kind": "para", "text": HTML}]


def test_table_cells_are_checked_by_their_column_type():
    assert "ít nhất một mục" in _refusal(TABLE, [])["khen_thuong"]
    problems = _refusal(
        TABLE, [{"nam": "1900", "hinh_thuc": "a\tb"}, {"nam": 2015, "hinh_thuc": "x" * 41}]
    )
    assert problems == {
        "khen_thuong[0].nam": "“Năm” phải ≥ 1945",
        "khen_thuong[0].hinh_thuc": "“Hình thức” chứa dấu tab ở ký tự thứ 2; hãy xóa ký tự này",
        "khen_thuong[1].hinh_thuc": "“Hình thức” dài 41 ký tự, tối đa 40",
    }
    assert _check(TABLE, [{"nam": "2016", "hinh_thuc": HTML}]) == [{"nam": 2016, "hinh_thuc": HTML}]


# --- choices, numbers, dates, yes/no -----------------------------------------------------------


def test_choice_empty_unknown_and_literal():
    assert _refusal(CHOICE, "") == {"loai": "“Loại” không được để trống"}
    assert _refusal(CHOICE, JINJA) == {"loai": "“Loại” phải là một trong: tap-the, ca-nhan"}
    assert "phải là một trong" in _refusal(CHOICE, HTML)["loai"]
    assert _check(CHOICE, "ca-nhan") == "ca-nhan"


@pytest.mark.parametrize("value", [JINJA, HTML, "19\x0080", "1980\n", True, 19.8, ""])
def test_int_refuses_what_is_not_a_whole_number(value):
    problem = _refusal(INT, value)["nam_sinh"]
    assert problem.startswith("“Năm sinh”")


def test_int_limits_and_parsing():
    assert _refusal(INT, 2101) == {"nam_sinh": "“Năm sinh” phải ≤ 2100"}
    assert _check(INT, " 1980 ") == 1980


@pytest.mark.parametrize("value", [JINJA, HTML, "31/02/2017", 20170101, ""])
def test_date_refuses_what_is_not_a_date(value):
    assert _refusal(DATE, value)["ngay"].startswith("“Ngày họp”")


def test_date_takes_both_written_forms():
    assert _check(DATE, "9/3/2017") == _check(DATE, "2017-03-09") == date(2017, 3, 9)


@pytest.mark.parametrize("value", ["true", 1, JINJA, HTML])
def test_bool_takes_only_true_or_false(value):
    assert _refusal(BOOL, value) == {"mat": "“Văn bản mật” phải là đúng/sai"}


def test_lone_surrogates_are_refused_in_every_text_place():
    assert "surrogate" in _refusal(TEXT, "x\ud800y")["ten"]
    assert "surrogate" in _refusal(LIST, ["x\udfffy"])["thanh_tich[0]"]
    assert (
        "surrogate"
        in _refusal(TABLE, [{"nam": 2000, "hinh_thuc": "\ud800"}])["khen_thuong[0].hinh_thuc"]
    )
    with pytest.raises(Exception, match="surrogate"):
        clean_text("Nhãn", "\ud800", multiline=True)


# --- schemas -----------------------------------------------------------------------------------


def test_a_schema_may_set_only_the_limits_its_type_uses(tmp_path):
    schema = tmp_path / "mau.yaml"
    schema.write_text(
        "code: mau\nname: Mẫu\ndoctype: ke-hoach\nfields:\n"
        "  - {name: nam, label: Năm, type: int, max_length: 4}\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordsError, match="max_length"):
        load_spec(schema)
    schema.write_text(schema.read_text(encoding="utf-8").replace("int", "số"), encoding="utf-8")
    with pytest.raises(RecordsError, match="kiểu trường không hợp lệ"):
        load_spec(schema)


# --- what is kept is what prints ---------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    return "\n".join(texts)


def _mark(spec: TemplateSpec, fields: dict) -> list[str]:
    """Append a literal Jinja + HTML marker to every text a record fills; return the markers."""
    marks: list[str] = []

    def mark(field: FieldSpec, value: str) -> str:
        marker = f"«{field.name}{len(marks)} {{{{ 7*7 }}}} <i>&</i>»"
        if len(value) + len(marker) > (field.max_length or 1000):
            return value
        marks.append(marker)
        return f"{value} {marker}"

    for field in spec.fields:
        value = fields.get(field.name)
        if not value:
            continue
        if field.type in (FieldType.TEXT, FieldType.TEXTAREA):
            fields[field.name] = mark(field, value)
        elif field.type is FieldType.LIST:
            fields[field.name] = [mark(field, v) for v in value]
        elif field.type is FieldType.BLOCKS:
            fields[field.name] = [{**b, "text": mark(field, b["text"])} for b in value]
        elif field.type is FieldType.TABLE:
            text_columns = [c for c in field.columns if c.type is FieldType.TEXT]
            fields[field.name] = [
                {**row, **{c.name: mark(c, row[c.name]) for c in text_columns if row.get(c.name)}}
                for row in value
            ]
    return marks


@pytest.mark.parametrize(
    "code",
    ["ke-hoach-2017", "cong-van-de-nghi-2017", "to-trinh-2017", "bao-cao-6-thang-2017",
     "danh-sach-2017", "trich-ngang-mau"],
)  # fmt: skip
def test_every_text_field_of_every_template_prints_jinja_and_html_literally(renderer, code):
    records = load_records(ROOT / "records")
    request = records.document(code).request()
    spec = renderer.templates.get(request["template"])
    fields = dict(request.pop("fields"))
    marks = _mark(spec, fields)
    assert len(marks) >= 3
    prepared = renderer.prepare(records, fields=fields, **{**request, "template": spec.code})
    out = renderer.render(prepared, number=None, issue_date=None, year=2017)
    printed = _docx_text(out.docx)
    for marker in marks:
        assert marker in printed or marker.upper() in printed, marker
        assert marker in str(prepared.fields) or marker.upper() in str(prepared.fields)
    assert "49" not in printed.replace("2049", "")


def test_a_multi_line_cell_prints_its_line_breaks_as_sealed(renderer):
    records = load_records(ROOT / "records")
    request = records.document("danh-sach-2017").request()
    fields = dict(request.pop("fields"))
    fields["rows"] = [{**fields["rows"][0], "achievement": "Dòng một\r\nDòng hai"}]
    prepared = renderer.prepare(records, fields=fields, **request)
    assert prepared.fields["rows"][0]["achievement"] == "Dòng một\nDòng hai"
    out = renderer.render(prepared, number=None, issue_date=None, year=2017)
    assert "Dòng một\nDòng hai" in _docx_text(out.docx)
    assert "Dòng một\nDòng hai" in out.text


def test_a_template_escape_prints_braces_but_a_clerks_text_is_never_rewritten(tmp_path):
    template = docx.Document()
    template.add_paragraph("{_{ literal }_} {_% x %_} | {{ value }}")
    path = tmp_path / "mau.docx"
    template.save(str(path))
    out = DocxEngine().render(path, {"value": "{_{ 7*7 }_} {_% if %_}"})
    (line,) = [p.text for p in docx.Document(io.BytesIO(out.docx)).paragraphs]
    assert line == "{{ literal }} {% x %} | {_{ 7*7 }_} {_% if %_}"


def test_the_refused_characters_are_exactly_the_unprintable_categories():
    bidi = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        unprintable = (
            unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"}
            or unicodedata.bidirectional(ch) in bidi
            or ch in "\ufffe\uffff"
        )
        expected = unprintable and ch != "\n"
        assert (refused_character(ch, multiline=True) is not None) is expected, hex(code)
        assert (refused_character(ch, multiline=False) is not None) is unprintable, hex(code)
