"""Configuration: embedded defaults, overridden by ``COMMUNITY_*`` environment variables.

Everything has a default that works on one machine (SQLite, a Whoosh index and a mail outbox
under ``instance/``), so a newcomer needs no configuration at all. Production mode
(``COMMUNITY_ENV=production``) refuses to start with debug on, without a strong secret key, or
without an https ``COMMUNITY_BASE_URL`` (every link in every email is built from it).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_SECRET_KEY_LENGTH = 32
# The live broker's socket in the instance folder, while ``community run`` serves it.
LIVE_SOCKET_NAME = "live.sock"


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to change."""


@overload
def _env(name: str, default: str) -> str: ...
@overload
def _env(name: str, default: None = None) -> str | None: ...
def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"COMMUNITY_{name}")
    return value if value not in (None, "") else default


def _env_number(name: str, default: int, kind: type[int] | type[float] = int) -> Any:
    """A whole (or, with ``kind=float``, decimal) number, or a ConfigurationError naming the
    variable: a typo in one setting must not end in a traceback about ``int()``."""
    value = _env(name)
    if value is None:
        return kind(default)
    try:
        return kind(value.strip())
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ConfigurationError(f"COMMUNITY_{name} must be {noun} (got {value!r}).") from None


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _existing(path: Path) -> str | None:
    return str(path) if path.exists() else None


def _load_or_create_secret_key(instance_path: Path) -> str:
    """A development key generated once and kept in ``instance/secret_key``."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from the environment, then apply ``overrides``."""
    overrides = dict(overrides or {})
    instance_path = Path(
        overrides.pop("INSTANCE_PATH", None) or _env("INSTANCE_PATH") or PROJECT_ROOT / "instance"
    )
    instance_path.mkdir(parents=True, exist_ok=True)
    env = str(overrides.get("ENV") or _env("ENV", "development")).lower()
    production = env == "production"

    secret_key = overrides.get("SECRET_KEY") or _env("SECRET_KEY")
    if secret_key is None and not production:
        secret_key = _load_or_create_secret_key(instance_path)

    library_upload_mb = _env_number("LIBRARY_MAX_UPLOAD_MB", 20)
    config: dict[str, Any] = {
        "ENV": env,
        "INSTANCE_PATH": str(instance_path),
        "DEBUG": _env_bool("DEBUG", False),
        "TESTING": False,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _env(
            "DATABASE_URL", f"sqlite:///{instance_path / 'community.db'}"
        ),
        # "whoosh" (an index on disk, one machine) or "postgres" (full-text search in the
        # PostgreSQL database, shared by every app process on every machine).
        "SEARCH_BACKEND": _env("SEARCH_BACKEND", "whoosh").strip().lower(),
        "SEARCH_INDEX_PATH": _env("SEARCH_INDEX_PATH", str(instance_path / "search-index")),
        "REDIS_URL": _env("REDIS_URL"),
        "HOST": _env("HOST", "127.0.0.1"),
        "PORT": _env_number("PORT", 5000),
        # Every absolute link in emails is built from this, never from a request's Host.
        "BASE_URL": _env("BASE_URL"),
        # Mail: SMTP when a server is named, otherwise .eml files in the outbox folder.
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": _env_number("MAIL_PORT", 25),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_SENDER": _env("MAIL_SENDER", "Council <council@localhost>"),
        "MAIL_OUTBOX": _env("MAIL_OUTBOX", str(instance_path / "outbox")),
        # Cookies: HttpOnly and SameSite always; Secure whenever we are in production.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SECURE_COOKIES", production),
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        # "Keep me signed in" lasts this long; its session record expires with it.
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "WTF_CSRF_TIME_LIMIT": None,
        # Requests may carry a library attachment of up to the limit, plus the form around it.
        "MAX_CONTENT_LENGTH": (max(16, library_upload_mb + 1)) * 1024 * 1024,
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": _env("REDIS_URL", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "PROXY_FIX": _env_bool("PROXY_FIX", False),
        # Discussions: how long authors may edit, and the limits on members in their first days.
        "EDIT_WINDOW_MINUTES": _env_number("EDIT_WINDOW_MINUTES", 60),
        # The rendered post lists of thread pages kept in each process (forum/post_list.py):
        # at most this many MiB of text (up to 4x in memory for pages with emoji).
        "POST_LIST_CACHE_MB": _env_number("POST_LIST_CACHE_MB", 16),
        "NEW_MEMBER_DAYS": _env_number("NEW_MEMBER_DAYS", 7),
        # Every member's posts a minute (moderators get twice as many), counted in the database.
        "POSTS_PER_MINUTE": _env_number("POSTS_PER_MINUTE", 6),
        "NEW_MEMBER_POSTS_PER_HOUR": _env_number("NEW_MEMBER_POSTS_PER_HOUR", 10),
        "NEW_MEMBER_THREADS_FIRST_DAY": _env_number("NEW_MEMBER_THREADS_FIRST_DAY", 3),
        "NEW_MEMBER_LINKS_PER_POST": _env_number("NEW_MEMBER_LINKS_PER_POST", 2),
        # Pictures pasted into posts: the largest file accepted, and each member's uploads an
        # hour (counted in the database, so the limit holds across app processes).
        "POST_IMAGE_MAX_MB": _env_number("POST_IMAGE_MAX_MB", 10),
        "POST_IMAGES_PER_HOUR": _env_number("POST_IMAGES_PER_HOUR", 30),
        # Live notifications: how often each process re-checks its open sockets (0: never).
        "LIVE_SWEEP_SECONDS": _env_number("LIVE_SWEEP_SECONDS", 2, float),
        # Periodic jobs (outbound mail, queued tasks, ...) inside a process that serves requests,
        # started with its first request (off: none at all, as in tests).
        "RUN_JOBS": _env_bool("RUN_JOBS", True),
        # On: a ``community jobs`` process runs the shared jobs, and this one only those that
        # tend its own memory. ``community run`` sets it for its web worker.
        "JOBS_ELSEWHERE": _env_bool("JOBS_ELSEWHERE", False),
        # The UNIX socket of ``community run``'s live broker (core/live_channel.py), which
        # carries Socket.IO emits from the jobs process (and CLI commands) to the web worker
        # without Redis. Set by ``community run`` for the processes it starts, and found in
        # the instance folder by commands run while it serves; otherwise a process emits only
        # to its own sockets (or through Redis, which wins when both are set).
        "LIVE_SOCKET": _env("LIVE_SOCKET") or _existing(instance_path / LIVE_SOCKET_NAME),
        # Activity events are deleted after this many days; the daily rollups are kept.
        "METRICS_RETENTION_DAYS": _env_number("METRICS_RETENTION_DAYS", 400),
        # The owners' Responsiveness report: an assigned thread should be answered within.
        "METRICS_ASSIGNED_TARGET_HOURS": _env_number("METRICS_ASSIGNED_TARGET_HOURS", 24),
        # Library: the largest attachment accepted, in megabytes.
        "LIBRARY_MAX_UPLOAD_MB": library_upload_mb,
        # Moderators, editors and owners must set up two-step sign-in before anything else.
        "REQUIRE_2FA_FOR_STAFF": _env_bool("REQUIRE_2FA_FOR_STAFF", production),
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        # Werkzeug's method name; slow on purpose. Only tests ask for a cheaper one.
        "PASSWORD_HASH_METHOD": "scrypt",
    }
    config.update(overrides)
    if config["BASE_URL"]:
        config["BASE_URL"] = config["BASE_URL"].strip().rstrip("/")
    if "TRUSTED_HOSTS" not in overrides:
        config["TRUSTED_HOSTS"] = trusted_hosts(config["BASE_URL"])
    check_config(config)
    return config


def trusted_hosts(base_url: str | None) -> list[str] | None:
    """The one host a request may name once the site's address is known; Flask answers 400 to
    any other ``Host``, so nothing downstream can be fooled by a forged one."""
    if not base_url:
        return None
    hostname = urlsplit(base_url).hostname
    return [hostname] if hostname else None


SEARCH_BACKENDS = ("whoosh", "postgres")


def check_search_config(config: dict[str, Any]) -> None:
    """The PostgreSQL search backend searches the app's own database, so it needs one."""
    backend = config.get("SEARCH_BACKEND", "whoosh")
    if backend not in SEARCH_BACKENDS:
        raise ConfigurationError(
            f"COMMUNITY_SEARCH_BACKEND must be whoosh or postgres (got {backend!r})."
        )
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if backend == "postgres" and not database.startswith("postgresql"):
        raise ConfigurationError(
            "COMMUNITY_SEARCH_BACKEND=postgres searches the PostgreSQL database: set "
            "COMMUNITY_DATABASE_URL to a postgresql:// address too."
        )


def check_config(config: dict[str, Any]) -> None:
    """Refuse a base URL that is not one, and production with a missing or weak key, with
    debug on, or without an https base URL."""
    base_url = config.get("BASE_URL")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ConfigurationError(
                f"COMMUNITY_BASE_URL must be the site's address, like https://council.example.com"
                f" (got {base_url!r})."
            )
    check_search_config(config)
    if config["ENV"] != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 10:
        raise ConfigurationError(
            "COMMUNITY_SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
        )
    if config.get("DEBUG"):
        raise ConfigurationError("COMMUNITY_DEBUG must be off in production.")
    if not base_url or urlsplit(base_url).scheme != "https":
        raise ConfigurationError(
            "COMMUNITY_BASE_URL must be set to the site's https address in production, like "
            "https://council.example.com: links in emails are built from it alone."
        )
    if not config["PASSWORD_HASH_METHOD"].startswith("scrypt"):
        raise ConfigurationError("Passwords must be hashed with scrypt in production.")
