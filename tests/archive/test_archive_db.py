"""The database layer: the embedded SQLite default, its settings, migrations both ways."""

from __future__ import annotations

import sqlite3

import pytest
from flask import Flask
from sqlalchemy import inspect, text

from docgen import db
from docgen.database import alembic_config, begin_write, make_engine, upgrade


def test_default_is_a_migrated_sqlite_file_in_the_instance_folder(tmp_path):
    app = Flask("docgen-test", instance_path=str(tmp_path / "instance"))
    app.config.update(DOCGEN_DATABASE_URL=None, DOCGEN_AUTO_MIGRATE=None)
    db.init_app(app)  # no URL: the embedded database, migrated at start
    engine = db.get_db(app).engine
    assert engine.url.database == str(tmp_path / "instance" / "docgen.sqlite3")
    assert {"document", "register", "blob", "document_fts"} <= set(
        inspect(engine).get_table_names()
    )
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_begin_write_takes_sqlites_write_lock_first(tmp_path):
    from sqlalchemy.orm import Session

    url = f"sqlite:///{tmp_path / 'lock.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        begin_write(session)
        session.execute(text("SELECT 1"))  # a reader, yet it already holds the write lock
        other = sqlite3.connect(tmp_path / "lock.sqlite3", timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
        session.rollback()
    engine.dispose()


def test_migrations_go_down_and_up_again(tmp_path):
    from alembic import command

    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade(engine)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "document_event" in inspect(engine).get_table_names()
    engine.dispose()
