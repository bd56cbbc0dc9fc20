"""Migration 0003b downgrades and upgrades again on both engines, and the triggers work after."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from tests import databases


def _round_trip(url: str) -> None:
    from alembic.script import ScriptDirectory
    from flask_migrate import downgrade, upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        migrate_config = app.extensions["migrate"].migrate.get_config()
        below = ScriptDirectory.from_config(migrate_config).get_revision("0003b").down_revision
        downgrade(revision=below)
        with db.engine.connect() as conn:
            names = set(db.inspect(conn).get_table_names(schema="private" if conn.dialect.name == "postgresql"
                                                                else None))
        assert "availability_generation" not in names and "slot_request_stats" not in names
        upgrade(revision="heads")
        db.engine.dispose()


def _bumps(url: str, private: str) -> int:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    user = str(uuid.uuid4())
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, :e, 'M')"),
                     {"i": user, "e": f"{user}@example.test"})
        conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name) VALUES (:i, 'M')"), {"i": user})
        conn.execute(text("UPDATE stylist_profiles SET booking_buffer_minutes = 5 WHERE user_id = :i"), {"i": user})
        value = conn.execute(text(f"SELECT generation FROM {private}availability_generation WHERE scope = :i"),
                             {"i": user}).scalar()
    engine.dispose()
    return value


def test_downgrade_and_upgrade_again_sqlite(tmp_path, sqlite_template):
    url = databases.sqlite_copy(sqlite_template, tmp_path)
    _round_trip(url)
    assert _bumps(url, "") == 2


@pytest.mark.skipif(not databases.TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")
def test_downgrade_and_upgrade_again_postgresql():
    url = databases.create_pg_database("portal_migration")
    try:
        databases.migrate(url)
        _round_trip(url)
        assert _bumps(url, "private.") == 2
    finally:
        databases.drop_pg_database(url)
