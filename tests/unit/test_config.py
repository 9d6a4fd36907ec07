"""Configuration: safe defaults on one machine, refusal to run production unsafely."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from community import create_app
from community.config import ConfigurationError, load_config

pytestmark = pytest.mark.sqlite_only(reason="apps on their own SQLite files: --db changes nothing")

STRONG_KEY = "kR7v-Qp2_xLm9ZtB4wNc8HsJ1dFgYe6UaOi3TqVr5Ws"
SITE = "https://council.example.com"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No COMMUNITY_* setting leaks in from the shell; the instance folder is a temp dir."""
    for name in list(os.environ):
        if name.startswith("COMMUNITY_"):
            monkeypatch.delenv(name)
    instance = tmp_path / "instance"
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(instance))
    return instance


def production(
    monkeypatch: pytest.MonkeyPatch, key: str | None = STRONG_KEY, base_url: str | None = SITE
) -> None:
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    if key is not None:
        monkeypatch.setenv("COMMUNITY_SECRET_KEY", key)
    if base_url is not None:
        monkeypatch.setenv("COMMUNITY_BASE_URL", base_url)


def test_production_with_a_strong_key_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch)

    config = load_config()

    assert config["ENV"] == "production"
    assert config["SECRET_KEY"] == STRONG_KEY
    assert config["DEBUG"] is False
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["BASE_URL"] == SITE
    assert config["TRUSTED_HOSTS"] == ["council.example.com"]


@pytest.mark.parametrize("base_url", [None, "http://council.example.com", "council.example.com"])
def test_production_refuses_to_start_without_an_https_base_url(
    monkeypatch: pytest.MonkeyPatch, base_url: str | None
) -> None:
    production(monkeypatch, base_url=base_url)

    with pytest.raises(ConfigurationError, match="COMMUNITY_BASE_URL"):
        create_app()


def test_a_base_url_is_the_only_host_requests_may_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config()["TRUSTED_HOSTS"] is None  # development without one: any host
    monkeypatch.setenv("COMMUNITY_BASE_URL", "https://Council.Example.com:8443/community/")

    config = load_config()

    assert config["BASE_URL"] == "https://Council.Example.com:8443/community"
    assert config["TRUSTED_HOSTS"] == ["council.example.com"]


def test_production_refuses_a_missing_secret_key(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    production(monkeypatch, key=None)

    with pytest.raises(ConfigurationError, match="COMMUNITY_SECRET_KEY"):
        load_config()
    # No development key was quietly generated to paper over it.
    assert not (clean_environment / "secret_key").exists()


def test_production_ignores_a_development_key_left_in_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    load_config()  # development: writes instance/secret_key
    assert (clean_environment / "secret_key").exists()
    production(monkeypatch, key=None)

    with pytest.raises(ConfigurationError, match="COMMUNITY_SECRET_KEY"):
        load_config()


@pytest.mark.parametrize(
    "key",
    [
        "",
        "short",
        "kR7v-Qp2_xLm9ZtB4wNc8HsJ1dFgYe6",  # 31 characters: one short
        "a" * 64,
        "abababababababababababababababababababab",
        "changeme" * 5,
    ],
)
def test_production_refuses_a_short_or_low_entropy_key(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    production(monkeypatch, key=key)

    with pytest.raises(ConfigurationError, match="at least 32 characters"):
        load_config()


def test_production_refuses_a_weak_key_passed_as_an_override(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production(monkeypatch)

    with pytest.raises(ConfigurationError):
        load_config({"SECRET_KEY": "x" * 40})


@pytest.mark.parametrize("value", ["1", "true", "on", "yes", "TRUE"])
def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    production(monkeypatch)
    monkeypatch.setenv("COMMUNITY_DEBUG", value)

    with pytest.raises(ConfigurationError, match="COMMUNITY_DEBUG"):
        load_config()


def test_production_refuses_a_cheap_password_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch)

    with pytest.raises(ConfigurationError, match="scrypt"):
        load_config({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})


def test_create_app_refuses_unsafe_production(monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch, key="too-short")

    with pytest.raises(ConfigurationError):
        create_app()


def test_development_generates_a_key_once_and_reuses_it(clean_environment: Path) -> None:
    first = load_config()
    key_file = clean_environment / "secret_key"

    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # readable by the app's user only

    second = load_config()
    assert second["SECRET_KEY"] == first["SECRET_KEY"]


def test_development_keys_differ_between_instances(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path / "one"))
    one = load_config()["SECRET_KEY"]
    monkeypatch.setenv("COMMUNITY_INSTANCE_PATH", str(tmp_path / "two"))
    two = load_config()["SECRET_KEY"]

    assert one != two


def test_a_configured_key_is_used_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    monkeypatch.setenv("COMMUNITY_SECRET_KEY", STRONG_KEY)

    assert load_config()["SECRET_KEY"] == STRONG_KEY
    assert not (clean_environment / "secret_key").exists()


def test_development_debug_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_DEBUG", "1")

    assert load_config()["DEBUG"] is True


def test_defaults_live_under_the_instance_folder(clean_environment: Path) -> None:
    config = load_config()

    assert clean_environment.is_dir()
    assert config["INSTANCE_PATH"] == str(clean_environment)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_environment / 'community.db'}"
    assert config["SEARCH_INDEX_PATH"] == str(clean_environment / "search-index")
    assert config["MAIL_OUTBOX"] == str(clean_environment / "outbox")
    assert config["MAIL_SERVER"] is None
    assert config["REDIS_URL"] is None
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["ENV"] == "development"
    assert config["DEBUG"] is False
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["PORT"] == 5000


def test_community_environment_variables_override_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", "postgresql+psycopg://u:p@db.internal/council")
    monkeypatch.setenv("COMMUNITY_REDIS_URL", "redis://cache.internal:6379/0")
    monkeypatch.setenv("COMMUNITY_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("COMMUNITY_PORT", "8080")
    monkeypatch.setenv("COMMUNITY_HOST", "10.0.0.5")
    monkeypatch.setenv("COMMUNITY_MAIL_SERVER", "smtp.internal")
    monkeypatch.setenv("COMMUNITY_MAIL_PORT", "587")
    monkeypatch.setenv("COMMUNITY_MAIL_USE_TLS", "true")
    monkeypatch.setenv("COMMUNITY_BASE_URL", "https://council.example.com")
    monkeypatch.setenv("COMMUNITY_SECURE_COOKIES", "1")

    config = load_config()

    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.internal/council"
    assert config["REDIS_URL"] == "redis://cache.internal:6379/0"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert config["SECRET_KEY"] == STRONG_KEY
    assert config["PORT"] == 8080
    assert config["HOST"] == "10.0.0.5"
    assert config["MAIL_SERVER"] == "smtp.internal"
    assert config["MAIL_PORT"] == 587
    assert config["MAIL_USE_TLS"] is True
    assert config["BASE_URL"] == "https://council.example.com"
    assert config["SESSION_COOKIE_SECURE"] is True


def test_empty_environment_variables_fall_back_to_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COMMUNITY_PORT", "")
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", "")

    config = load_config()

    assert config["PORT"] == 5000
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("PORT", "80O", "a whole number"), ("LIVE_SWEEP_SECONDS", "two", "a number")],
)
def test_a_mistyped_number_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(f"COMMUNITY_{name}", value)

    with pytest.raises(ConfigurationError, match=f"COMMUNITY_{name} must be {expected}"):
        load_config()


def test_numbers_may_carry_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_PORT", " 8080 ")
    monkeypatch.setenv("COMMUNITY_LIVE_SWEEP_SECONDS", "0.5")

    config = load_config()

    assert (config["PORT"], config["LIVE_SWEEP_SECONDS"]) == (8080, 0.5)


def test_production_can_turn_secure_cookies_off_only_explicitly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production(monkeypatch)
    monkeypatch.setenv("COMMUNITY_SECURE_COOKIES", "0")

    assert load_config()["SESSION_COOKIE_SECURE"] is False


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_PORT", "8080")

    assert load_config({"PORT": 9000})["PORT"] == 9000


def test_the_postgres_search_backend_needs_a_postgresql_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_config()["SEARCH_BACKEND"] == "whoosh"
    monkeypatch.setenv("COMMUNITY_SEARCH_BACKEND", "postgres")
    with pytest.raises(ConfigurationError, match="COMMUNITY_DATABASE_URL"):
        load_config()
    monkeypatch.setenv("COMMUNITY_DATABASE_URL", "postgresql+psycopg://council@db/council")
    assert load_config()["SEARCH_BACKEND"] == "postgres"
    monkeypatch.setenv("COMMUNITY_SEARCH_BACKEND", "elastic")
    with pytest.raises(ConfigurationError, match="whoosh or postgres"):
        load_config()


def test_a_sqlite_database_shares_the_file_and_commits_without_waiting_for_the_disk(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'council.db'}")
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 1  # NORMAL: no fsync per commit
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert pragma("PRAGMA secure_delete").scalar() == 1  # deleted rows leave no trace
    engine.dispose()
