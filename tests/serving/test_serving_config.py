"""Serving settings: the secret key kept in the instance folder, proxy hops, junk refused."""

from __future__ import annotations

import stat
import threading
from datetime import time
from pathlib import Path

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from docgen.config import ConfigError, Settings, instance_secret_key


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOCGEN_PROXY_HOPS", "one"),
        ("DOCGEN_PROXY_HOPS", "9"),
        ("DOCGEN_HTTPS", "maybe"),
        ("DOCGEN_BACKUP_AT", "25:00"),
        ("DOCGEN_BACKUP_AT", "daily"),
        ("DOCGEN_BACKUP_KEEP", "0"),
        ("DOCGEN_QUEUE_URL", "amqp://127.0.0.1"),
        ("DOCGEN_SECRET_KEY", "short"),
    ],
)
def test_junk_is_a_startup_error(name, value):
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_serving_settings_parse():
    settings = Settings.from_env(
        {
            "DOCGEN_PROXY_HOPS": "2",
            "DOCGEN_HTTPS": "on",
            "DOCGEN_BACKUP_AT": "03:30",
            "DOCGEN_BACKUP_KEEP": "14",
            "DOCGEN_BACKUP_DIR": "/srv/backups",
            "DOCGEN_QUEUE_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert (settings.proxy_hops, settings.https, settings.backup_at) == (2, True, time(3, 30))
    assert (settings.backup_keep, settings.backup_dir) == (14, Path("/srv/backups"))
    assert settings.queue_url == "redis://127.0.0.1:6379/0"
    assert Settings.from_env({"DOCGEN_BACKUP_AT": "off"}).backup_at is None
    defaults = Settings.from_env({})
    assert (defaults.secret_key, defaults.backup_at, defaults.backup_keep) == (None, time(2), 7)


def test_secret_key_is_generated_once_private_and_shared(tmp_path):
    folder = tmp_path / "instance"
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(instance_secret_key(folder))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) >= 32  # every starter agrees on one key
    path = folder / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == keys[0]
    assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no temporary file left
    assert instance_secret_key(folder) == keys[0]  # read back after a restart
    path.write_text("cut\n")
    with pytest.raises(ConfigError, match="secret_key"):
        instance_secret_key(folder)


def test_app_takes_its_key_from_the_instance_folder_or_the_environment(tmp_path, monkeypatch):
    from docgen import create_app
    from docgen.db import get_db

    monkeypatch.setenv("DOCGEN_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("DOCGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    first, second = create_app(), create_app()
    key = (tmp_path / "instance" / "secret_key").read_text().strip()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key
    assert not isinstance(first.wsgi_app, ProxyFix)  # no proxy trusted by default

    monkeypatch.setenv("DOCGEN_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("DOCGEN_PROXY_HOPS", "1")
    configured = create_app()
    assert configured.config["SECRET_KEY"] == "k" * 40
    assert isinstance(configured.wsgi_app, ProxyFix)
    assert (configured.wsgi_app.x_for, configured.wsgi_app.x_proto) == (1, 1)
    assert configured.wsgi_app.x_host == 1
    for app in (first, second, configured):
        get_db(app).engine.dispose()
