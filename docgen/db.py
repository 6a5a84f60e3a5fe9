"""The Flask glue of the database: one ``Database`` and clock per app, one session per app context.

Everything that needs no Flask (engines, ``Database``, ``begin_write``, migrations) is in
``docgen.database``; services import from there.
"""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from docgen.database import Database, default_sqlite_url, upgrade
from docgen.services.clock import Clock, SystemClock


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
