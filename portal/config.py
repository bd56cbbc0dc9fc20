"""Configuration: defaults, then the environment, then the caller's mapping.

Every setting can be given as `FLASK_<NAME>` (Flask's `from_prefixed_env`, values
parsed as JSON where they parse); `DATABASE_URL` and `SECRET_KEY` are also read as
they are, and the `FLASK_` spelling wins where both are set.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

DEFAULTS: dict[str, Any] = {
    "AVAILABILITY_CACHE_ENABLED": True,
    "AVAILABILITY_CACHE_TTL_SECONDS": 300,
    "SLOT_INTERVAL_MINUTES": 30,
    "SLOTS_RATE_LIMIT": "10 per 10 seconds",
    "LOGIN_RATE_LIMIT": "5 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STRATEGY": "moving-window",
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "TRUSTED_PROXY_HOPS": 0,
    "CORS_ORIGINS": "",
    "PROMOTION_REQUIRE_SECOND_ADMIN": True,
    "DEFAULT_TIMEZONE": "Asia/Kathmandu",
    "CACHE_HIT_RATE_ALERT": 0.8,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "BOOTSTRAP_SERVE_LOCAL": True,
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WTF_CSRF_TIME_LIMIT": None,
    "PASSWORD_HASH_METHOD": "scrypt",  # any Werkzeug method; keep a slow KDF in production
}

PLAIN_ENV_NAMES = ("DATABASE_URL", "SECRET_KEY")


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill `app.config` in the documented order and derive the dependent keys."""
    app.config.from_mapping(DEFAULTS)
    for name in PLAIN_ENV_NAMES:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("FLASK")
    if overrides:
        app.config.from_mapping(overrides)

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config.get("DATABASE_URL") or _default_database_url(app)
        app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret_key(app)
    # Cookies travel only over HTTPS outside debug and tests.
    secure = not (app.debug or app.testing)
    explicit = set(overrides or {}) | {
        name[len("FLASK_"):] for name in os.environ if name.startswith("FLASK_")
    }
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if name not in explicit:
            app.config[name] = secure


def normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` spellings and route them to psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _default_database_url(app: Flask) -> str:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")


def _development_secret_key(app: Flask) -> str:
    """Generate a key once into `instance/` for development; refuse in production."""
    if not (app.debug or app.testing or os.environ.get("PORTAL_ALLOW_DEV_SECRET")):
        raise RuntimeError(
            "SECRET_KEY is required outside debug mode: set SECRET_KEY or FLASK_SECRET_KEY."
        )
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
