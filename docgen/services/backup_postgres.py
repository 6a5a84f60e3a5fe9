"""PostgreSQL side of backup and restore: ``pg_dump`` on an exported snapshot, ``pg_restore``.

The connection settings come from the engine's URL; the password travels in ``PGPASSWORD``
(never on a command line that ``ps`` shows). One schema is dumped: the one the URL's
``search_path`` selects (``public`` by default).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

from docgen.services.backup_file import BackupError, RestoreRefused

# TOC entries that create the schema itself: left out when the target schema exists already.
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA )")
_TIMEOUT = 6 * 3600  # seconds; a dump of a very large archive still ends


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy {name}: cần gói postgresql-client (apt-get install postgresql-client)."
        )
    return path


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """Return the conninfo string (no password) and the environment for libpq tools."""
    url = engine.url
    params: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
    }
    params |= {key: value for key, value in url.query.items() if isinstance(value, str)}
    conninfo = " ".join(
        f"{key}='{_quote(str(value))}'" for key, value in params.items() if value is not None
    )
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _run(argv: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{what} quá thời gian cho phép.") from None
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại: {done.stderr.strip()[-2000:]}")
    return done.stdout


def dump(engine: Engine, target: Path, facts_of: Callable[[Connection], Any]) -> tuple[Any, str]:
    """Return the facts and the schema of a ``pg_dump`` of ``engine``'s schema into ``target``.

    A REPEATABLE READ transaction exports its snapshot; ``pg_dump`` dumps that snapshot and
    ``facts_of`` reads the same one, so the manifest describes exactly the dumped state.
    """
    pg_dump = _tool("pg_dump")
    conninfo, env = _libpq(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            facts = facts_of(connection)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--schema={schema}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env,
                "pg_dump",
            )
    return facts, schema


def restore(engine: Engine, dump_file: Path, schema: str | None) -> None:
    """Restore ``dump_file`` into ``engine``'s (empty) schema, in one transaction.

    The docgen tables an empty, migrated target already has are dropped first (the caller
    checked they hold no rows); a target on another schema than the dump's is refused.
    """
    pg_restore = _tool("pg_restore")
    conninfo, env = _libpq(engine)
    with engine.begin() as connection:
        current = connection.execute(text("SELECT current_schema()")).scalar()
        if current is None:
            raise RestoreRefused("Lược đồ (schema) của cơ sở dữ liệu đích chưa tồn tại.")
        if schema is not None and current != schema:
            raise RestoreRefused(
                f"Bản sao lưu thuộc lược đồ “{schema}”, cơ sở dữ liệu đích dùng “{current}”."
            )
        _drop_empty_schema_objects(connection, current)
    listing = _run([pg_restore, "--list", str(dump_file)], env, "pg_restore --list")
    kept = [f";{line}" if _SCHEMA_ENTRY.match(line) else line for line in listing.splitlines()]
    with tempfile.NamedTemporaryFile("w", suffix=".list", delete=False) as use_list:
        use_list.write("\n".join(kept) + "\n")
    try:
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--use-list={use_list.name}",
                f"--dbname={conninfo}",
                str(dump_file),
            ],
            env,
            "pg_restore",
        )
    finally:
        os.unlink(use_list.name)


def _drop_empty_schema_objects(connection: Connection, schema: str) -> None:
    """Drop the (empty) tables and docgen's functions a migrated target schema holds."""
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
    ).scalars()
    for table in tables:
        connection.execute(text(f'DROP TABLE IF EXISTS "{schema}"."{table}" CASCADE'))
    functions = connection.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = :s AND p.proname LIKE 'docgen\\_%'"
        ),
        {"s": schema},
    ).scalars()
    for function in functions:
        connection.execute(text(f"DROP FUNCTION IF EXISTS {function} CASCADE"))
    left = connection.execute(
        text(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s"
        ),
        {"s": schema},
    ).scalar_one()
    if left:
        raise RestoreRefused(f"Lược đồ “{schema}” của cơ sở dữ liệu đích còn {left} đối tượng lạ.")
