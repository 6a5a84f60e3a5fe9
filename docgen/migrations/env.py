"""Alembic environment: runs on the connection docgen passes in, or on ``DOCGEN_DATABASE_URL``."""

from __future__ import annotations

import os

from alembic import context

from docgen.migrations.support import include_object
from docgen.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from docgen.database import make_engine, migration_connection

    url = os.environ.get("DOCGEN_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("Cần DOCGEN_DATABASE_URL để chạy migration ngoài ứng dụng.")
    with migration_connection(make_engine(url)) as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
