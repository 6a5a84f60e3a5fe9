"""``/healthz`` and ``/readyz``: ready on a migrated database, 503 naming the failing check
when the database, the schema or the queue is not there; the backup is reported."""

from __future__ import annotations

import pytest
from flask import Flask

from docgen.database import make_engine, upgrade
from tests.conftest import BACKENDS

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-docgen-dir/docgen.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/docgen",
}


def test_healthz_and_readyz_when_ready(client):
    health = client.get("/healthz")
    assert (health.status_code, health.json) == (200, {"status": "ok"})
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.json
    assert ready.json["status"] == "ready"
    checks = ready.json["checks"]
    assert set(checks) == {"database", "migrations", "queue", "converter", "backup", "accounts"}
    assert all(checks[name]["ok"] and checks[name]["required"] for name in
               ("database", "migrations", "queue"))  # fmt: skip
    assert checks["converter"] == {"ok": True, "required": False, "detail": checks["converter"]
                                   ["detail"]}  # fmt: skip
    assert checks["backup"]["detail"] == "Chưa có bản sao lưu theo lịch."
    assert ready.headers["Cache-Control"] == "no-store"
    # an empty database has no admin: reported (not required), saying how to create one
    assert checks["accounts"]["ok"] is False and checks["accounts"]["required"] is False
    assert "docgen users add" in checks["accounts"]["detail"]


def test_readyz_reports_an_admin_once_there_is_one(app, client, loaded):
    from tests.helpers import make_user

    make_user(app, "quantri", organisation="ubnd-tinh", roles=("admin",))
    accounts = client.get("/readyz").json["checks"]["accounts"]
    assert accounts == {"ok": True, "required": False, "detail": "Có tài khoản quản trị."}


@pytest.mark.parametrize("backend", BACKENDS)
def test_readyz_is_503_when_the_database_is_unreachable(backend, app_factory):
    app = app_factory(UNREACHABLE[backend])
    client = app.test_client()
    assert client.get("/healthz").status_code == 200  # the process itself is up
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json["status"] == "not_ready"
    database = ready.json["checks"]["database"]
    assert database["ok"] is False and "Không kết nối được cơ sở dữ liệu" in database["detail"]
    assert ready.json["checks"]["migrations"]["ok"] is False
    assert "127.0.0.1" not in ready.get_data(as_text=True)  # no host, URL or password shown


def test_readyz_is_503_when_the_schema_is_behind(app_factory, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    engine.dispose()
    ready = app_factory(url).test_client().get("/readyz")
    assert ready.status_code == 503
    migrations = ready.json["checks"]["migrations"]
    assert migrations["ok"] is False
    assert "phiên bản 0001" in migrations["detail"] and "docgen init-db" in migrations["detail"]
    assert ready.json["checks"]["database"]["ok"] is True


@pytest.mark.parametrize(("url", "ready"), [("redis://127.0.0.1:6379/15", True),
                                            ("redis://127.0.0.1:1/0", False)])  # fmt: skip
def test_readyz_checks_a_redis_queue(database_url, app_factory, url, ready):
    app = app_factory(database_url)
    app.config["DOCGEN_QUEUE_URL"] = url
    from docgen.jobs.queue import make_queue

    app.extensions["docgen.queue"] = make_queue(app)
    response = app.test_client().get("/readyz")
    assert response.status_code == (200 if ready else 503)
    queue = response.json["checks"]["queue"]
    assert queue["ok"] is ready and "Redis" in queue["detail"]


def test_every_probe_is_public_in_the_policy():
    from docgen.policy import PUBLIC, ROUTES

    assert ROUTES["health.healthz"] == ROUTES["health.readyz"] == PUBLIC


def test_readyz_writes_nothing(app: Flask):
    from sqlalchemy import text

    from docgen.db import get_db
    from docgen.services.backup import data_tables

    engine = get_db(app).engine

    def counts() -> dict[str, int]:
        with engine.connect() as connection:
            return {
                table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in data_tables(engine)
            }

    before = counts()
    assert app.test_client().get("/readyz").status_code == 200
    assert counts() == before
