"""Configuration: defaults, then ``DOCGEN_*`` environment variables, parsed once and typed.

A value that cannot be parsed is a startup error — a boolean that says "maybe" must not
silently become False.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A ``DOCGEN_*`` variable holds a value docgen cannot use."""


def parse_bool(name: str, raw: str) -> bool:
    """Return the boolean an environment value spells, or raise ``ConfigError``."""
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name}={raw!r}: cần một giá trị đúng/sai (1/0, true/false, yes/no, on/off)")


def parse_int(name: str, raw: str, *, minimum: int = 0) -> int:
    """Return the integer an environment value spells, or raise ``ConfigError``."""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: cần một số nguyên") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: phải ≥ {minimum}")
    return value


@dataclass(frozen=True)
class Settings:
    """Typed settings. ``to_flask()`` gives the mapping loaded into ``app.config``."""

    database_url: str | None = None
    renditions_on_issue: bool = True  # make PDF and PDF/A right after the issuing commit
    auto_migrate: bool | None = None  # None = migrate the embedded SQLite database at start
    records_dir: Path = PROJECT_ROOT / "records"
    templates_dir: Path = PROJECT_ROOT / "templates"
    timezone: str = "Asia/Ho_Chi_Minh"
    max_content_length: int = 5 * 1024 * 1024
    converter_workers: int = 0  # 0 = one per core, at most 2
    converter_timeout: int = 60
    queue_url: str | None = None  # None = embedded (SQLite) queue; redis://… for several servers
    secret_key: str = "dev-only-change-me"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Return settings from ``DOCGEN_*`` variables over the defaults."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        if "DOCGEN_DATABASE_URL" in env:
            kwargs["database_url"] = env["DOCGEN_DATABASE_URL"]
        if "DOCGEN_RENDITIONS_ON_ISSUE" in env:
            kwargs["renditions_on_issue"] = parse_bool(
                "DOCGEN_RENDITIONS_ON_ISSUE", env["DOCGEN_RENDITIONS_ON_ISSUE"]
            )
        if "DOCGEN_AUTO_MIGRATE" in env:
            kwargs["auto_migrate"] = parse_bool("DOCGEN_AUTO_MIGRATE", env["DOCGEN_AUTO_MIGRATE"])
        if "DOCGEN_RECORDS_DIR" in env:
            kwargs["records_dir"] = Path(env["DOCGEN_RECORDS_DIR"])
        if "DOCGEN_TEMPLATES_DIR" in env:
            kwargs["templates_dir"] = Path(env["DOCGEN_TEMPLATES_DIR"])
        if "DOCGEN_MAX_CONTENT_LENGTH" in env:
            kwargs["max_content_length"] = parse_int(
                "DOCGEN_MAX_CONTENT_LENGTH", env["DOCGEN_MAX_CONTENT_LENGTH"], minimum=1024
            )
        if "DOCGEN_CONVERTER_WORKERS" in env:
            kwargs["converter_workers"] = parse_int(
                "DOCGEN_CONVERTER_WORKERS", env["DOCGEN_CONVERTER_WORKERS"]
            )
        if "DOCGEN_CONVERTER_TIMEOUT" in env:
            kwargs["converter_timeout"] = parse_int(
                "DOCGEN_CONVERTER_TIMEOUT", env["DOCGEN_CONVERTER_TIMEOUT"], minimum=1
            )
        if "DOCGEN_QUEUE_URL" in env:
            kwargs["queue_url"] = env["DOCGEN_QUEUE_URL"] or None
        if "DOCGEN_SECRET_KEY" in env:
            kwargs["secret_key"] = env["DOCGEN_SECRET_KEY"]
        return cls(**kwargs)

    def to_flask(self) -> dict[str, Any]:
        return {
            "DOCGEN_DATABASE_URL": self.database_url,
            "DOCGEN_AUTO_MIGRATE": self.auto_migrate,
            "DOCGEN_RENDITIONS_ON_ISSUE": self.renditions_on_issue,
            "DOCGEN_RECORDS_DIR": self.records_dir,
            "DOCGEN_TEMPLATES_DIR": self.templates_dir,
            "DOCGEN_TIMEZONE": self.timezone,
            "DOCGEN_CONVERTER_WORKERS": self.converter_workers,
            "DOCGEN_CONVERTER_TIMEOUT": self.converter_timeout,
            "DOCGEN_QUEUE_URL": self.queue_url,
            "MAX_CONTENT_LENGTH": self.max_content_length,
            "SECRET_KEY": self.secret_key,
            "JSON_AS_ASCII": False,
        }
