"""docgen: Decree-30 document automation. This module holds ``create_app()`` only."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Return a configured Flask app: defaults → environment → ``test_config``."""
    from docgen.config import Settings

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(Settings.from_env().to_flask())
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    from docgen import extensions

    extensions.init_app(app)
    return app
