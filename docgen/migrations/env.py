"""Alembic environment: runs on the connection docgen passes in, or on ``DOCGEN_DATABASE_URL``."""

from __future__ import annotations

import os

from alembic import context

from docgen.models import Base

config = context.config
target_metadata = Base.metadata

# Tables the migrations create by hand for one backend (search indexes), unknown to the models.
BACKEND_ONLY_TABLES = {"document_fts", "document_search"}


def include_object(obj, name, type_, reflected, compare_to):
    """Return False for backend-specific search tables so comparisons ignore them."""
    if type_ == "table" and name is not None:
        return name not in BACKEND_ONLY_TABLES and not name.startswith("document_fts_")
    return True


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from docgen.db import make_engine

    url = os.environ.get("DOCGEN_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("Cần DOCGEN_DATABASE_URL để chạy migration ngoài ứng dụng.")
    with make_engine(url).begin() as conn:
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
