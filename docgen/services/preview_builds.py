"""Preview builds started by a save (issue 9): page 1 is ready before the panel asks for it.

The panel asks for the saved version ~600 ms after the save (its debounce), and a conversion
takes ~300 ms; so the save hands the build to a small bounded pool and answers at once, and
the panel's request finds the files in the cache — or, when the build is still running,
waits on the key's file lock (``PreviewCache.key_lock``) instead of converting a second time.

A newer save makes an older build pointless: a build whose version is no longer the newest
one asked for (in this process) is skipped before it starts, and ``build_preview`` refuses a
version older than the stored one (``StalePreview``) in any process. A failed build is
logged and forgotten: the panel's own request builds again and shows the error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from docgen.policy import Actor
from docgen.services.draft_preview import StalePreview

log = logging.getLogger(__name__)

Build = Callable[[int, int, Actor], object]  # (draft id, version, actor) → anything


class PreviewBuilds:
    """A bounded pool of background preview builds, newest version per draft first."""

    def __init__(self, build: Build, *, workers: int = 2) -> None:
        self._build = build
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers),
                                        thread_name_prefix="preview-build")  # fmt: skip
        self._lock = threading.Lock()
        self._newest: dict[int, int] = {}  # draft id → newest version asked for
        self._running: set[Future[str]] = set()

    def start(self, draft_id: int, version: int, actor: Actor) -> Future[str] | None:
        """Queue a build of ``version``; None when a newer one is already queued."""
        with self._lock:
            if self._newest.get(draft_id, 0) >= version:
                return None
            self._newest[draft_id] = version
            future = self._pool.submit(self._run, draft_id, version, actor)
            self._running.add(future)
        future.add_done_callback(self._done)
        return future

    def _run(self, draft_id: int, version: int, actor: Actor) -> str:
        """Build unless a newer save came meanwhile; return what happened (for tests)."""
        with self._lock:
            if self._newest.get(draft_id, 0) > version:
                return "skipped"
        try:
            self._build(draft_id, version, actor)
            return "built"
        except StalePreview:  # a newer version was stored (here or by another process)
            return "skipped"
        except Exception:  # never the save's problem: the panel's request retries and says
            log.warning("preview build of draft %s v%s failed", draft_id, version, exc_info=True)
            return "failed"
        finally:
            with self._lock:
                if self._newest.get(draft_id) == version:
                    del self._newest[draft_id]

    def _done(self, future: Future[str]) -> None:
        with self._lock:
            self._running.discard(future)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the builds started so far; True when all finished (tests, benchmarks)."""
        with self._lock:
            running = set(self._running)
        _, pending = wait(running, timeout=timeout)
        return not pending

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
