"""The backup file: a plain tar of named members, each with its SHA-256, read back strictly.

Written with canonical GNU headers and nothing else, so the reader can check every byte of
the file: each header must be exactly the one this module would write (tar's own checksum
would miss some changes), each member's bytes must match the hash the manifest lists, and
the padding and the end of the archive must be zeros. A flipped byte anywhere, or a file cut
short, is therefore refused before anything is restored from it.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError

BLOCK = 512
_CHUNK = 1024 * 1024
_ENCODING = "utf-8"


class BackupDamaged(DocgenError):
    """The backup file is not what docgen wrote: truncated, altered or not a backup at all."""

    code = "backup_damaged"
    http_status = 422

    def __init__(self, detail: str) -> None:
        super().__init__(f"Tệp sao lưu hỏng, không dùng được: {detail}", detail=detail)


class BackupError(DocgenError):
    """A backup could not be taken or a restore could not be done."""

    code = "backup_failed"
    http_status = 500


class RestoreRefused(DocgenError):
    """The restore target is not an empty database of the right kind; nothing was changed."""

    code = "restore_refused"
    http_status = 409


@dataclass(frozen=True)
class Member:
    """One member of a backup file: its name and where its bytes are (a file on disk)."""

    name: str
    path: Path
    size: int
    sha256: str


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def member_from_file(name: str, path: Path) -> Member:
    """Return a ``Member`` for the file at ``path``, hashed now."""
    return Member(name, path, path.stat().st_size, sha256_file(path))


def member_from_bytes(name: str, data: bytes, folder: Path) -> Member:
    """Return a ``Member`` holding ``data``, written to ``folder/name``."""
    path = folder / name
    path.write_bytes(data)
    return Member(name, path, len(data), hashlib.sha256(data).hexdigest())


def _header(name: str, size: int, mtime: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def write_backup_file(out: Path, members: Iterable[Member], *, mtime: int) -> None:
    """Write ``members`` into the tar file ``out``, atomically (a ``.part`` file renamed).

    The caller has hashed every member; the bytes written are hashed again on the way and
    must agree, so a member file changed between hashing and packing is not sealed wrongly.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    try:
        with partial.open("wb") as raw:
            with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
                for member in members:
                    with member.path.open("rb") as source:
                        hashing = _HashingReader(source)
                        tar.addfile(_header(member.name, member.size, mtime), hashing)
                    if hashing.hexdigest() != member.sha256:
                        raise BackupDamaged(f"“{member.name}” đã thay đổi trong khi đóng gói.")
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)


class _HashingReader(io.RawIOBase):
    """A read-only stream that hashes what passes through it."""

    def __init__(self, source: io.BufferedReader) -> None:
        self._source = source
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._digest.update(data)
        return data

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def read_backup_file(path: Path, folder: Path, *, allowed: set[str]) -> dict[str, Member]:
    """Return the members of the backup file at ``path``, extracted into ``folder`` and hashed.

    Raises ``BackupDamaged`` unless every header is canonical, only ``allowed`` names occur
    (each once, as regular files), every member is whole and the rest of the file is zeros.
    The hashes are returned for the caller to compare with the manifest.
    """
    try:
        total = path.stat().st_size
        stream = path.open("rb")
    except OSError as exc:
        raise BackupDamaged(f"không đọc được {path}: {exc.strerror}.") from None
    members: dict[str, Member] = {}
    with stream:
        offset = 0
        while True:
            block = stream.read(BLOCK)
            if len(block) < BLOCK:
                raise BackupDamaged("bị cắt cụt (thiếu phần kết thúc).")
            if block == bytes(BLOCK):
                _check_end(stream, offset + BLOCK, total)
                return members
            info = _parse_header(block, offset)
            if info.name not in allowed or info.name in members or not info.isreg():
                raise BackupDamaged(f"có thành phần lạ “{info.name}”.")
            target = folder / info.name
            digest = hashlib.sha256()
            with target.open("wb") as out:
                remaining = info.size
                while remaining:
                    chunk = stream.read(min(remaining, _CHUNK))
                    if not chunk:
                        raise BackupDamaged(f"bị cắt cụt trong “{info.name}”.")
                    digest.update(chunk)
                    out.write(chunk)
                    remaining -= len(chunk)
            padding = -info.size % BLOCK
            if stream.read(padding) != bytes(padding):
                raise BackupDamaged(f"bị sửa sau thành phần “{info.name}”.")
            members[info.name] = Member(info.name, target, info.size, digest.hexdigest())
            offset += BLOCK + info.size + padding


def _parse_header(block: bytes, offset: int) -> tarfile.TarInfo:
    try:
        info = tarfile.TarInfo.frombuf(block, _ENCODING, "strict")
        canonical = _header(info.name, info.size, int(info.mtime)).tobuf(
            tarfile.GNU_FORMAT, _ENCODING, "strict"
        )
    except (tarfile.TarError, ValueError, UnicodeError):
        raise BackupDamaged(f"phần đầu ở byte {offset} không hợp lệ.") from None
    if canonical != block:
        raise BackupDamaged(f"phần đầu của “{info.name}” bị sửa (byte {offset}).")
    return info


def _check_end(stream: io.BufferedReader, position: int, total: int) -> None:
    """Refuse a file whose end is not exactly what tar writes after the last member.

    That is two zero blocks, then zeros up to a whole tar record: a file cut short or with
    anything appended has another length, even where the members themselves are whole.
    """
    end = position - BLOCK  # where the first zero block starts
    expected = -(-(end + 2 * BLOCK) // tarfile.RECORDSIZE) * tarfile.RECORDSIZE
    if total < expected:
        raise BackupDamaged("bị cắt cụt (thiếu phần kết thúc).")
    if total > expected:
        raise BackupDamaged("có dữ liệu lạ sau phần kết thúc.")
    while chunk := stream.read(_CHUNK):
        if chunk.count(0) != len(chunk):
            raise BackupDamaged("có dữ liệu lạ sau phần kết thúc.")
