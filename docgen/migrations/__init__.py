"""Alembic migrations shipped inside the package, run by ``docgen init-db`` and at app start."""
