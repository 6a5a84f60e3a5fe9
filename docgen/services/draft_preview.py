"""Live previews of a saved draft (issue 9): page images, page count and the format check.

A preview is always of what is stored: the draft's version is named by the caller, and a
request for an older version than stored is ``StalePreview`` (the page already waits for a
newer one). The draft is rendered by the real template (DOCX → LibreOffice → PNG), never by
a second HTML template.

An incomplete draft still previews: a required text, list or body field left empty, and a
missing signer or recipient list, print as visible placeholders ("[Chưa nhập: …]"), so the
clerk sees the layout and the page count while writing; what is typed but wrong (a date
such as 31/02, a choice not on the list) is never guessed, and the panel lists the problems
in Vietnamese instead of the pages.

Cache (``PreviewCache``): gunicorn runs several processes, so the cache is on disk under the
instance folder, content-addressed: the key hashes everything the render depends on (the
prepared request, the template file, the year), so an unchanged draft — a second viewer, a
"Làm mới", a save that changed nothing printed — is never converted again, and pages 2..n
are rasterised from the kept PDF. Files are written atomically (``os.replace``) and pruned
by age and total size. One conversion per key, across processes: whoever converts holds
``<key>.lock`` (``fcntl.flock``), so a request arriving while a build runs (the one a save
started, ``preview_builds``) waits for it and reads its files instead of converting again.

The format check (``docgen check``, ~80 ms of Python) is not on the page-image path: it runs
on the kept DOCX when the panel asks for it (``preview_findings``), after page 1 is shown.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session

from docgen.checker import check_docx
from docgen.domain import Organisation, RecipientEntry, RecipientList, RecordLookup, Signer
from docgen.errors import Conflict, DocgenError, FieldError, NotFound
from docgen.policy import Actor
from docgen.rendering.context import Prepared
from docgen.rendering.documents import DocumentRenderer
from docgen.rendering.fields import FieldType
from docgen.rendering.pdf import Converter
from docgen.rendering.previews import page_count, page_png
from docgen.rendering.schema import RecipientMode, TemplateSpec
from docgen.services.clock import Clock
from docgen.services.draft_checks import issue_request
from docgen.services.drafts import get_draft
from docgen.services.issuance import prepare_request
from docgen.services.lookup import DbRecordLookup
from docgen.services.preview_cache import PreviewCache, draft_stamp

DPI = 80  # 662 × 936 px for an A4 page: legible beside the form
CACHE_FORMAT = "2"  # bump when what a key stands for changes
PLACEHOLDER_CODE = "__chua-chon__"
_TEXTUAL = {FieldType.TEXT, FieldType.TEXTAREA}


class StalePreview(Conflict):
    """The caller asks for an older version than the stored one: the page shows nothing new."""

    code = "preview_stale"


@dataclass(frozen=True)
class Preview:
    """What the panel shows for one version of a draft."""

    draft_id: int
    version: int
    key: str | None  # content key in the cache; None when nothing could be rendered
    pages: int = 0
    findings: tuple[dict[str, str], ...] | None = None  # None: not checked yet (own request)
    placeholders: tuple[str, ...] = ()  # labels printed as placeholders
    problems: tuple[tuple[str, str], ...] = ()  # (label, message) that stop the render
    cached: bool = False  # served without converting
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def rendered(self) -> bool:
        return self.key is not None


# --- preparing an incomplete draft ------------------------------------------------------------


class _PlaceholderLookup:
    """The database lookup, plus a visible stand-in for a signer or list not chosen yet."""

    def __init__(self, inner: RecordLookup, issuer: str, mode: RecipientMode) -> None:
        self._inner = inner
        self._issuer = issuer
        self._mode = mode

    def organisation(self, code: str) -> Organisation:
        return self._inner.organisation(code)

    def signer(self, code: str) -> Signer:
        if code == PLACEHOLDER_CODE:
            return Signer(code=code, name="Họ Và Tên", organisation=self._issuer,
                          title="CHỨC VỤ (CHƯA CHỌN NGƯỜI KÝ)")  # fmt: skip
        return self._inner.signer(code)

    def recipient_list(self, code: str) -> RecipientList:
        if code == PLACEHOLDER_CODE:
            name = "[Chưa chọn nơi nhận]"
            gui = (name,) if self._mode is RecipientMode.KINH_GUI else ()
            return RecipientList(code=code, name=name, kinh_gui=gui,
                                 noi_nhan=(RecipientEntry(name),))  # fmt: skip
        return self._inner.recipient_list(code)


def placeholder(label: str) -> str:
    return f"[Chưa nhập: {label}]"


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | tuple) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _fill(spec: TemplateSpec, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Return ``data`` with placeholders in its empty required fields that can print one."""
    out, labels = dict(data), []
    for f in spec.fields:
        if not f.required or not _blank(data.get(f.name)):
            continue
        text = placeholder(f.label)
        if f.type in _TEXTUAL:
            out[f.name] = text
        elif f.type is FieldType.LIST:
            out[f.name] = [text]
        elif f.type is FieldType.BLOCKS:
            out[f.name] = [{"kind": "para", "text": text}]
        elif f.type is FieldType.TABLE and all(c.type in _TEXTUAL or not c.required
                                               for c in f.columns):  # fmt: skip
            out[f.name] = [{c.name: placeholder(c.label) for c in f.columns if c.type in _TEXTUAL}]
        else:
            continue
        labels.append(f.label)
    return out, labels


def prepare_preview(
    session: Session, draft: Any, renderer: DocumentRenderer
) -> tuple[Prepared | None, list[str], list[tuple[str, str]]]:
    """Return (prepared, placeholder labels, problems) for a draft as stored, complete or not."""
    request = issue_request(draft)
    spec = renderer.templates.get(draft.template)
    lookup = DbRecordLookup(session, organisation=draft.organisation_id)
    try:
        return prepare_request(lookup, request, renderer), [], []
    except FieldError:
        pass
    data, labels = _fill(spec, dict(request.fields))
    changes: dict[str, Any] = {"fields": data}
    if spec.signed and not request.signer:
        changes["signer"] = PLACEHOLDER_CODE
        labels.append("Người ký")
    if spec.recipients is not RecipientMode.NONE and not request.recipients:
        changes["recipients"] = PLACEHOLDER_CODE
        labels.append("Nơi nhận")
    stand_in = _PlaceholderLookup(lookup, request.issuer, spec.recipients)
    try:
        return prepare_request(stand_in, replace(request, **changes), renderer), labels, []
    except FieldError as exc:
        return None, labels, _labelled(spec, exc.fields)
    except DocgenError as exc:
        return None, labels, [("Dự thảo", exc.message)]


def _labelled(spec: TemplateSpec, problems: dict[str, str]) -> list[tuple[str, str]]:
    """Return (label, message) per problem: the field's Vietnamese label where there is one."""
    names = {"signer": "Người ký", "recipients": "Nơi nhận", "unit": "Đơn vị soạn thảo",
             "issuer": "Cơ quan ban hành", "register": "Sổ đăng ký"}  # fmt: skip
    out = []
    for key, message in problems.items():
        base = key.split("[", 1)[0].split(".", 1)[0]
        found = spec.field(base)
        out.append((found.label if found else names.get(base, key), message))
    return out


def content_key(prepared: Prepared, year: int) -> str:
    """Return the cache key of a render: what it prints depends on nothing else."""
    stat = prepared.spec.path.stat()
    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, repr(prepared), str(year), str(stat.st_size),
                 str(stat.st_mtime_ns), str(DPI)):  # fmt: skip
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


# --- building and serving ----------------------------------------------------------------------


def build_preview(
    session: Session,
    draft_id: int,
    *,
    actor: Actor,
    version: int | None,
    renderer: DocumentRenderer,
    converter: Converter,
    cache: PreviewCache,
    clock: Clock,
    slot: Callable[[], AbstractContextManager[Any]] = nullcontext,
) -> Preview:
    """Return the preview of the stored draft, rendering and converting it unless cached.

    ``version``: the version the page waits for; older than stored is ``StalePreview``,
    newer is ``NotFound``. The read ends before LibreOffice runs (no transaction is held).
    ``slot``: held around the conversion (the per-user limit of the web app). A build of
    the same content already running (here or in another process) is waited for, not
    repeated. ``findings`` stay ``None``: the check is ``preview_findings``.
    """
    began = time.perf_counter()
    draft = get_draft(session, draft_id, actor)  # another organisation's draft: NotFound
    current, stamp = draft.version, draft_stamp(draft)
    check_version(draft_id, version, current)
    prepared, labels, problems = prepare_preview(session, draft, renderer)
    year = clock.today().year
    session.rollback()  # a preview writes nothing; end the read before converting
    base = Preview(draft_id, current, None, placeholders=tuple(labels))
    if prepared is None:
        return replace(base, problems=tuple(problems))
    key = content_key(prepared, year)
    timings = {"prepare": time.perf_counter() - began}
    known = _known(cache, key)
    if known is None:
        with cache.key_lock(key) as waited:  # a build of this content may be running
            timings["lock_wait"] = waited
            known = _known(cache, key)  # it finished while we waited: its files serve
            if known is None:
                pages = _convert(prepared, year, key, renderer, converter, cache, slot, timings)
                cache.point(stamp, current, key)
                cache.prune()
                timings["total"] = time.perf_counter() - began
                return replace(base, key=key, pages=pages, timings=timings)
    cache.point(stamp, current, key)
    timings["total"] = time.perf_counter() - began
    return replace(base, key=key, pages=known["pages"], cached=True, timings=timings)


def _known(cache: PreviewCache, key: str) -> dict[str, Any] | None:
    """Return the manifest of a finished build of ``key`` (written last), else None."""
    known = cache.manifest(key)
    return known if known is not None and cache.path(f"{key}.pdf").exists() else None


def check_version(draft_id: int, wanted: int | None, current: int) -> None:
    """Raise ``StalePreview`` for a version older than ``current``, ``NotFound`` for a newer."""
    if wanted is None or wanted == current:
        return
    if wanted < current:
        raise StalePreview(
            f"Dự thảo mã số {draft_id} đã có phiên bản {current} mới hơn phiên bản {wanted}.",
            id=draft_id, version=wanted, current=current,
        )  # fmt: skip
    raise NotFound(f"Dự thảo mã số {draft_id} chưa có phiên bản {wanted}.", id=draft_id)


def _convert(
    prepared: Prepared,
    year: int,
    key: str,
    renderer: DocumentRenderer,
    converter: Converter,
    cache: PreviewCache,
    slot: Callable[[], AbstractContextManager[Any]],
    timings: dict[str, float],
) -> int:
    """Render, convert, count and rasterise page 1; cache them, the manifest last.

    The DOCX is kept for the format check, which runs later on its own request.
    """
    t0 = time.perf_counter()
    docx = renderer.render(prepared, number=None, issue_date=None, year=year).docx
    t1 = time.perf_counter()
    with slot():
        pdf = converter.to_pdf(docx)
    t2 = time.perf_counter()
    pages = page_count(pdf)
    first = page_png(pdf, 1, dpi=DPI)
    t3 = time.perf_counter()
    cache.write(f"{key}.docx", docx)
    cache.write(f"{key}.pdf", pdf)
    cache.write(f"{key}-1.png", first)
    cache.write(f"{key}.json", json.dumps({"pages": pages}).encode("utf-8"))
    timings.update(render=t1 - t0, convert=t2 - t1, rasterise=t3 - t2)
    return pages


def check_findings(docx: bytes) -> tuple[dict[str, str], ...]:
    """Return ``docgen check``'s findings on a draft's DOCX, as dictionaries."""
    try:
        return tuple(f.to_dict() for f in check_docx(docx))
    except Exception as exc:  # the check must never cost the clerk the pages
        message = f"Không kiểm tra được thể thức: {exc}"
        return ({"rule": "docgen.check", "severity": "warning", "location": "",
                 "message": message},)  # fmt: skip


def page_image(
    session: Session,
    draft_id: int,
    version: int,
    page: int,
    *,
    actor: Actor,
    cache: PreviewCache,
    rebuild: Callable[[], Preview],
) -> tuple[bytes, str]:
    """Return (PNG, etag) of page ``page`` of a draft's ``version``, from the cache.

    The draft must be readable by ``actor`` (``NotFound`` otherwise). Pages 2..n are
    rasterised on first request from the kept PDF.
    """
    key, pdf = cached_file(session, draft_id, version, "pdf", actor=actor, cache=cache,
                           rebuild=rebuild)  # fmt: skip
    name = f"{key}-{page}.png"
    png = cache.read(name)
    if png is None:
        png = page_png(pdf, page, dpi=DPI)  # PageNotFound beyond the last page
        cache.write(name, png)
    return png, f"{key}-{page}"


def preview_findings(
    session: Session,
    draft_id: int,
    version: int,
    *,
    actor: Actor,
    cache: PreviewCache,
    rebuild: Callable[[], Preview],
) -> tuple[dict[str, str], ...]:
    """Return the format check of a draft's ``version``: once per content, from its DOCX."""
    key, docx = cached_file(session, draft_id, version, "docx", actor=actor, cache=cache,
                            rebuild=rebuild)  # fmt: skip
    raw = cache.read(f"{key}-check.json")
    if raw is not None:
        return tuple(json.loads(raw))
    findings = check_findings(docx)
    cache.write(f"{key}-check.json", json.dumps(findings, ensure_ascii=False).encode("utf-8"))
    return findings


def cached_file(
    session: Session,
    draft_id: int,
    version: int,
    suffix: str,
    *,
    actor: Actor,
    cache: PreviewCache,
    rebuild: Callable[[], Preview],
) -> tuple[str, bytes]:
    """Return (key, bytes) of the cached ``<key>.<suffix>`` of a draft's ``version``.

    The draft must be readable by ``actor`` (``NotFound`` otherwise). When the cache lost
    the current version's files (pruned, or another machine), ``rebuild`` makes them again;
    an older version no longer cached is ``NotFound``.
    """
    draft = get_draft(session, draft_id, actor)
    current, stamp = draft.version, draft_stamp(draft)
    session.rollback()
    if version > current:
        raise NotFound(f"Dự thảo mã số {draft_id} chưa có phiên bản {version}.", id=draft_id)
    key = cache.pointer(stamp, version)
    data = cache.read(f"{key}.{suffix}") if key else None
    if data is None:
        if version != current:
            raise NotFound(f"Ảnh xem trước phiên bản {version} không còn lưu.", id=draft_id)
        key = rebuild().key
        data = cache.read(f"{key}.{suffix}") if key else None
        if key is None or data is None:
            raise NotFound("Dự thảo chưa xem trước được (còn thiếu thông tin).", id=draft_id)
    return key, data
