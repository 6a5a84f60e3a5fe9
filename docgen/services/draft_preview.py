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
by age and total size.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
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

DPI = 80  # 662 × 936 px for an A4 page: legible beside the form
CACHE_FORMAT = "1"  # bump when what a key stands for changes
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
    findings: tuple[dict[str, str], ...] = ()
    placeholders: tuple[str, ...] = ()  # labels printed as placeholders
    problems: tuple[tuple[str, str], ...] = ()  # (label, message) that stop the render
    cached: bool = False  # served without converting
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def rendered(self) -> bool:
        return self.key is not None


# --- the cache -----------------------------------------------------------------------------------


def draft_stamp(draft: Any) -> str:
    """Return what names a draft in the cache: its id and creation instant, so that a draft
    id reused after a restore or in a new database never finds another draft's pages."""
    return f"{draft.id}-{int(draft.created_at.timestamp() * 1000)}"


class PreviewCache:
    """Content-addressed files under ``root``: ``<key>.pdf``, ``<key>.json``, ``<key>-<page>.png``,
    and ``v/<draft>-<version>`` pointing at the key of a draft's version."""

    def __init__(self, root: Path, *, max_bytes: int = 200 << 20, max_age: float = 86400) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._lock = threading.Lock()
        self._last_prune = 0.0

    def path(self, name: str) -> Path:
        return self.root / name

    def read(self, name: str) -> bytes | None:
        try:
            return self.path(name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Write ``name`` atomically: a reader in another process sees all of it or nothing."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def manifest(self, key: str) -> dict[str, Any] | None:
        raw = self.read(f"{key}.json")
        return json.loads(raw) if raw else None

    def pointer(self, stamp: str, version: int) -> str | None:
        raw = self.read(f"v/{stamp}-{version}")
        return raw.decode("ascii") if raw else None

    def point(self, stamp: str, version: int, key: str) -> None:
        self.write(f"v/{stamp}-{version}", key.encode("ascii"))

    def prune(self, *, now: float | None = None, every: float = 60.0) -> int:
        """Delete files older than ``max_age``, then the oldest until under ``max_bytes``.

        Runs at most once per ``every`` seconds per process; returns the files deleted.
        """
        now = time.time() if now is None else now
        with self._lock:
            if now - self._last_prune < every:
                return 0
            self._last_prune = now
        files = []
        for path in self._files():
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((stat.st_mtime, stat.st_size, path))
        files.sort()
        total = sum(size for _, size, _ in files)
        deleted = 0
        for mtime, size, path in files:
            if now - mtime <= self.max_age and total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            deleted += 1
        return deleted

    def _files(self) -> Iterator[Path]:
        for folder in (self.root, self.root / "v"):
            if folder.is_dir():
                yield from (p for p in folder.iterdir() if p.is_file())


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
    ``slot``: held around the conversion (the per-user limit of the web app).
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
    known = cache.manifest(key)
    if known is not None and cache.path(f"{key}.pdf").exists():
        cache.point(stamp, current, key)
        return replace(base, key=key, pages=known["pages"], cached=True,
                       findings=tuple(known["findings"]), timings=timings)  # fmt: skip
    pages, findings = _convert(prepared, year, key, renderer, converter, cache, slot, timings)
    cache.point(stamp, current, key)
    cache.prune()
    timings["total"] = time.perf_counter() - began
    return replace(base, key=key, pages=pages, findings=findings, timings=timings)


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
) -> tuple[int, tuple[dict[str, str], ...]]:
    """Render, convert, count, rasterise page 1 and check (beside the conversion); cache all."""
    t0 = time.perf_counter()
    docx = renderer.render(prepared, number=None, issue_date=None, year=year).docx
    t1 = time.perf_counter()
    found: list[Any] = []
    # The check reads the DOCX in Python while LibreOffice converts it in its own process.
    checker = threading.Thread(target=lambda: found.append(_check(docx)), daemon=True)
    checker.start()
    with slot():
        pdf = converter.to_pdf(docx)
    t2 = time.perf_counter()
    pages = page_count(pdf)
    first = page_png(pdf, 1, dpi=DPI)
    t3 = time.perf_counter()
    checker.join()
    findings = found[0] if found else ()
    cache.write(f"{key}.pdf", pdf)
    cache.write(f"{key}-1.png", first)
    manifest = {"pages": pages, "findings": list(findings)}
    cache.write(f"{key}.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
    timings.update(render=t1 - t0, convert=t2 - t1, rasterise=t3 - t2,
                   check_wait=time.perf_counter() - t3)  # fmt: skip
    return pages, findings


def _check(docx: bytes) -> tuple[dict[str, str], ...]:
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
    rasterised on first request from the kept PDF. When the cache lost the current
    version's files (pruned, or another machine), ``rebuild`` makes them again; an older
    version no longer cached is ``NotFound``.
    """
    draft = get_draft(session, draft_id, actor)
    current, stamp = draft.version, draft_stamp(draft)
    session.rollback()
    if version > current:
        raise NotFound(f"Dự thảo mã số {draft_id} chưa có phiên bản {version}.", id=draft_id)
    key = cache.pointer(stamp, version)
    pdf = cache.read(f"{key}.pdf") if key else None
    if pdf is None:
        if version != current:
            raise NotFound(f"Ảnh xem trước phiên bản {version} không còn lưu.", id=draft_id)
        key = rebuild().key
        pdf = cache.read(f"{key}.pdf") if key else None
        if pdf is None:
            raise NotFound("Dự thảo chưa xem trước được (còn thiếu thông tin).", id=draft_id)
    name = f"{key}-{page}.png"
    png = cache.read(name)
    if png is None:
        png = page_png(pdf, page, dpi=DPI)  # PageNotFound beyond the last page
        cache.write(name, png)
    return png, f"{key}-{page}"
