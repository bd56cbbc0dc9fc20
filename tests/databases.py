"""Test databases: a migrated template per engine, a clean copy per test.

SQLite: the migrations run once into a template file; each test gets a copy.
PostgreSQL (`TEST_DATABASE_URL`): one database per test run, named after the run so
runs never collide, migrated once; after each test every table but `roles` is
emptied (with triggers bypassed, as the append-only logs refuse deletes otherwise).
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "").strip()
ENGINES = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
KEEP_TABLES = {"roles", "alembic_version"}


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        from portal.extensions import db
        db.engine.dispose()


def build_sqlite_template(directory: Path) -> Path:
    path = directory / "template.sqlite3"
    migrate(f"sqlite:///{path}")
    return path


def sqlite_copy(template: Path, directory: Path) -> str:
    target = directory / "portal.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def pg_admin_engine():
    url = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=None)


def create_pg_database(prefix: str = "portal_test") -> str:
    """A fresh, empty database next to TEST_DATABASE_URL's; returns its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    engine = pg_admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = make_url(TEST_DATABASE_URL).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    engine = pg_admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def empty_pg_database(engine) -> None:
    with engine.begin() as conn:
        rows = conn.execute(text(
            "SELECT schemaname || '.' || tablename FROM pg_tables"
            " WHERE schemaname IN ('public', 'private')"
        )).scalars().all()
        names = [r for r in rows if r.split(".")[1] not in KEEP_TABLES]
        # DELETE is much cheaper than TRUNCATE on small tables; with the replica role
        # neither the append-only triggers nor foreign-key checks fire, so order is free.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        for name in names:
            conn.execute(text(f"DELETE FROM {name}"))
