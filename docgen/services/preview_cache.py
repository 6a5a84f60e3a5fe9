"""The preview cache on disk (issue 9): content-addressed files shared by the app's processes.

See ``draft_preview`` for what a key stands for. Files are written atomically and pruned by
age and total size; ``key_lock`` lets exactly one thread or process build a key.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


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

    @contextmanager
    def key_lock(self, key: str) -> Iterator[float]:
        """Hold the build lock of ``key`` (blocking); yield the seconds spent waiting for it.

        ``flock`` locks are per open file, so this excludes other threads and processes
        alike, and the kernel releases the lock of a process that dies mid-build.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        with open(self.path(f"{key}.lock"), "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield time.perf_counter() - began
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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
