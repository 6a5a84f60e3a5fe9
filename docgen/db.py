"""The database: engine per URL (SQLite in the instance folder or PostgreSQL), sessions, migrations.

SQLite runs in WAL mode with foreign keys on and a busy timeout; its transactions are begun
by SQLAlchemy (not by the sqlite3 module) so that a writer can ask for ``BEGIN IMMEDIATE``
and hold the single write lock from its first statement (design D5).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from docgen.services.clock import Clock, SystemClock

SQLITE_BUSY_TIMEOUT_MS = 60_000  # writers queue for the lock; a render holds it for ~0.1 s
_WRITE_OPTION = "docgen_write"


def default_sqlite_url(instance_path: str | Path) -> str:
    """Return the URL of the embedded database: ``<instance>/docgen.sqlite3``."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'docgen.sqlite3'}"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Return an engine for ``url`` with docgen's connection settings for its backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" hook below emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL: a committed number survives a power cut, not only a crash of the process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(session: Session) -> bool:
    """Return whether ``session`` talks to SQLite."""
    return session.get_bind().dialect.name == "sqlite"


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction as a writer: ``BEGIN IMMEDIATE`` on SQLite.

    Taking SQLite's write lock first means the reads that follow see the last committed
    state and the later UPDATE cannot fail on a stale snapshot. On PostgreSQL the row lock
    taken by ``UPDATE … RETURNING`` does the same job, so nothing happens here. If the
    session already has a transaction it is kept: correctness then rests on the row lock
    and the UNIQUE constraints, only the wait for the lock may end in "database is locked".
    """
    if session.in_transaction() or not is_sqlite(session):
        return
    session.connection(execution_options={_WRITE_OPTION: True})


@dataclass
class Database:
    """An engine and its session factory, kept in ``app.extensions["docgen.db"]``."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        engine = make_engine(url, **kwargs)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session; on exit it is closed, which rolls back what was not committed.

        Closing (not ``rollback()``) keeps the loaded attributes of committed objects readable.
        """
        with self.sessions() as session:
            yield session


def database_url(app: Flask) -> str:
    """Return the configured database URL, or the embedded SQLite database's."""
    return app.config.get("DOCGEN_DATABASE_URL") or default_sqlite_url(app.instance_path)


def init_app(app: Flask) -> None:
    """Create the app's ``Database``, migrate it if configured, close sessions per request."""
    url = database_url(app)
    database = Database.from_url(url)
    app.extensions["docgen.db"] = database
    auto = app.config.get("DOCGEN_AUTO_MIGRATE")
    if auto or (auto is None and not app.config.get("DOCGEN_DATABASE_URL")):
        upgrade(database.engine)
    app.extensions["docgen.clock"] = app.config.get("DOCGEN_CLOCK") or SystemClock()
    app.teardown_appcontext(_close_session)


def get_db(app: Flask | None = None) -> Database:
    """Return the ``Database`` of ``app`` (default: the current app)."""
    return (app or current_app).extensions["docgen.db"]


def get_session() -> Session:
    """Return the session of the current app context, created on first use."""
    if "docgen_session" not in g:
        g.docgen_session = get_db().sessions()
    return g.docgen_session


def get_clock() -> Clock:
    """Return the app's clock (``DOCGEN_CLOCK`` in the config, else the system clock)."""
    return current_app.extensions["docgen.clock"]


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("docgen_session", None)
    if session is not None:
        session.rollback()
        session.close()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database to ``revision`` with docgen's migrations."""
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def alembic_config() -> Any:
    """Return an Alembic ``Config`` pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config
