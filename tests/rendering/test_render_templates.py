"""The committed DOCX templates: built from the shared blocks, strict about their variables."""

from __future__ import annotations

import io
import zipfile

import pytest
from docxtpl import DocxTemplate
from jinja2 import meta, nodes

from docgen.rendering.builder import BUILDERS, build_template
from docgen.rendering.engine import make_environment

CONTEXT_KEYS = {
    "header",
    "title",
    "summary",
    "summary_rule",
    "kinh_gui",
    "basis",
    "body",
    "conclusion",
    "signer",
    "noi_nhan",
    "fields",
}
EXTRA_KEYS = {  # keys build_context adds for one template only
    "danh-sach": {"appendix_line", "rows"},
    "bao-cao": {"figures", "breakdown"},
    "trich-ngang": {"profile", "achievements", "awards", "no_awards"},
    "so-dang-ky-di": {"rows", "chain_head"},
    "muc-luc-van-ban": {"rows"},
}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_every_template_has_a_schema_and_a_builder(renderer):
    assert set(renderer.templates.codes()) == set(BUILDERS)
    for spec in renderer.templates:
        assert spec.path.exists(), spec.path


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_committed_template_is_what_the_builder_makes(renderer, code):
    committed = _parts(renderer.templates.get(code).path.read_bytes())
    built = _parts(build_template(code))
    assert committed.keys() == built.keys()
    for name in built:
        assert committed[name] == built[name], (
            f"{code}: {name} differs — run docgen build-templates"
        )


def _template_ast(path):
    template = DocxTemplate(path)
    document = template.get_docx()
    xml = template.patch_xml(template.get_xml())
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/header") or rel.reltype.endswith("/footer"):
            xml += template.patch_xml(template.get_part_xml(rel.target_part))
    return make_environment().parse(xml)


@pytest.mark.parametrize("code", sorted(BUILDERS))
def test_template_variables_are_known(renderer, code):
    spec = renderer.templates.get(code)
    ast = _template_ast(spec.path)
    undeclared = meta.find_undeclared_variables(ast)
    assert undeclared <= CONTEXT_KEYS | EXTRA_KEYS.get(code, set()), undeclared
    used_fields = {
        node.attr
        for node in ast.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == "fields"
    }
    schema_fields = {f.name for f in spec.fields}
    assert used_fields <= schema_fields, used_fields - schema_fields
