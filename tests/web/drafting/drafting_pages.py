"""Helpers of the drafting form tests: make a draft through the pages, fill a form, read a DOCX."""

from __future__ import annotations

import io
import re

import docx
from flask.testing import FlaskClient

from docgen.rendering.fields import FieldSpec, FieldType
from tests.web.pages import post_form, text

TONES = (
    "à á ả ã ạ ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ è é ẻ ẽ ẹ ề ế ể ễ ệ ì í ỉ ĩ ị ò ó ỏ õ ọ "
    "ồ ố ổ ỗ ộ ờ ớ ở ỡ ợ ù ú ủ ũ ụ ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ đ Đ"
)


def new_draft(client: FlaskClient, template: str) -> tuple[str, int]:
    """Return (edit url, draft id) of a new draft of ``template`` made through the picker."""
    response = post_form(client, "/drafting/new", {"template": template})
    assert response.status_code == 303, text(response)[:2000]
    url = response.headers["Location"]
    return url, int(url.rstrip("/").rsplit("/", 1)[1])


def version_of(page: str) -> str:
    """Return the version the edit page's form carries."""
    match = re.search(r'name="version" id="draft-version" value="(\d+)"', page)
    assert match, "no version input on the page"
    return match.group(1)


def value_for(spec: FieldSpec, tag: str) -> str:
    """Return a distinct value with Vietnamese tone marks that ``spec`` accepts."""
    limit = spec.max_length or 1000
    if spec.type is FieldType.INT:
        return str(spec.minimum + 7 if spec.minimum is not None else 2017)
    if spec.type is FieldType.DATE:
        return "20/03/2017"
    if spec.type is FieldType.CHOICE:
        return spec.choices[-1]
    if spec.type is FieldType.BOOL:
        return "1"
    full = f"Ắ{tag} Ước ữ ợ Đạt {TONES}"
    return full[:limit] if limit < len(full) else full


def docx_text(data: bytes) -> str:
    """Return every paragraph and table cell of a DOCX (headers and footers too), joined."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        for table in section.header.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
