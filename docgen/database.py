"""The database without Flask: engine per URL (SQLite or PostgreSQL), sessions, writers, migrations.

SQLite runs in WAL mode with foreign keys on and a busy timeout; its transactions are begun
by SQLAlchemy (not by the sqlite3 module) so that a writer can ask for ``BEGIN IMMEDIATE``
and hold the single write lock from its first statement (design D5). The Flask glue (one
``Database`` per app, one session per app context) is in ``docgen.db``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 60_000  # writers queue for the lock; a render holds it for ~0.1 s
_WRITE_OPTION = "docgen_write"
PG_CONNECT_TIMEOUT_S = 10


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
    # A server that drops packets must not hang a request (or /readyz) for the OS's TCP timeout.
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S} if url.startswith("postgresql") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy's "begin" hook below emits BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # INSERT OR REPLACE deletes the row it replaces: with recursive triggers the archive's
        # "no delete" triggers see that delete too (without, a sealed row could be rewritten).
        cursor.execute("PRAGMA recursive_triggers=ON")
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database to ``revision`` with docgen's migrations."""
    from alembic import command

    with migration_connection(engine) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in a transaction for migrations, committed on success.

    SQLite: foreign keys are off meanwhile and checked before the commit — the procedure
    SQLite prescribes for rebuilding a table that others reference (batch migrations);
    the pragma only takes effect outside a transaction, so it goes to the driver first.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        driver = connection.connection.driver_connection
        if sqlite:
            driver.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def alembic_config() -> Any:
    """Return an Alembic ``Config`` pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config
