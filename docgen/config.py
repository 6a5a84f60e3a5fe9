"""Configuration: defaults, then ``DOCGEN_*`` environment variables, parsed once and typed.

A value that cannot be parsed is a startup error — a boolean that says "maybe" must not
silently become False. ``init_app`` applies what needs the app: the secret key kept in the
instance folder and the proxy headers trusted behind nginx.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE = "secret_key"  # in the instance folder, mode 0600, never in the repository

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_QUEUE_SCHEMES = ("redis://", "rediss://", "unix://")
_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


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


def parse_int(name: str, raw: str, *, minimum: int = 0, maximum: int | None = None) -> int:
    """Return the integer an environment value spells, or raise ``ConfigError``."""
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: cần một số nguyên") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: phải ≥ {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r}: phải ≤ {maximum}")
    return value


def parse_schedule(name: str, raw: str) -> time | None:
    """Return the daily time ("HH:MM", Vietnam time) a schedule spells; None for "off"."""
    value = raw.strip().lower()
    if value in {"off", "0", "no", "false"}:
        return None
    match = _CLOCK_TIME.fullmatch(value)
    if not match:
        raise ConfigError(f"{name}={raw!r}: cần giờ hằng ngày dạng HH:MM (vd. 02:00) hoặc off")
    return time(int(match[1]), int(match[2]))


def parse_queue_url(name: str, raw: str) -> str | None:
    """Return a Redis URL for the queue, None for the embedded queue, or raise ``ConfigError``."""
    value = raw.strip()
    if not value:
        return None
    if not value.startswith(_QUEUE_SCHEMES):
        raise ConfigError(f"{name}={raw!r}: cần một địa chỉ redis://… (hoặc để trống)")
    return value


@dataclass(frozen=True)
class Settings:
    """Typed settings. ``to_flask()`` gives the mapping loaded into ``app.config``."""

    database_url: str | None = None
    instance_dir: Path | None = None  # None = ./instance beside the package (Flask's default)
    renditions_on_issue: bool = True  # make PDF and PDF/A right after the issuing commit
    auto_migrate: bool | None = None  # None = migrate the embedded SQLite database at start
    records_dir: Path = PROJECT_ROOT / "records"
    templates_dir: Path = PROJECT_ROOT / "templates"
    max_content_length: int = 12 * 1024 * 1024  # a 10 MB attachment (issue 10) and its form
    converter_workers: int = 0  # 0 = one per core, at most 2
    converter_timeout: int = 60
    queue_url: str | None = None  # None = embedded (SQLite) queue; redis://… for several servers
    queue_name: str = "docgen"  # huey queue name (several docgen instances on one Redis)
    job_stall_seconds: int = 120  # a running job silent this long shows as stalled
    worker_stop_timeout: int = 60  # seconds `docgen worker` lets running jobs finish on Ctrl-C
    secret_key: str | None = None  # None = generated once into the instance folder
    proxy_hops: int = 0  # proxies in front that set X-Forwarded-*; 0 = trust none
    https: bool = False  # served over HTTPS (Secure cookies)
    backup_dir: Path | None = None  # None = <instance>/backups
    backup_keep: int = 7  # scheduled backups kept; older ones are deleted
    backup_at: time | None = time(2, 0)  # daily, Vietnam time; None = no scheduled backup
    verify_at: time | None = time(3, 0)  # nightly archive verify, Vietnam time; None = never
    preview_cache_mb: int = 200  # the drafts' live-preview cache on disk (PDFs, page images)
    preview_cache_hours: int = 24  # preview files older than this are pruned
    preview_builders: int = 2  # threads per app process building a saved draft's page 1

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Return settings from ``DOCGEN_*`` variables over the defaults."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for name, (key, parse) in _PARSERS.items():
            if name in env:
                kwargs[key] = parse(name, env[name])
        return cls(**kwargs)

    def to_flask(self) -> dict[str, Any]:
        return {
            "DOCGEN_DATABASE_URL": self.database_url,
            "DOCGEN_AUTO_MIGRATE": self.auto_migrate,
            "DOCGEN_RENDITIONS_ON_ISSUE": self.renditions_on_issue,
            "DOCGEN_RECORDS_DIR": self.records_dir,
            "DOCGEN_TEMPLATES_DIR": self.templates_dir,
            "DOCGEN_CONVERTER_WORKERS": self.converter_workers,
            "DOCGEN_CONVERTER_TIMEOUT": self.converter_timeout,
            "DOCGEN_QUEUE_URL": self.queue_url,
            "DOCGEN_QUEUE_NAME": self.queue_name,
            "DOCGEN_JOB_STALL_SECONDS": self.job_stall_seconds,
            "DOCGEN_WORKER_STOP_TIMEOUT": self.worker_stop_timeout,
            "DOCGEN_PROXY_HOPS": self.proxy_hops,
            "DOCGEN_HTTPS": self.https,
            "DOCGEN_BACKUP_DIR": self.backup_dir,
            "DOCGEN_BACKUP_KEEP": self.backup_keep,
            "DOCGEN_BACKUP_AT": self.backup_at,
            "DOCGEN_VERIFY_AT": self.verify_at,
            "DOCGEN_PREVIEW_CACHE_MB": self.preview_cache_mb,
            "DOCGEN_PREVIEW_CACHE_HOURS": self.preview_cache_hours,
            "DOCGEN_PREVIEW_BUILDERS": self.preview_builders,
            "MAX_CONTENT_LENGTH": self.max_content_length,
            "SECRET_KEY": self.secret_key,
            "JSON_AS_ASCII": False,
        }


def _optional_text(_name: str, raw: str) -> str | None:
    return raw or None


def _path(_name: str, raw: str) -> Path:
    return Path(raw)


def _queue_name(name: str, raw: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", raw):
        raise ConfigError(f"{name}={raw!r}: tên hàng đợi chỉ gồm chữ, số, “_”, “.”, “-” (≤ 64)")
    return raw


def _secret(name: str, raw: str) -> str:
    if len(raw) < 32:
        raise ConfigError(f"{name}: khóa bí mật phải dài ít nhất 32 ký tự (hoặc để trống biến)")
    return raw


# Variable → (Settings field, parser). Each parser raises ConfigError on junk.
_PARSERS: dict[str, tuple[str, Any]] = {
    "DOCGEN_DATABASE_URL": ("database_url", _optional_text),
    "DOCGEN_INSTANCE_DIR": ("instance_dir", lambda _n, r: Path(r).resolve()),
    "DOCGEN_RENDITIONS_ON_ISSUE": ("renditions_on_issue", parse_bool),
    "DOCGEN_AUTO_MIGRATE": ("auto_migrate", parse_bool),
    "DOCGEN_RECORDS_DIR": ("records_dir", _path),
    "DOCGEN_TEMPLATES_DIR": ("templates_dir", _path),
    "DOCGEN_MAX_CONTENT_LENGTH": (
        "max_content_length",
        lambda n, r: parse_int(n, r, minimum=1024),
    ),
    "DOCGEN_CONVERTER_WORKERS": ("converter_workers", parse_int),
    "DOCGEN_CONVERTER_TIMEOUT": ("converter_timeout", lambda n, r: parse_int(n, r, minimum=1)),
    "DOCGEN_QUEUE_URL": ("queue_url", parse_queue_url),
    "DOCGEN_QUEUE_NAME": ("queue_name", _queue_name),
    "DOCGEN_JOB_STALL_SECONDS": ("job_stall_seconds", lambda n, r: parse_int(n, r, minimum=2)),
    "DOCGEN_WORKER_STOP_TIMEOUT": (
        "worker_stop_timeout",
        lambda n, r: parse_int(n, r, minimum=1),
    ),
    "DOCGEN_SECRET_KEY": ("secret_key", _secret),
    "DOCGEN_PROXY_HOPS": ("proxy_hops", lambda n, r: parse_int(n, r, maximum=5)),
    "DOCGEN_HTTPS": ("https", parse_bool),
    "DOCGEN_BACKUP_DIR": ("backup_dir", _path),
    "DOCGEN_BACKUP_KEEP": ("backup_keep", lambda n, r: parse_int(n, r, minimum=1)),
    "DOCGEN_BACKUP_AT": ("backup_at", parse_schedule),
    "DOCGEN_VERIFY_AT": ("verify_at", parse_schedule),
    "DOCGEN_PREVIEW_CACHE_MB": ("preview_cache_mb", lambda n, r: parse_int(n, r, minimum=1)),
    "DOCGEN_PREVIEW_CACHE_HOURS": ("preview_cache_hours", lambda n, r: parse_int(n, r, minimum=1)),
    "DOCGEN_PREVIEW_BUILDERS": ("preview_builders", lambda n, r: parse_int(n, r, maximum=8)),
}


def instance_secret_key(instance_path: str | Path) -> str:
    """Return the secret key kept in ``<instance>/secret_key``, generating it on first use.

    The key is written to a private temporary file (mode 0600) and hard-linked into place,
    which fails if the file exists: two processes starting at once agree on one whole key.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if path.exists():
        return _read_secret_key(path)
    key = secrets.token_urlsafe(48)
    fd, temporary = tempfile.mkstemp(prefix=".secret_key-", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)
    except FileExistsError:
        return _read_secret_key(path)
    finally:
        os.unlink(temporary)
    return key


def _read_secret_key(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(f"{path}: khóa bí mật hỏng hoặc quá ngắn; xóa tệp để tạo lại")
    return key


def backup_dir(app: Flask) -> Path:
    """Return the folder of scheduled backups: ``DOCGEN_BACKUP_DIR`` or ``<instance>/backups``."""
    configured = app.config.get("DOCGEN_BACKUP_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "backups"


def init_app(app: Flask) -> None:
    """Give ``app`` its secret key (instance file unless configured) and trust its proxies."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    hops = int(app.config.get("DOCGEN_PROXY_HOPS") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Each hop is one proxy that appends to X-Forwarded-*; trusting more than there are
        # would let a client forge its address, scheme or host.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
