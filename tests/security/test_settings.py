"""Configuration that cannot be silently lost (security.md): plain names and FLASK_
names, the README's production environment, the start-up summary and warnings."""
from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from portal import create_app
from portal.config import PLAIN_ENV_NAMES, ConfigurationError

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"<!-- production-environment -->\s*```sh\n(.*?)```\s*<!-- /production-environment -->", re.S)


def readme_environment() -> dict[str, str]:
    match = BLOCK.search(README.read_text())
    assert match, "README.md lost its production-environment block"
    pairs = [line.split("=", 1) for line in match.group(1).splitlines() if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


@pytest.fixture
def clean_env(monkeypatch):
    for name in PLAIN_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"FLASK_{name}", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    return monkeypatch


def test_the_readme_production_environment_takes_effect(clean_env, caplog):
    environment = readme_environment()
    assert {"DATABASE_URL", "SECRET_KEY", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXY_HOPS"} <= set(environment)
    assert not any(name.startswith("FLASK_") for name in environment), "the recipe uses plain names"
    for name, value in environment.items():
        clean_env.setenv(name, value)
    with caplog.at_level(logging.INFO, logger="portal.startup"):
        app = create_app()
    config = app.config
    assert config["SQLALCHEMY_DATABASE_URI"] == environment["DATABASE_URL"]
    assert config["SECRET_KEY"] == environment["SECRET_KEY"]
    assert config["RATELIMIT_STORAGE_URI"] == environment["RATELIMIT_STORAGE_URI"]
    assert config["TRUSTED_PROXY_HOPS"] == 1
    assert config["CORS_ORIGINS"] == environment["CORS_ORIGINS"]
    assert config["METRICS_TOKEN"] == environment["METRICS_TOKEN"]
    assert config["SESSION_COOKIE_SECURE"] is True and config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert config["SESSION_IDLE_MINUTES"] == 30 and config["SESSION_MAX_HOURS"] == 12
    from limits.storage import RedisStorage

    with app.app_context():
        from portal.extensions import limiter
        assert isinstance(limiter.storage, RedisStorage)
    (summary,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("portal settings:")]
    assert "database=postgresql@db.internal" in summary and "limiter_storage=redis://cache.internal:6379" in summary
    assert "trusted_proxy_hops=1" in summary and "cache=on" in summary
    assert "cors_origins=https://www.kbstylish.com.np" in summary and "metrics=bearer token" in summary
    assert environment["SECRET_KEY"] not in caplog.text and "CHANGE-ME@" not in caplog.text  # no secrets
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_flask_spelling_wins_and_values_are_typed(clean_env):
    clean_env.setenv("SECRET_KEY", "plain")
    clean_env.setenv("LOGIN_RATE_LIMIT", "7 per minute")
    clean_env.setenv("FLASK_LOGIN_RATE_LIMIT", "3 per minute")
    clean_env.setenv("AVAILABILITY_CACHE_ENABLED", "false")
    clean_env.setenv("SESSION_IDLE_MINUTES", "15")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per minute"
    assert app.config["AVAILABILITY_CACHE_ENABLED"] is False
    assert app.config["SESSION_IDLE_MINUTES"] == 15 and app.config["SECRET_KEY"] == "plain"


def test_memory_storage_outside_debug_is_a_warning(clean_env, caplog):
    clean_env.setenv("SECRET_KEY", "s")
    with caplog.at_level(logging.INFO, logger="portal.startup"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("memory://" in message and "each process" in message for message in warnings)


def test_an_unusable_storage_uri_stops_start_up(clean_env):
    clean_env.setenv("RATELIMIT_STORAGE_URI", "redis//cache:6379")
    with pytest.raises(ConfigurationError, match="RATELIMIT_STORAGE_URI"):
        create_app({"TESTING": True, "SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_readme_commands_exist_and_start_on_a_development_clone():
    """`flask --app wsgi …` as the README writes it: no SECRET_KEY, no DATABASE_URL
    (the embedded SQLite in instance/, as `make run` leaves it)."""
    import os
    import subprocess
    import sys

    listed = set(re.findall(r"^- `([a-z-]+(?: [a-z-]+)?)[ `]", README.read_text(), re.M))
    env = {k: v for k, v in os.environ.items()
           if k not in PLAIN_ENV_NAMES and not k.startswith(("FLASK_", "TEST_"))}
    flask = str(Path(sys.executable).parent / "flask")
    result = subprocess.run([flask, "--app", "wsgi", "--help"], cwd=README.parent, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    commands = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line.strip()}
    wanted = {name.split()[0] for name in listed}
    assert {"create-user", "seed-demo", "warm-cache", "db", "db-roles"} <= wanted
    assert wanted <= commands, wanted - commands
