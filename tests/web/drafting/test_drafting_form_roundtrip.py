"""Every template's form round-trips: the page offers an input for every schema field, a clerk
fills them all (Vietnamese tone marks), saves, and the rendered DOCX prints each value."""

from __future__ import annotations

import pytest
from flask import Flask

from docgen.db import get_db
from docgen.models import Draft
from docgen.rendering.fields import FieldType
from docgen.runtime import get_renderer
from docgen.services.accounts import actor_for, user_by_username
from docgen.services.draft_checks import issue_request
from docgen.services.issuance import render_draft
from tests.web.drafting.drafting_pages import docx_text, new_draft, value_for, version_of
from tests.web.pages import post_form, sign_in, text

# Every template a clerk drafts (so-dang-ky-di, the register book, is printed, not drafted).
TEMPLATES = ["bao-cao", "cong-van", "danh-sach", "ke-hoach", "to-trinh", "trich-ngang"]
# Each template's recipient list from the records (None: the template prints none).
RECIPIENTS = {"bao-cao": "bao-cao-6-thang-2017", "cong-van": "cong-van-de-nghi-2017",
              "ke-hoach": "ke-hoach-2017", "to-trinh": "to-trinh-2017"}  # fmt: skip
SIGNER = "cvp-ubnd-tinh-tuq-mau"  # a signer of ubnd-tinh, the sample drafter's organisation


def fill(spec_fields) -> tuple[dict[str, str], list[str]]:
    """Return (the form post, the texts the DOCX must print) filling every field."""
    form: dict[str, str] = {}
    printed: list[str] = []
    for n, spec in enumerate(spec_fields):
        tag = f"{n}"
        name = f"f.{spec.name}"
        if spec.type is FieldType.LIST:
            for i in range(2):
                form[f"{name}-{i}"] = value = value_for(spec, f"{tag}.{i}")
                printed.append(value)
        elif spec.type is FieldType.BLOCKS:
            form[f"{name}-0-kind"], form[f"{name}-0-text"] = "section", f"I. Mục Ắ{tag} ưởng"
            form[f"{name}-1-kind"], form[f"{name}-1-text"] = "para", f"Đoạn Ữ{tag} **hạn ợ {tag}**"
            printed += [f"I. Mục Ắ{tag} ưởng", f"Đoạn Ữ{tag} hạn ợ {tag}"]
        elif spec.type is FieldType.TABLE:
            for i in range(2):
                for c, column in enumerate(spec.columns):
                    form[f"{name}-{i}-{column.name}"] = value = value_for(column, f"{tag}{i}{c}")
                    if column.type in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.INT):
                        printed.append(value)
        else:
            form[name] = value = value_for(spec, tag)
            if spec.type in (FieldType.TEXT, FieldType.TEXTAREA, FieldType.INT):
                printed.append(value)
    return form, printed


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_field_of_every_template_round_trips(app: Flask, client, people, template):
    spec = get_renderer(app).templates.get(template)
    sign_in(client, "chuyenvien", people["chuyenvien"])
    url, draft_id = new_draft(client, template)
    page = text(client.get(url))
    form, printed = fill(spec.fields)
    for name in form:  # the generated form offers every input (row 1 is one the clerk adds)
        assert f'name="{name.replace("-1", "-__row__", 1)}"' in page, name
    form.update(version=version_of(page), signer=SIGNER if spec.signed else "", unit="VHXH")
    if RECIPIENTS.get(template):
        form["recipients"] = RECIPIENTS[template]
    saved = post_form(client, url, form)
    assert saved.status_code == 303, text(saved)[:4000]
    assert "Đã lưu dự thảo" in text(client.get(url))

    with get_db(app).session() as session:
        draft = session.get(Draft, draft_id)
        actor = actor_for(user_by_username(session, "chuyenvien"))
        clock, renderer = app.extensions["docgen.clock"], get_renderer(app)
        rendered = render_draft(
            session, issue_request(draft), actor=actor, clock=clock, renderer=renderer
        )
    body = docx_text(rendered.docx).upper()
    missing = [value for value in printed if value.upper() not in body]
    assert not missing, f"{template}: not printed {missing}"
    # The page shows back what was saved, value by value.
    again = text(client.get(url))
    for name, value in form.items():
        if name.startswith("f.") and not name.endswith("-kind"):
            assert value.replace("**", "") in again.replace("**", ""), name


def test_the_picker_offers_every_drafted_template_and_no_register_book(app, client, people):
    sign_in(client, "chuyenvien", people["chuyenvien"])
    page = text(client.get("/drafting/new"))
    offered = {spec.code for spec in get_renderer(app).templates if f'value="{spec.code}"' in page}
    assert offered == set(TEMPLATES)
    assert "Ví dụ:" in page and "Công văn đề nghị giới thiệu điển hình tiên tiến" in page
    refused = post_form(client, "/drafting/new", {"template": "so-dang-ky-di"})
    assert refused.status_code == 422 and "Chọn một mẫu văn bản trong danh sách" in text(refused)


def test_a_field_added_to_a_schema_appears_in_the_form_and_round_trips(
    app: Flask, client, people, tmp_path
):
    """A template folder whose schema gains fields: the form shows them with no page change."""
    import shutil

    from docgen.rendering.schema import TemplateRegistry

    source = get_renderer(app).templates.get("trich-ngang").path.parent
    for suffix in ("yaml", "docx"):
        shutil.copy(source / f"trich-ngang.{suffix}", tmp_path / f"trich-ngang.{suffix}")
    schema = tmp_path / "trich-ngang.yaml"
    schema.write_text(
        schema.read_text(encoding="utf-8")
        + '  - {name: motto, label: "Phương châm ắ", type: text, max_length: 80,'
        ' help: "Một câu ngắn"}\n'
        '  - {name: met_on, label: "Ngày gặp mặt", type: date}\n'
        '  - {name: public, label: "Công khai", type: bool}\n'
        "  - name: steps\n    label: Các bước\n    type: table\n    columns:\n"
        '      - {name: what, label: "Việc", type: text, required: true}\n'
        '      - {name: done, label: "Xong", type: bool}\n',
        encoding="utf-8",
    )
    renderer = get_renderer(app)
    renderer.templates = TemplateRegistry(tmp_path)  # only this app's renderer, this test
    spec = renderer.templates.get("trich-ngang")
    sign_in(client, "chuyenvien", people["chuyenvien"])
    url, draft_id = new_draft(client, "trich-ngang")
    page = text(client.get(url))
    assert "Phương châm ắ" in page and 'name="f.motto"' in page and 'maxlength="80"' in page
    assert 'name="f.met_on"' in page and 'placeholder="dd/mm/yyyy"' in page
    assert 'type="checkbox" id="in-public" name="f.public"' in page
    assert 'name="f.steps-0-what"' in page and 'name="f.steps-0-done"' in page
    form, _ = fill(spec.fields)
    form.update({"version": version_of(page), "f.steps-1-what": "", "f.steps-1-done": ""})
    saved = post_form(client, url, form)
    assert saved.status_code == 303, text(saved)[:3000]
    with get_db(app).session() as session:
        data = session.get(Draft, draft_id).data
    assert data["motto"] == form["f.motto"] and data["met_on"] == "20/03/2017"
    assert data["public"] is True
    assert data["steps"] == [{"what": form["f.steps-0-what"], "done": True}]
    again = text(client.get(url))
    assert f'value="{form["f.motto"]}"' in again and "checked" in again
