"""Previews built when a draft is saved (real LibreOffice): the panel's request uses the save's
build instead of converting again, waits for a build still running (the key's file lock), a
newer save wins, and a failing build never breaks the save."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from docgen.errors import ConversionError
from tests.conftest import shared_converter
from tests.web.drafting.test_drafting_preview import HX, _cache, _client, _new_draft, _pdf_text
from tests.web.pages import csrf_token, text

_BUILDS = "docgen.preview_builds"


class Counting:
    """The shared converter, counting conversions; ``gate`` (when set) holds them back."""

    def __init__(self, fail: bool = False) -> None:
        self.inner = shared_converter()
        self.calls = 0
        self.started = threading.Event()
        self.gate: threading.Event | None = None
        self.fail = fail
        self._lock = threading.Lock()

    def to_pdf(self, docx: bytes, *args, **kwargs) -> bytes:
        with self._lock:
            self.calls += 1
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(60)
        if self.fail:
            raise ConversionError("LibreOffice không chạy (giả lập trong kiểm thử).")
        return self.inner.to_pdf(docx, *args, **kwargs)


@pytest.fixture
def counting(app: Flask) -> Iterator[Counting]:
    """Turn the save-started builds on, with a counting converter; wait for them at the end."""
    converter = Counting()
    app.config.update(DOCGEN_CONVERTER=converter, DOCGEN_PREVIEW_PREBUILD=True,
                      DOCGEN_PREVIEW_BUILDERS=1)  # fmt: skip
    yield converter
    if converter.gate is not None:
        converter.gate.set()
    pool = app.extensions.get(_BUILDS)
    if pool is not None:
        assert pool[1].wait(120)
        pool[1].close()


def _builds(app: Flask):
    return app.extensions[_BUILDS][1]


def _autosave(client, draft_id: int, version: int, summary: str):
    """Save through the form's autosave, as the page does; return the response."""
    url = f"/drafting/{draft_id}"
    headers = {"X-CSRFToken": csrf_token(client, url), "HX-Request": "true"}
    response = client.post(f"{url}/autosave", headers=headers,
                           data={"version": str(version), "f.summary": summary})  # fmt: skip
    assert response.status_code == 200, text(response)[:500]
    assert json.loads(response.headers["HX-Trigger"]) == {"draft-saved": {"version": version + 1}}
    return response


def _first_page_of(app: Flask, html: str) -> str:
    """Return page 1's text of the PDF the fragment's images come from."""
    key = re.search(r"[?&](?:amp;)?k=([0-9a-f]{16})", html).group(1)
    [pdf] = [p for p in _cache(app).glob("*.pdf") if p.name.startswith(key)]
    return _pdf_text(Path(pdf), 1)


@pytest.mark.slow
def test_a_save_builds_the_preview_the_panel_then_uses(app, people, loaded, counting):
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    _autosave(client, draft_id, 1, "Kế hoạch dựng sẵn khi lưu")
    assert _builds(app).wait(120)
    assert counting.calls == 1  # the save's build converted once
    response = client.get(f"/drafting/{draft_id}/preview?version=2", headers=HX)
    assert response.status_code == 200 and 'data-version="2"' in text(response)
    assert counting.calls == 1  # the panel's request converted nothing
    assert "Kế hoạch dựng sẵn khi lưu" in _first_page_of(app, text(response))
    image = client.get(f"/drafting/{draft_id}/preview/2/1.png")
    assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    assert counting.calls == 1


@pytest.mark.slow
def test_a_request_during_a_build_waits_for_it(app, people, loaded, counting):
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    counting.gate = threading.Event()
    _autosave(client, draft_id, 1, "Bản đang dựng")  # answers while its build is held
    assert counting.started.wait(60)
    answers: list = []
    panel = _client(app, people, "chuyenvien")
    asking = threading.Thread(target=lambda: answers.append(
        panel.get(f"/drafting/{draft_id}/preview?version=2", headers=HX)))  # fmt: skip
    asking.start()
    time.sleep(1.0)
    assert asking.is_alive() and not answers  # blocked on the key's lock, not converting
    assert counting.calls == 1
    counting.gate.set()
    asking.join(120)
    [response] = answers
    assert response.status_code == 200 and 'data-version="2"' in text(response)
    assert counting.calls == 1  # one conversion for the save and the request together
    assert "Bản đang dựng" in _first_page_of(app, text(response))


@pytest.mark.slow
def test_a_newer_save_wins(app, people, loaded, counting):
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    counting.gate = threading.Event()
    _autosave(client, draft_id, 1, "Bản hai")  # its build starts and is held
    assert counting.started.wait(60)
    _autosave(client, draft_id, 2, "Bản ba")  # queued behind it…
    _autosave(client, draft_id, 3, "Bản bốn")  # …and made pointless by this one
    counting.gate.set()
    assert _builds(app).wait(120)
    assert counting.calls == 2  # version 2 (already running) and version 4; 3 skipped
    stale = client.get(f"/drafting/{draft_id}/preview?version=3", headers=HX)
    assert stale.status_code == 204 and stale.headers["X-Preview-Stale"] == "4"
    newest = client.get(f"/drafting/{draft_id}/preview?version=4", headers=HX)
    assert newest.status_code == 200 and 'data-version="4"' in text(newest)
    assert counting.calls == 2
    assert "Bản bốn" in _first_page_of(app, text(newest))


def test_a_failing_build_never_breaks_the_save(app, people, loaded, counting):
    counting.fail = True
    draft_id = _new_draft(app, loaded)
    client = _client(app, people, "chuyenvien")
    response = _autosave(client, draft_id, 1, "Bản lỗi khi dựng")
    assert "Đã lưu lúc" in text(response)
    assert _builds(app).wait(60)
    assert counting.calls == 1
    panel = client.get(f"/drafting/{draft_id}/preview?version=2", headers=HX)
    assert panel.status_code == 200
    assert "Chưa tạo được bản xem trước" in text(panel) and "LibreOffice không chạy" in text(panel)
    assert counting.calls == 2  # the panel tried again itself and said why it failed
