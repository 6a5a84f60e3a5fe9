"""The preview service's parts that need no LibreOffice: the PNG encoder, placeholders for an
incomplete draft, the content key, version checks and the cache's pruning."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from docgen.errors import NotFound
from docgen.rendering.previews import ppm_to_png
from docgen.services import drafts
from docgen.services.draft_preview import (
    PreviewCache,
    StalePreview,
    _fill,
    check_version,
    content_key,
    prepare_preview,
)


def _decode(png: bytes) -> tuple[int, int, int, bytes]:
    """Return (width, height, colour type, raw scanlines) of a one-IDAT PNG."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pos, chunks = 8, {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, data = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", png[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + data)
        chunks[kind] = data
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and b"IEND" in chunks
    return width, height, colour, zlib.decompress(chunks[b"IDAT"])


def test_ppm_becomes_a_png_with_the_same_pixels():
    pixels = bytes(range(2 * 3 * 3))  # 3 × 2 RGB
    width, height, colour, raw = _decode(ppm_to_png(b"P6\n3 2\n255\n" + pixels))
    assert (width, height, colour) == (3, 2, 2)
    assert raw == b"\x00" + pixels[:9] + b"\x00" + pixels[9:]
    gray = _decode(ppm_to_png(b"P5\n2 2\n255\n\x00\x10\x20\x30"))
    assert gray[:3] == (2, 2, 0) and gray[3] == b"\x00\x00\x10\x00\x20\x30"
    assert ppm_to_png(b"not a pixmap") is None
    assert ppm_to_png(b"P6\n3 2\n255\n" + pixels[:5]) is None  # truncated


def test_version_checks():
    check_version(7, None, 3)
    check_version(7, 3, 3)
    with pytest.raises(StalePreview) as stale:
        check_version(7, 2, 3)
    assert stale.value.http_status == 409 and stale.value.details["current"] == 3
    with pytest.raises(NotFound):
        check_version(7, 4, 3)


def test_the_cache_prunes_by_age_then_by_size(tmp_path: Path):
    cache = PreviewCache(tmp_path, max_bytes=150, max_age=3600)
    for i, age in enumerate((7200, 300, 200, 100)):
        cache.write(f"k{i}.pdf", b"x" * 100)
        then = 10_000 - age
        os.utime(tmp_path / f"k{i}.pdf", (then, then))
    cache.point("1-1489975200000", 2, "k3")
    os.utime(tmp_path / "v" / "1-1489975200000-2", (10_000, 10_000))
    assert cache.prune(now=10_000) == 3  # k0 is too old; then k1, k2 for the size
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["k3.pdf"]
    assert cache.pointer("1-1489975200000", 2) == "k3"
    assert cache.pointer("1-1489975200001", 2) is None  # the same id, another draft
    assert cache.prune(now=10_001) == 0  # at most once a minute
    assert not list(tmp_path.glob(".tmp-*"))  # atomic writes leave no temporary file


def test_placeholders_fill_what_can_print_one(app, renderer):
    spec = renderer.templates.get("ke-hoach")
    data, labels = _fill(spec, {"summary": "  ", "basis": []})
    assert data["summary"] == "[Chưa nhập: Trích yếu nội dung]"
    assert data["body"] == [{"kind": "para", "text": "[Chưa nhập: Nội dung kế hoạch]"}]
    assert data["basis"] == []  # optional: left empty
    assert labels == ["Trích yếu nội dung", "Nội dung kế hoạch"]


def test_an_incomplete_draft_is_prepared_with_stand_ins_and_keyed_by_content(
    app, session, people, renderer, plan
):
    now = app.extensions["docgen.clock"].now()
    values = {**plan, "data": {"summary": ""}, "signer": None, "recipients": None}
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now,
                                **values)  # fmt: skip
    prepared, labels, problems = prepare_preview(session, draft, renderer)
    assert problems == [] and prepared is not None
    assert labels == ["Trích yếu nội dung", "Nội dung kế hoạch", "Người ký", "Nơi nhận"]
    assert prepared.summary == "[Chưa nhập: Trích yếu nội dung]"
    assert prepared.recipients.noi_nhan[0].name == "[Chưa chọn nơi nhận]"
    complete = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now,
                                   **plan)  # fmt: skip
    full, labels, _ = prepare_preview(session, complete, renderer)
    assert labels == [] and full is not None
    assert content_key(full, 2017) == content_key(full, 2017)
    assert content_key(full, 2017) != content_key(full, 2018)
    assert content_key(full, 2017) != content_key(prepared, 2017)


def test_a_wrong_value_is_listed_not_guessed(app, session, people, renderer, plan):
    now = app.extensions["docgen.clock"].now()
    values = {**plan, "data": {"summary": "Kế hoạch", "body": [{"kind": "x", "text": "a"}]}}
    draft = drafts.create_draft(session, actor=people.drafter, renderer=renderer, now=now,
                                **values)  # fmt: skip
    prepared, _, problems = prepare_preview(session, draft, renderer)
    assert prepared is None
    assert [label for label, _ in problems] == ["Nội dung kế hoạch"]
    assert "không hợp lệ" in problems[0][1]
