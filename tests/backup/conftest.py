"""Fixtures for backup tests: fresh databases (a whole PostgreSQL database, not a schema, since
a dump restores into the schema it came from) and the environment of ``docgen`` processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from docgen.database import make_engine, upgrade
from tests.conftest import BACKENDS, POSTGRES_URL

DOCGEN = str(Path(sys.executable).with_name("docgen"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def fresh_database(backend: str, tmp_path: Path) -> Iterator:
    """Return ``make(migrated) -> url``: new, empty databases of ``backend``, dropped after."""
    created: list[str] = []
    admin = None
    if backend == "postgresql":
        assert POSTGRES_URL
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")

    def make(migrated: bool = True) -> str:
        name = f"docgen_backup_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / (name + '.sqlite3')}"
        else:
            with admin.connect() as connection:
                connection.exec_driver_sql(f"CREATE DATABASE {name}")
            created.append(name)
            url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        if migrated:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        return url

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def docgen_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a ``docgen`` process on ``database_url``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    return {
        **env,
        "DOCGEN_DATABASE_URL": database_url,
        "DOCGEN_INSTANCE_DIR": str(instance),
        "DOCGEN_AUTO_MIGRATE": "0",
        "DOCGEN_RENDITIONS_ON_ISSUE": "0",
        **extra,
    }


def run_docgen(env: dict[str, str], *args: str, timeout: float = 300) -> Any:
    """Return the finished ``docgen ARGS`` process (output captured as text)."""
    return subprocess.run(
        [DOCGEN, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
