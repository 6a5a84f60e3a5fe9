"""docgen: Decree-30 document automation. This module holds ``create_app()`` only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported by create_app only: rules and services run without it.
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Return a configured Flask app: defaults → environment → ``test_config``."""
    from flask import Flask

    from docgen.config import Settings

    settings = Settings.from_env()
    folder = (test_config or {}).get("DOCGEN_INSTANCE_DIR") or settings.instance_dir
    instance = str(folder) if folder else None
    app = Flask(__name__, instance_path=instance, instance_relative_config=True)
    app.config.from_mapping(settings.to_flask())
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    from docgen import extensions

    extensions.init_app(app)
    return app
