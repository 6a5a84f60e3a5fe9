"""Wires docgen's parts into a Flask app: database, blueprints, error handlers, CLI.

Each area adds one line here; ``create_app`` stays a table of contents.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Attach every area of docgen to ``app``."""
    from docgen import api, config, db, health, identity, jobs, runtime, web
    from docgen.cli import register_commands

    api.install_converters(app)  # every <int:…> in a URL fits the database
    config.init_app(app)  # secret key from the instance folder, proxy headers
    db.init_app(app)
    runtime.init_app(app)  # the app's renderer and converter
    jobs.init_app(app)  # the queue and the job pages
    identity.init_app(app)
    api.init_app(app)
    web.init_app(app)
    health.init_app(app)
    register_commands(app)
