"""Backup and restore of the whole database (blobs included), consistent while the service runs.

A backup is one tar file (``backup_file``): ``manifest.json`` (what, when, which database,
the Alembic revision, counts, every register's chain head, the SHA-256 of each member),
the database snapshot, and ``SHA256SUMS`` (``sha256sum -c`` can check it by hand).

- SQLite: the online backup API copies the database in one step under one read transaction,
  so issuing goes on and the copy is one committed state.
- PostgreSQL: ``pg_dump`` (custom format) with the snapshot of a REPEATABLE READ transaction
  exported to it, so the manifest's counts and chain heads describe exactly what was dumped.

Restore goes only into an empty database, refuses a damaged file before touching anything,
and checks the restored counts and chain heads against the manifest. Both work on an
``Engine``: they copy whole databases, outside any session's transaction.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, inspect, text

from docgen.services import backup_postgres
from docgen.services.backup_file import (
    BackupDamaged,
    BackupError,
    Member,
    RestoreRefused,
    member_from_bytes,
    member_from_file,
    read_backup_file,
    write_backup_file,
)

FORMAT = "docgen-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
COUNTED_TABLES = ("document", "blob", "rendition", "document_event", "audit_event")
# Tables that hold no data of their own: the schema's version and SQLite's FTS bookkeeping.
_NOT_DATA = ("alembic_version", "sqlite_sequence")


@dataclass(frozen=True)
class Manifest:
    """What a backup holds; its JSON is the ``manifest.json`` member."""

    created_at: str  # ISO 8601, aware
    database: str  # "sqlite" | "postgresql"
    alembic_revision: str | None
    counts: dict[str, int]
    chain_heads: dict[str, dict[str, Any]]  # register code → {"seq": n, "hash": hex}
    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → size, sha256
    schema: str | None = None  # PostgreSQL schema the dump came from
    format: str = FORMAT
    version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Return the manifest ``data`` spells, or raise ``BackupDamaged``."""
        try:
            raw = json.loads(data)
            manifest = cls(**raw)
        except (ValueError, TypeError):
            raise BackupDamaged("bản kê (manifest.json) không đọc được.") from None
        if (
            manifest.format != FORMAT
            or manifest.version != FORMAT_VERSION
            or manifest.database not in DATABASE_MEMBER
        ):
            raise BackupDamaged("không phải bản sao lưu docgen (hoặc thuộc phiên bản khác).")
        return manifest

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBER[self.database]


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    upgraded_from: str | None  # the backup's revision when the schema was migrated after restore


@dataclass(frozen=True)
class SnapshotFacts:
    """What the manifest says about a database state: revision, counts, chain heads."""

    alembic_revision: str | None
    counts: dict[str, int]
    chain_heads: dict[str, dict[str, Any]]


def backend_of(engine: Engine) -> str:
    """Return "sqlite" or "postgresql", or raise ``BackupError`` for any other database."""
    name = engine.dialect.name
    if name not in DATABASE_MEMBER:
        raise BackupError(f"Không hỗ trợ sao lưu cơ sở dữ liệu loại “{name}”.")
    return name


def snapshot_facts(connection: Connection) -> SnapshotFacts:
    """Return the facts of the database state ``connection`` sees (inside its transaction)."""
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    counts = {
        table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
        for table in COUNTED_TABLES
    }
    heads = {
        code: {"seq": seq, "hash": head}
        for code, seq, head in connection.execute(
            text("SELECT code, chain_seq, head_hash FROM register ORDER BY code")
        )
    }
    return SnapshotFacts(",".join(sorted(revisions)) or None, counts, heads)


def backup_name(now: datetime, *, scheduled: bool = False) -> str:
    """Return the file name of a backup taken at ``now``: ``docgen-20261127-020000.tar``,
    or ``docgen-auto-…`` for a scheduled one (only those are pruned, never a manual one)."""
    kind = "docgen-auto" if scheduled else "docgen"
    return f"{kind}-{now:%Y%m%d-%H%M%S}.tar"


def take_backup(engine: Engine, out: Path, *, now: datetime) -> Manifest:
    """Return the manifest of a consistent backup of ``engine``'s database written to ``out``."""
    backend = backend_of(engine)
    with tempfile.TemporaryDirectory(prefix="docgen-backup-") as tmp:
        folder = Path(tmp)
        target = folder / DATABASE_MEMBER[backend]
        if backend == "sqlite":
            facts = _snapshot_sqlite(engine, target)
            schema = None
        else:
            facts, schema = backup_postgres.dump(engine, target, snapshot_facts)
        member = member_from_file(target.name, target)
        manifest = Manifest(
            created_at=now.isoformat(),
            database=backend,
            schema=schema,
            alembic_revision=facts.alembic_revision,
            counts=facts.counts,
            chain_heads=facts.chain_heads,
            members={member.name: {"size": member.size, "sha256": member.sha256}},
        )
        meta = member_from_bytes(MANIFEST, manifest.to_json(), folder)
        sums = "".join(f"{m.sha256}  {m.name}\n" for m in (meta, member))
        members = [meta, member, member_from_bytes(SUMS, sums.encode(), folder)]
        write_backup_file(out, members, mtime=int(now.timestamp()))
    return manifest


def _snapshot_sqlite(engine: Engine, target: Path) -> SnapshotFacts:
    source_path = _sqlite_path(engine)
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read transaction — writers in
        # WAL mode go on, and the copy is the last state committed before the step began.
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    except sqlite3.Error as exc:
        raise BackupError(f"Sao lưu SQLite thất bại: {exc}") from None
    finally:
        source.close()
        copy.close()
    snapshot = create_engine(f"sqlite:///{target}")
    try:
        with snapshot.connect() as connection:
            return snapshot_facts(connection)
    finally:
        snapshot.dispose()


def _sqlite_path(engine: Engine) -> str:
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise BackupError("Chỉ sao lưu được cơ sở dữ liệu SQLite nằm trong một tệp.")
    return path


def open_backup(path: Path, folder: Path) -> tuple[Manifest, Member]:
    """Return the manifest and the database member of the backup at ``path``, checked whole.

    Everything is extracted into ``folder`` and every hash compared first; a damaged file
    raises ``BackupDamaged`` and nothing else has been touched.
    """
    allowed = {MANIFEST, SUMS, *DATABASE_MEMBER.values()}
    members = read_backup_file(path, folder, allowed=allowed)
    if MANIFEST not in members or SUMS not in members:
        raise BackupDamaged("thiếu bản kê (manifest.json hoặc SHA256SUMS).")
    sums = _read_sums(members[SUMS].path.read_bytes())
    if members[MANIFEST].sha256 != sums.get(MANIFEST):  # before reading what it says
        raise BackupDamaged(f"mã băm SHA-256 của “{MANIFEST}” không khớp.")
    manifest = Manifest.from_json(members[MANIFEST].path.read_bytes())
    expected = {name: meta.get("sha256") for name, meta in manifest.members.items()}
    if set(members) != {SUMS, MANIFEST, *expected} or manifest.database_member not in members:
        raise BackupDamaged("các thành phần không khớp với bản kê.")
    for name, sha256 in expected.items():
        if members[name].sha256 != sha256 or sums.get(name) != sha256:
            raise BackupDamaged(f"mã băm SHA-256 của “{name}” không khớp.")
    return manifest, members[manifest.database_member]


def _read_sums(data: bytes) -> dict[str, str]:
    sums = {}
    try:
        for line in data.decode("ascii").splitlines():
            digest, name = line.split("  ", 1)
            sums[name] = digest
    except (UnicodeError, ValueError):
        raise BackupDamaged("SHA256SUMS không đọc được.") from None
    return sums


def restore_backup(engine: Engine, path: Path) -> RestoreReport:
    """Return what was restored from the backup at ``path`` into ``engine``'s empty database.

    Order matters: the file is checked whole, then the target is checked empty, and only
    then is anything written. After the copy the restored counts and chain heads must be
    the manifest's; an older schema is then migrated to the current one.
    """
    from docgen.database import upgrade

    backend = backend_of(engine)
    with tempfile.TemporaryDirectory(prefix="docgen-restore-") as tmp:
        manifest, member = open_backup(path, Path(tmp))
        if manifest.database != backend:
            raise RestoreRefused(
                f"Bản sao lưu là của {manifest.database}, cơ sở dữ liệu đích là {backend}."
            )
        _check_revision_known(manifest.alembic_revision)
        _check_empty(engine)
        if backend == "sqlite":
            engine.dispose()  # no pooled connection may see the file change under it
            _restore_sqlite(member.path, _sqlite_path(engine))
        else:
            backup_postgres.restore(engine, member.path, manifest.schema)
    engine.dispose()
    with engine.connect() as connection:
        facts = snapshot_facts(connection)
    if (facts.counts, facts.chain_heads) != (manifest.counts, manifest.chain_heads):
        raise BackupError("Dữ liệu sau khi khôi phục không khớp với bản kê của tệp sao lưu.")
    upgraded_from = None
    if manifest.alembic_revision != _head_revision():
        upgrade(engine)
        upgraded_from = manifest.alembic_revision
    return RestoreReport(manifest, upgraded_from)


def _restore_sqlite(snapshot: Path, target: str) -> None:
    source = sqlite3.connect(snapshot)
    destination = sqlite3.connect(target, timeout=60)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as exc:
        raise BackupError(f"Khôi phục SQLite thất bại: {exc}") from None
    finally:
        source.close()
        destination.close()


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from docgen.database import alembic_config

    return ",".join(sorted(ScriptDirectory.from_config(alembic_config()).get_heads())) or None


def _check_revision_known(revision: str | None) -> None:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    from docgen.database import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    for rev in filter(None, (revision or "").split(",")):
        try:
            known = scripts.get_revision(rev) is not None
        except CommandError:
            known = False
        if not known:
            raise RestoreRefused(
                f"Bản sao lưu có cấu trúc dữ liệu “{rev}” mà phiên bản docgen này không biết."
            )


def data_tables(engine: Engine) -> list[str]:
    """Return the tables of ``engine``'s schema that hold data (not FTS bookkeeping)."""
    names = inspect(engine).get_table_names()
    return [
        name
        for name in names
        if name not in _NOT_DATA and not name.startswith(("document_fts", "sqlite_"))
    ]


def _check_empty(engine: Engine) -> None:
    """Raise ``RestoreRefused`` naming the tables that hold rows, if any do."""
    with engine.connect() as connection:
        filled = [
            f"{table} ({count})"
            for table in data_tables(engine)
            if (count := connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar())
        ]
    if filled:
        raise RestoreRefused(
            "Chỉ khôi phục vào cơ sở dữ liệu trống; cơ sở dữ liệu đích đã có dữ liệu: "
            + ", ".join(filled),
            tables=filled,
        )
