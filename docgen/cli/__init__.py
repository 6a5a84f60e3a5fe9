"""The ``docgen`` command: a Flask CLI group whose commands live in one module per area."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def register_commands(app: Flask) -> None:
    """Add every area's commands to ``app.cli``."""
    from docgen.cli import (
        archive,
        backup,
        books,
        check,
        integrity,
        jobs,
        readers,
        render,
        samples,
        users,
    )  # fmt: skip

    for module in (render, archive, integrity, books, check, samples, jobs, backup, users, readers):
        for command in module.COMMANDS:
            app.cli.add_command(command)
    from docgen.cli import campaign_report, campaigns  # noqa: F401  issue 10 (report: a subcommand)

    for command in campaigns.COMMANDS:
        app.cli.add_command(command)
    from docgen.cli import dossier  # issue 10: the central submission dossier

    for command in dossier.COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from docgen import create_app

    return create_app()


main = FlaskGroup(
    name="docgen",
    create_app=_create_app,
    add_default_commands=True,
    help="docgen — soạn, cấp số, lưu trữ văn bản hành chính theo Nghị định 30/2020/NĐ-CP.",
)
