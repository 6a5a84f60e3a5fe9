"""Backup while three processes issue, restore into a fresh database, nothing lost; damaged
files and non-empty targets are refused before anything is written."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from docgen.database import make_engine
from tests.backup.conftest import docgen_env, run_docgen

ISSUER = Path(__file__).with_name("issuer.py")
ROOT = Path(__file__).resolve().parents[2]
ISSUERS = 3

pytestmark = pytest.mark.slow


def _issued(folder: Path) -> dict[str, bytes]:
    """Return the DOCX bytes of every committed issuance so far, by SHA-256."""
    return {
        hashlib.sha256(data).hexdigest(): data
        for data in (path.read_bytes() for path in sorted(folder.glob("*.docx")))
    }


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_backup_while_issuing_restores_every_committed_document(fresh_database, tmp_path):
    source, target = fresh_database(), fresh_database()
    env = docgen_env(source, tmp_path / "instance")
    loaded = run_docgen(env, "load-records")
    assert loaded.returncode == 0, loaded.stderr
    issued = tmp_path / "issued"
    issued.mkdir()
    issuers = [
        subprocess.Popen(
            [sys.executable, str(ISSUER), str(issued), f"p{i}"],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(ISSUERS)
    ]
    try:
        _wait_for(lambda: len(_issued(issued)) >= 2 * ISSUERS, 240, "the first issuances")
        before = _issued(issued)  # committed before the backup starts
        backup_file = tmp_path / "backup.tar"
        taken = run_docgen(env, "backup", "--out", str(backup_file))
        assert taken.returncode == 0, taken.stderr
        count_at_backup_end = len(_issued(issued))
        _wait_for(lambda: len(_issued(issued)) > count_at_backup_end, 120, "issuing to go on")
    finally:
        (issued / "stop").touch()
        for process in issuers:
            _, errors = process.communicate(timeout=120)
            assert process.returncode == 0, errors
    after = _issued(issued)
    assert len(after) > len(before)

    with tarfile.open(backup_file) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"] == ("sqlite" if source.startswith("sqlite") else "postgresql")
    assert manifest["counts"]["document"] >= len(before)
    assert manifest["alembic_revision"]

    restored = run_docgen(docgen_env(target, tmp_path / "instance2"), "restore", str(backup_file))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Kho lưu trữ toàn vẹn." in restored.stdout

    # Every document committed before the snapshot is there, byte for byte.
    blobs = dict(_rows(target, "SELECT b.sha256, b.content FROM document d "
                               "JOIN blob b ON b.sha256 = d.blob_sha256"))  # fmt: skip
    for sha256, data in before.items():
        assert bytes(blobs[sha256]) == data
    # The restore is one committed state: the manifest's count, numbers 1..N without a gap,
    # and every restored row is the source's row.
    numbers = [n for (n,) in _rows(target, "SELECT number FROM document ORDER BY number")]
    assert numbers == list(range(1, manifest["counts"]["document"] + 1))
    sealed = "SELECT id, number, blob_sha256, row_hash FROM document ORDER BY id"
    source_rows = _rows(source, sealed)
    assert _rows(target, sealed) == source_rows[: len(numbers)]
    assert len(source_rows) == len(after)


def _backup_of_small_archive(fresh_database, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    source = fresh_database()
    env = docgen_env(source, tmp_path / "instance")
    for args in (["load-records"], ["issue", "--record", "ke-hoach-2017"], ["backup", "--out",
                 str(tmp_path / "b.tar")]):  # fmt: skip
        done = run_docgen(env, *args)
        assert done.returncode == 0, done.stderr
    return tmp_path / "b.tar", env


def test_damaged_or_truncated_backup_and_non_empty_target_are_refused(fresh_database, tmp_path):
    backup_file, source_env = _backup_of_small_archive(fresh_database, tmp_path)
    data = backup_file.read_bytes()
    target = fresh_database()
    target_env = docgen_env(target, tmp_path / "instance2")
    tables_before = _rows(target, "SELECT count(*) FROM organisation")

    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01  # inside the database member
    header = bytearray(data)
    header[600] ^= 0x20  # the second member's header
    for name, damaged in (("flipped", flipped), ("header", header), ("cut", data[:-10000])):
        path = tmp_path / f"{name}.tar"
        path.write_bytes(bytes(damaged))
        refused = run_docgen(target_env, "restore", str(path))
        assert refused.returncode == 1, name
        assert "Tệp sao lưu hỏng" in refused.stderr
        assert _rows(target, "SELECT count(*) FROM organisation") == tables_before == [(0,)]

    refused = run_docgen(source_env, "restore", str(backup_file))
    assert refused.returncode == 1
    assert "cơ sở dữ liệu trống" in refused.stderr and "document (1)" in refused.stderr
