"""The docxtpl layer: one Jinja environment, compiled templates cached, DOCX bytes out.

docxtpl re-reads, re-cleans (``patch_xml``) and re-compiles a template's XML on every
render; most of that work depends only on the template file. Here it is done once per
template file (keyed by path, size and mtime) and each render reuses the compiled Jinja
template on a fresh ``DocxTemplate`` (which is not thread-safe to share).
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from docgen.errors import RenderError

_PARA_OPEN = re.compile(r"<w:p([ >])")
_PARA_BACK = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = "\n\t\a\f"  # what docxtpl's resolve_listing turns into breaks and tabs
# docxtpl's escapes for a literal {{ }} {% %} in a template. They are turned into Jinja string
# literals before compiling, never replaced in the output, where they may be a clerk's text.
_ESCAPED = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


def _literal(match: re.Match[str]) -> str:
    return "{{ '" + match.group(0).replace("_", "") + "' }}"


class MissingField(RenderError):
    """The template uses a field the data does not have."""

    code = "missing_field"


class _VietnameseUndefined(StrictUndefined):
    """StrictUndefined whose error names the missing field in Vietnamese."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any):  # type: ignore[override]
        name = self._undefined_name
        if name is None and self._undefined_hint:
            name = self._undefined_hint
        raise MissingField(f"Thiếu trường dữ liệu “{name}” mà mẫu văn bản cần.", field=str(name))

    # StrictUndefined binds these to the base class's function; rebind them to ours.
    __str__ = __iter__ = __len__ = __bool__ = __eq__ = __ne__ = __contains__ = (  # type: ignore[assignment]
        _fail_with_undefined_error
    )
    __hash__ = _fail_with_undefined_error  # type: ignore[assignment]


def make_environment(filters: Mapping[str, Callable[..., Any]] | None = None) -> Environment:
    """Return docgen's Jinja environment: autoescape on, strict undefined, docgen's filters."""
    env = Environment(autoescape=True, undefined=_VietnameseUndefined, keep_trailing_newline=True)
    if filters:
        env.filters.update(filters)
    return env


@dataclass
class _CacheEntry:
    """One template file: its bytes and its parts compiled once."""

    data: bytes
    compiled: dict[str, Template | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: str, compile_part: Callable[[], Template | None]) -> Template | None:
        found = self.compiled.get(key, _MISSING)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        with self.lock:
            if key not in self.compiled:
                self.compiled[key] = compile_part()
            return self.compiled[key]


_MISSING = object()


class _CachedDocxTemplate(DocxTemplate):
    """A DocxTemplate that takes its compiled Jinja parts from a shared cache entry."""

    def __init__(self, entry: _CacheEntry) -> None:
        super().__init__(io.BytesIO(entry.data))
        self._entry = entry

    def _compile(self, key: str, source: Callable[[], str], env: Environment) -> Template | None:
        def compile_part() -> Template | None:
            xml = source()
            if "{" not in xml:
                return None  # nothing to render: keep the part as it is
            try:
                return env.from_string(_PARA_OPEN.sub(r"\n<w:p\1", _ESCAPED.sub(_literal, xml)))
            except TemplateError as exc:
                raise RenderError(f"Mẫu văn bản bị lỗi cú pháp: {exc}") from exc

        return self._entry.get(key, compile_part)

    def _finish(self, template: Template, part: Any, context: Mapping[str, Any]) -> str:
        self.current_rendering_part = part
        try:
            xml = template.render(context)
        except MissingField:
            raise
        except TemplateError as exc:
            raise RenderError(f"Không điền được mẫu văn bản: {exc}") from exc
        xml = _PARA_BACK.sub(r"<w:p\1", xml)
        if any(ch in xml for ch in _LISTING_CHARS):  # user text with line breaks or tabs
            xml = self.resolve_listing(xml)
        return xml

    def build_xml(self, context, jinja_env=None):  # type: ignore[override]
        template = self._compile("body", lambda: self.patch_xml(self.get_xml()), jinja_env)
        if template is None:
            return self.get_xml()
        return self._finish(template, self.docx._part, context)

    def build_headers_footers_xml(self, context, uri, jinja_env=None):  # type: ignore[override]
        for rel_key, part in self.get_headers_footers(uri):

            def source(part=part) -> str:
                return self.patch_xml(self.get_part_xml(part))

            template = self._compile(f"{uri}|{part.partname}", source, jinja_env)
            if template is not None:
                yield rel_key, self._finish(template, part, context).encode("utf-8")

    def render_properties(self, context, jinja_env=None):  # type: ignore[override]
        props = self.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            initial = getattr(props, name)
            if initial and "{" in initial:
                template = self._compile(f"prop|{name}", lambda v=initial: v, jinja_env)
                if template is not None:
                    setattr(props, name, template.render(context))


@dataclass(frozen=True)
class RenderOutput:
    docx: bytes
    text: str  # the document's text, paragraph per line, body order (tables included)


class DocxEngine:
    """Renders DOCX templates through one environment with a per-file compile cache."""

    def __init__(self, env: Environment | None = None) -> None:
        self.env = env or make_environment()
        self._cache: dict[tuple[str, int, int], _CacheEntry] = {}
        self._lock = threading.Lock()

    def _entry(self, path: Path) -> _CacheEntry:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        entry = self._cache.get(key)
        if entry is None:
            with self._lock:
                entry = self._cache.get(key)
                if entry is None:
                    entry = _CacheEntry(path.read_bytes())
                    self._cache = {k: v for k, v in self._cache.items() if k[0] != key[0]}
                    self._cache[key] = entry
        return entry

    def render(self, path: Path, context: Mapping[str, Any]) -> RenderOutput:
        """Return the DOCX rendered from the template at ``path`` with ``context``, and its text."""
        template = _CachedDocxTemplate(self._entry(path))
        template.render(dict(context), jinja_env=self.env)
        text = body_text(template.docx.element.body)
        out = io.BytesIO()
        template.save(out)
        return RenderOutput(out.getvalue(), text)


_W_T, _W_TAB, _W_BR, _W_P = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")


def body_text(body: Any) -> str:
    """Return the text of a WordprocessingML body: one line per paragraph, tables included."""
    lines = []
    for p in body.iter(_W_P):
        parts = []
        for el in p.iter(_W_T, _W_TAB, _W_BR):
            if el.tag == _W_T:
                parts.append(el.text or "")
            elif el.tag == _W_TAB:
                parts.append("\t")
            else:
                parts.append("\n")
        lines.append("".join(parts))
    return "\n".join(lines)
