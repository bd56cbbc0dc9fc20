"""A database that already holds overlapping occupying bookings: `flask list-overlaps`
lists them, and the upgrade to the no-overlap rule stops and lists them, changing none."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from tests import databases
from tests.helpers import stamp

START = datetime(2030, 1, 7, 4, 15, tzinfo=timezone.utc)


@pytest.fixture
def database_at_0012(engine_name, tmp_path):
    if engine_name == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url = databases.create_pg_database("portal_overlaps")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0012")
        yield app
        db.session.remove()
        db.engine.dispose()
    if engine_name == "postgresql":
        databases.drop_pg_database(url)


def _seed_overlaps(conn) -> tuple[str, str, str]:
    user, service = str(uuid.uuid4()), str(uuid.uuid4())
    conn.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, 'a@example.test', 'Anjali')"),
                 {"i": user})
    conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name) VALUES (:i, 'Anjali')"), {"i": user})
    conn.execute(text("INSERT INTO services (id, name, slug, category, duration_minutes, base_price_cents) "
                      "VALUES (:i, 'Cut', 'cut', 'hair', 60, 100)"), {"i": service})
    ids = []
    for minutes, status in ((0, "confirmed"), (30, "pending"), (120, "confirmed"), (130, "cancelled")):
        booking = str(uuid.uuid4())
        ids.append(booking)
        start = START + timedelta(minutes=minutes)
        conn.execute(text("INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, "
                          "status) VALUES (:i, :s, :v, :a, :b, 100, :st)"),
                     {"i": booking, "s": user, "v": service, "a": stamp(conn, start),
                      "b": stamp(conn, start + timedelta(hours=1)), "st": status})
    return ids[0], ids[1], user


def test_list_then_upgrade_stops_and_lists(database_at_0012):
    app = database_at_0012
    with db.engine.begin() as conn:
        first, second, _ = _seed_overlaps(conn)
    listed = app.test_cli_runner().invoke(args=["list-overlaps"])
    assert listed.exit_code == 1
    assert first in listed.output and second in listed.output and "1 overlapping pair(s)." in listed.output
    with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits 1
        upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0012"
        assert conn.execute(text("SELECT count(*) FROM bookings WHERE status <> 'cancelled'")).scalar() == 3
    # the operator cancels one of the pair; the upgrade then goes through
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE bookings SET status = 'cancelled' WHERE id = :i"), {"i": second})
    assert app.test_cli_runner().invoke(args=["list-overlaps"]).exit_code == 0
    upgrade(revision="0012b")  # (later branches' migrations follow it)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0012b"
