"""Test databases: a migrated template per engine, a clean copy per test.

SQLite: the migrations run once into a template file; each test gets a copy.
PostgreSQL (`TEST_DATABASE_URL`): one database per test run, named after the run so
runs never collide, with its own three roles made by `flask db-roles`' code
(`<database>_owner`, `_portal`, `_public`), migrated once as the owner; the app under
test connects as the portal role (security.md: least privilege). After each test every
table but `roles` is emptied by the administrator (`admin_url`, with triggers bypassed,
as the append-only logs refuse deletes otherwise).
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


def role_names(url: str):
    from portal.db_roles import RoleNames

    name = make_url(url).database
    return RoleNames(f"{name}_owner", f"{name}_portal", f"{name}_public")


def url_as(url: str, role: str) -> str:
    """The same database, as `role` (local trust authentication, no password)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def admin_url(url: str) -> str:
    """The same database as TEST_DATABASE_URL's administrator."""
    admin = make_url(TEST_DATABASE_URL)
    return make_url(url).set(username=admin.username, password=admin.password).render_as_string(hide_password=False)


def apply_pg_roles(url: str) -> None:
    """What `flask db-roles` does, for this run's database and its own role names."""
    from portal import db_roles

    engine = create_engine(admin_url(url))
    with engine.begin() as conn:
        db_roles.apply(conn, role_names(url))
    engine.dispose()


def prepare_pg_database() -> str:
    """A new database with its roles, migrated as the owner; returns the portal's URL."""
    url = create_pg_database()
    apply_pg_roles(url)
    names = role_names(url)
    migrate(url_as(url, names.owner))
    apply_pg_roles(url)  # the log exceptions now that the tables exist
    return url_as(url, names.portal)


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
        names = role_names(url)
        for role in (names.owner, names.portal, names.public_site):
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
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
