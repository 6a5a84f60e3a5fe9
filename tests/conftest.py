"""Root fixtures: ``app`` (on every available database backend), ``client``, ``runner``,
``session``, a fixed ``clock``, and the real records loaded into the database.

SQLite: each test gets a copy of a database migrated once per session. PostgreSQL (when
``DOCGEN_TEST_POSTGRES_URL`` is set): one schema per session, migrated once, emptied
before each test (the archive tables refuse DELETE, so they are truncated with triggers
off, as a superuser).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from docgen import create_app
from docgen.database import make_engine, upgrade
from docgen.db import get_db
from docgen.policy import system_actor
from docgen.rendering.pdf import Converter
from docgen.services.clock import VIETNAM, FixedClock
from tests.helpers import api_client, make_user

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("DOCGEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
TEST_NOW = datetime(2017, 3, 20, 9, 0, tzinfo=VIETNAM)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Hash passwords with small argon2 parameters in tests (the default costs 64 MiB, ~0.1 s)."""
    from argon2 import PasswordHasher

    from docgen.services.accounts import set_password_hasher

    previous = set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    set_password_hasher(previous)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a migrated, empty SQLite database file to copy for each test."""
    path = tmp_path_factory.mktemp("db") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """Return a URL whose search_path is a fresh, migrated schema (dropped at the end)."""
    assert POSTGRES_URL, "DOCGEN_TEST_POSTGRES_URL is not set"
    schema = f"docgen_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    engine = make_engine(rendered)
    upgrade(engine)
    engine.dispose()
    yield rendered
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def empty_postgres(url: str) -> None:
    """Truncate every table of the test schema, with the immutability triggers bypassed."""
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = conn.execute(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture
def make_database(request: pytest.FixtureRequest, tmp_path: Path):
    """Return a function giving the URL of an empty, migrated database of a backend."""

    def make(backend: str) -> str:
        if backend == "sqlite":
            path = tmp_path / f"docgen-{uuid.uuid4().hex[:8]}.sqlite3"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
            return f"sqlite:///{path}"
        url = request.getfixturevalue("postgres_schema_url")
        empty_postgres(url)
        return url

    return make


@pytest.fixture
def backends() -> list[str]:
    """Return the backends this run tests: SQLite, and PostgreSQL when configured."""
    return list(BACKENDS)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, make_database) -> str:
    """Return the URL of an empty, migrated database of the parametrised backend."""
    return make_database(request.param)


_converters: list[Converter] = []  # one warm LibreOffice pool for the whole session


def shared_converter() -> Converter:
    """Return the session's converter (LibreOffice starts on its first conversion)."""
    if not _converters:
        _converters.append(Converter(workers=1, timeout=120))
    return _converters[0]


@pytest.fixture(scope="session", autouse=True)
def _instance_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point apps made without an instance folder (and their subprocesses) at a temp one."""
    before = os.environ.get("DOCGEN_INSTANCE_DIR")
    os.environ["DOCGEN_INSTANCE_DIR"] = str(tmp_path_factory.mktemp("instance"))
    yield
    if before is None:
        os.environ.pop("DOCGEN_INSTANCE_DIR", None)
    else:
        os.environ["DOCGEN_INSTANCE_DIR"] = before


@pytest.fixture(scope="session", autouse=True)
def _close_test_converter() -> Iterator[None]:
    yield
    for converter in _converters:
        converter.close()


def make_app(database_url: str, clock: FixedClock, instance: Path) -> Flask:
    """Return a test app on ``database_url`` with the project's records and templates."""
    app = create_app(
        {
            "TESTING": True,
            "DOCGEN_DATABASE_URL": database_url,
            "DOCGEN_AUTO_MIGRATE": False,
            "DOCGEN_RENDITIONS_ON_ISSUE": False,  # tests that want them turn them on
            "DOCGEN_CLOCK": clock,
            "DOCGEN_CONVERTER": shared_converter(),  # apps share it, as they share the clock
            "DOCGEN_RECORDS_DIR": ROOT / "records",
            "DOCGEN_TEMPLATES_DIR": ROOT / "templates",
            "DOCGEN_INSTANCE_DIR": instance,  # never the repository's instance/ folder
        }
    )
    assert app.instance_path == str(instance)
    return app


@pytest.fixture
def clock() -> FixedClock:
    """Return the tests' clock: 20/03/2017 09:00 in Vietnam until a test moves it."""
    return FixedClock(TEST_NOW)


@pytest.fixture
def app(database_url: str, clock: FixedClock, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(database_url, clock, tmp_path / "instance")
    yield app
    get_db(app).engine.dispose()


@pytest.fixture
def app_factory(clock: FixedClock, tmp_path: Path) -> Iterator:
    """Return ``make(database_url) -> Flask`` for tests that need several apps at once."""
    made: list[Flask] = []

    def make(database_url: str) -> Flask:
        made.append(make_app(database_url, clock, tmp_path / f"instance{len(made)}"))
        return made[-1]

    yield make
    for app in made:
        get_db(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """Yield a session on the test database; what the test does not commit is rolled back."""
    with get_db(app).session() as session:
        yield session


@pytest.fixture(scope="session")
def records():
    """Return the project's real records (``records/``), loaded once."""
    from docgen.records import load_records

    return load_records(ROOT / "records")


@pytest.fixture
def loaded(app: Flask, records):
    """Return the real records after loading them into the test database."""
    from docgen.services.lookup import load_records_into

    with get_db(app).session() as session:
        load_records_into(session, records, actor=system_actor("kiểm thử"))
        session.commit()
    return records


@pytest.fixture
def registrar(app: Flask, loaded):
    """Return the registrar (văn thư) of ubnd-tinh, with a Vietnamese username."""
    return make_user(app, "văn.thư", organisation="ubnd-tinh", roles=("registrar",))


@pytest.fixture
def api(app: Flask, registrar) -> FlaskClient:
    """Return a test client authenticated by the bearer token of ubnd-tinh's registrar."""
    return api_client(app, registrar)
