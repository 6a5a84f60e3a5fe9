"""The backup file itself: what its manifest says, that ``sha256sum -c`` accepts it, and that
any flipped byte or cut is refused before a restore touches anything."""

from __future__ import annotations

import random
import subprocess
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from docgen.db import get_db
from docgen.models import Register
from docgen.services.backup import (
    BackupDamaged,
    Manifest,
    backup_name,
    open_backup,
    take_backup,
)
from docgen.services.backup_file import BLOCK, sha256_file
from tests.conftest import TEST_NOW


@pytest.fixture
def backup_file(app, loaded, runner, tmp_path) -> Path:
    """Return a backup of a database holding the records and one issued document."""
    issued = runner.invoke(args=["issue", "--record", "ke-hoach-2017"])
    assert issued.exit_code == 0, issued.output
    out = tmp_path / "out" / backup_name(TEST_NOW)
    take_backup(get_db(app).engine, out, now=TEST_NOW)
    return out


def test_manifest_describes_the_snapshot(app, backup_file, session, tmp_path):
    assert backup_file.name == "docgen-20170320-090000.tar"
    assert not list(backup_file.parent.glob("*.part"))
    manifest, member = open_backup(backup_file, tmp_path)
    assert manifest.database == get_db(app).engine.dialect.name
    assert manifest.created_at == TEST_NOW.isoformat()
    assert manifest.counts["document"] == 1 and manifest.counts["blob"] >= 1
    heads = {
        r.code: {"seq": r.chain_seq, "hash": r.head_hash} for r in session.scalars(select(Register))
    }
    assert manifest.chain_heads == heads
    assert any(head["seq"] == 1 for head in heads.values())
    version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert manifest.alembic_revision == version
    assert manifest.members[member.name]["sha256"] == sha256_file(member.path)
    # The file is a plain tar that an operator can check by hand.
    with tarfile.open(backup_file) as tar:
        assert tar.getnames() == ["manifest.json", member.name, "SHA256SUMS"]
    (tmp_path / "by-hand").mkdir()
    subprocess.run(["tar", "-xf", str(backup_file), "-C", str(tmp_path / "by-hand")], check=True)
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "by-hand", capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout.count(": OK") == 2
    again = Manifest.from_json((tmp_path / "by-hand" / "manifest.json").read_bytes())
    assert again == manifest


def test_any_flipped_byte_or_cut_is_refused(backup_file, tmp_path):
    data = backup_file.read_bytes()
    headers = [0]
    with tarfile.open(backup_file) as tar:
        headers = [member.offset for member in tar.getmembers()]
    sample = random.Random(30).sample
    positions = {p for h in headers for p in [h, *sample(range(h, h + 2 * BLOCK), 64)]}
    positions |= set(sample(range(len(data) - 3 * BLOCK, len(data)), 64))  # padding, end
    positions |= set(sample(range(len(data)), 100))
    damaged = tmp_path / "damaged.tar"
    for position in sorted(positions):
        flipped = bytearray(data)
        flipped[position] ^= 1 << (position % 8)
        damaged.write_bytes(bytes(flipped))
        with pytest.raises(BackupDamaged):
            open_backup(damaged, tmp_path)
            pytest.fail(f"a flipped byte at {position} of {len(data)} was not noticed")
    for length in (0, 100, BLOCK, len(data) // 2, len(data) - BLOCK, len(data) - 1):
        damaged.write_bytes(data[:length])
        with pytest.raises(BackupDamaged, match="hỏng"):
            open_backup(damaged, tmp_path)
    for tail in (b"\0" * BLOCK + b"x", b"\0" * tarfile.RECORDSIZE):
        damaged.write_bytes(data + tail)
        with pytest.raises(BackupDamaged, match="sau phần kết thúc"):
            open_backup(damaged, tmp_path)
