"""Configuration: defaults, then the environment, then the caller's mapping.

Every documented setting (operations.md) is read from the environment under its
plain name and as `FLASK_<NAME>` (values parsed as JSON where they parse, like
Flask's `from_prefixed_env`); the `FLASK_` spelling wins where both are set.
Outside debug and tests, start-up logs one line of the effective safety settings
(`startup_summary`) and warns about per-process rate limits (`memory://`).
"""
from __future__ import annotations

import json
import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from flask import Flask
from flask.logging import default_handler
from limits.storage import SCHEMES
from sqlalchemy.engine import make_url

from portal import limiter_storage  # noqa: F401  (registers memory+inline:// in SCHEMES)
from portal.domain import opening_envelope
from portal import message_settings

DEFAULTS: dict[str, Any] = {
    "AVAILABILITY_CACHE_ENABLED": True,
    "AVAILABILITY_CACHE_TTL_SECONDS": 86400,
    "AVAILABILITY_CACHE_REFRESH_SIBLINGS": True,
    "SLOT_INTERVAL_MINUTES": 30,
    "SLOTS_RATE_LIMIT": "10 per 10 seconds",
    "LOGIN_RATE_LIMIT": "5 per minute",
    "RATELIMIT_STORAGE_URI": "memory+inline://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "TRUSTED_PROXY_HOPS": 0,
    "CORS_ORIGINS": "",
    "PROMOTION_REQUIRE_SECOND_ADMIN": True,
    "DEFAULT_TIMEZONE": "Asia/Kathmandu",
    "LANGUAGES": "en,ne",  # the first is the default; Nepali pages use Devanagari digits
    "BABEL_DEFAULT_LOCALE": "en",
    "CACHE_HIT_RATE_ALERT": 0.8,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BOOTSTRAP_SERVE_LOCAL": True,
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",  # any Werkzeug method; keep a slow KDF in production
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    "METRICS_TOKEN": None,
    "SECURITY_EVENTS_PER_MINUTE": 20,  # rows per anonymous-triggerable event and minute, all clients
    "ACCOUNT_FAILURES_PER_HOUR": 50,  # failed passwords and codes per account, all addresses
    # a database that stops answering costs a request seconds, never a hung thread (security.md
    # "Serving"; portal/database.py). 0 switches the statement timeout off.
    "DATABASE_CONNECT_TIMEOUT_SECONDS": 3,
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": 15,
    "DATABASE_TCP_TIMEOUT_SECONDS": 10,
    "DATABASE_POOL_TIMEOUT_SECONDS": 5,
    "SELF_SERVICE_HOURS": "06:00-21:00",  # stylists' own hours stay inside it (salon time)
    **message_settings.DEFAULTS,
}
DATABASE_TIMEOUTS = ("DATABASE_CONNECT_TIMEOUT_SECONDS", "DATABASE_STATEMENT_TIMEOUT_SECONDS",
                     "DATABASE_TCP_TIMEOUT_SECONDS", "DATABASE_POOL_TIMEOUT_SECONDS")

# Every setting of operations.md; each is also read as FLASK_<NAME> (which wins).
PLAIN_ENV_NAMES = (
    "DATABASE_URL", "SECRET_KEY", "AVAILABILITY_CACHE_ENABLED", "AVAILABILITY_CACHE_TTL_SECONDS",
    "SLOT_INTERVAL_MINUTES", "SLOTS_RATE_LIMIT", "LOGIN_RATE_LIMIT", "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED", "TRUSTED_PROXY_HOPS", "CORS_ORIGINS", "PROMOTION_REQUIRE_SECOND_ADMIN",
    "DEFAULT_TIMEZONE", "CACHE_HIT_RATE_ALERT", "MAX_CONTENT_LENGTH", "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS", "METRICS_TOKEN", "MFA_ENCRYPTION_KEY", "LANGUAGES",
    "SECURITY_EVENTS_PER_MINUTE", "ACCOUNT_FAILURES_PER_HOUR", *DATABASE_TIMEOUTS,
    "SELF_SERVICE_HOURS",
    *message_settings.ENV_NAMES,
)
SECRET_NAMES = ("SECRET_KEY", "METRICS_TOKEN", "MFA_ENCRYPTION_KEY", *message_settings.SECRET_NAMES)
logger = logging.getLogger("portal.startup")


class ConfigurationError(RuntimeError):
    """A setting that cannot work: start-up stops with this message."""


def _parse_env_value(value: str) -> Any:
    """The same reading as Flask's `from_prefixed_env`: JSON where it parses, else text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill `app.config` in the documented order and derive the dependent keys."""
    app.config.from_mapping(DEFAULTS)
    for name in PLAIN_ENV_NAMES:
        if os.environ.get(name):
            app.config[name] = _parse_env_value(os.environ[name])
    app.config.from_prefixed_env("FLASK")
    if overrides:
        app.config.from_mapping(overrides)

    development_clone = not (app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL"))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or _default_database_url(app)
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret_key(app, development_clone)
    # Cookies travel only over HTTPS outside debug and tests.
    secure = not (app.debug or app.testing)
    explicit = set(overrides or {}) | {
        name[len("FLASK_"):] for name in os.environ if name.startswith("FLASK_")
    } | {name for name in PLAIN_ENV_NAMES if os.environ.get(name)}
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if name not in explicit:
            app.config[name] = secure
    _derive_session_lifetime(app)
    try:
        opening_envelope.parse(str(app.config["SELF_SERVICE_HOURS"]))
    except ValueError as error:
        raise ConfigurationError(str(error)) from None
    check_storage_uri(str(app.config["RATELIMIT_STORAGE_URI"]))
    for problem in message_settings.problems(app.config):
        raise ConfigurationError(problem)
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(("redis://", "rediss://")):
        # an unreachable Redis must fail fast (then sign-in counts per process), not hang
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})


def _derive_session_lifetime(app: Flask) -> None:
    """The cookie's signature lasts no longer than the absolute session lifetime."""
    for name in ("SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "MAX_CONTENT_LENGTH", "SECURITY_EVENTS_PER_MINUTE",
                 "ACCOUNT_FAILURES_PER_HOUR", *DATABASE_TIMEOUTS):
        try:
            app.config[name] = int(app.config[name])
        except (TypeError, ValueError):
            raise ConfigurationError(f"{name} must be a whole number, not {app.config[name]!r}.") from None
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_MAX_HOURS"])


def check_storage_uri(uri: str) -> None:
    """Stop start-up on a limiter storage URI that Flask-Limiter could not use."""
    scheme = urlsplit(uri).scheme if "://" in uri else ""
    if scheme not in SCHEMES:
        raise ConfigurationError(
            f"RATELIMIT_STORAGE_URI {uri!r} cannot be used: expected memory:// or one of "
            f"{', '.join(sorted(s + '://' for s in SCHEMES if s != 'memory'))} (e.g. redis://host:6379/0)."
        )


def startup_summary(app: Flask) -> str:
    """One line of the effective non-secret settings that matter for safety."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    storage = urlsplit(str(app.config["RATELIMIT_STORAGE_URI"]))
    origins = str(app.config["CORS_ORIGINS"]).strip() or "none"
    metrics = "bearer token" if app.config.get("METRICS_TOKEN") else "loopback/private peers only"
    return (
        f"database={url.get_backend_name()}@{url.host or url.database or 'local'}"
        f" limiter_storage={storage.scheme}://{storage.hostname or ''}{':' + str(storage.port) if storage.port else ''}"
        f" trusted_proxy_hops={app.config['TRUSTED_PROXY_HOPS']}"
        f" cache={'on' if app.config['AVAILABILITY_CACHE_ENABLED'] else 'off'}"
        f" cors_origins={origins} metrics={metrics}"
        f" max_content_length={app.config['MAX_CONTENT_LENGTH']}"
        f" session_idle_minutes={app.config['SESSION_IDLE_MINUTES']}"
        f" session_max_hours={app.config['SESSION_MAX_HOURS']}"
        f" security_events_per_minute={app.config['SECURITY_EVENTS_PER_MINUTE']}"
        f" account_failures_per_hour={app.config['ACCOUNT_FAILURES_PER_HOUR']}"
        f" database_timeouts=connect:{app.config['DATABASE_CONNECT_TIMEOUT_SECONDS']}s"
        f",statement:{app.config['DATABASE_STATEMENT_TIMEOUT_SECONDS']}s"
        f",tcp:{app.config['DATABASE_TCP_TIMEOUT_SECONDS']}s,pool:{app.config['DATABASE_POOL_TIMEOUT_SECONDS']}s"
    )


def announce(app: Flask) -> None:
    """Outside debug and tests: the summary line, and a warning for per-process limits."""
    if app.debug or app.testing:
        return
    if not logger.handlers:
        logger.addHandler(default_handler)
        logger.setLevel(logging.INFO)
    logger.info("portal settings: %s", startup_summary(app))
    if str(app.config["RATELIMIT_STORAGE_URI"]).startswith(("memory://", "memory+inline://")):
        logger.warning(
            "RATELIMIT_STORAGE_URI is in-process memory (memory:// or memory+inline://): each process"
            " counts rate limits on its own;"
            " use redis://... when more than one process serves the portal."
        )


def normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` spellings and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _default_database_url(app: Flask) -> str:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")


def _development_secret_key(app: Flask, development_clone: bool) -> str:
    """Generate a key once into `instance/` for development; refuse in production.

    Development means debug, tests, or a clone with no database configured (the
    embedded `instance/portal.sqlite3`), so the README's `flask --app wsgi …`
    commands work as written there. A deployment names its database, and then
    must name its key too."""
    if not (app.debug or app.testing or development_clone or os.environ.get("PORTAL_ALLOW_DEV_SECRET")):
        raise RuntimeError(
            "SECRET_KEY is required outside development: set SECRET_KEY or FLASK_SECRET_KEY."
        )
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
