"""Least privilege on PostgreSQL: the portal runs as a role that owns nothing, the
public site's role writes only bookings and holds, and `flask db-roles` is idempotent."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from portal import create_app
from portal.extensions import db
from tests import databases

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def world(raw):
    stylist, service, customer = (str(uuid.uuid4()) for _ in range(3))
    raw.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, 's@x.test', 'S')"), {"i": stylist})
    raw.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:i, 'c@x.test', 'C')"), {"i": customer})
    raw.execute(text("INSERT INTO stylist_profiles (user_id, display_name) VALUES (:i, 'S')"), {"i": stylist})
    raw.execute(text("INSERT INTO services (id, name, slug, category, duration_minutes, base_price_cents)"
                     " VALUES (:i, 'Cut', 'cut', 'hair', 60, 150000)"), {"i": service})
    raw.execute(text("INSERT INTO private.service_management_log (action, category, details)"
                     " VALUES ('x', 'security', '{}')"))
    return {"stylist": stylist, "service": service, "customer": customer}


def connect_as(app, role_attr: str):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    role = getattr(databases.role_names(url), role_attr)
    return create_engine(databases.url_as(url, role), isolation_level="AUTOCOMMIT")


def refused(conn, statement: str, **params) -> bool:
    try:
        conn.execute(text(statement), params)
    except DBAPIError as error:
        return "permission denied" in str(error) or "must be owner" in str(error)
    return False


def test_the_portal_runs_as_the_portal_role(app):
    with app.app_context():
        who = db.session.execute(text("SELECT current_user, usesuper FROM pg_user WHERE usename = current_user")).one()
    assert who[0].endswith("_portal") and who[1] is False


FORBIDDEN_TO_THE_PORTAL = [
    "UPDATE private.service_management_log SET action = 'edited'",
    "DELETE FROM private.service_management_log",
    "TRUNCATE private.service_management_log",
    "UPDATE private.schedule_change_log SET reason = 'edited'",
    "DELETE FROM private.schedule_change_log",
    "TRUNCATE private.schedule_change_log",
    "ALTER TABLE private.service_management_log DISABLE TRIGGER USER",
    "ALTER TABLE private.service_management_log DISABLE TRIGGER ALL",
    "ALTER TABLE public.bookings ADD COLUMN sneaky int",
    "ALTER TABLE public.stylist_override_budgets DISABLE TRIGGER USER",
    "SET session_replication_role = replica",
    "TRUNCATE public.bookings",
    "DROP TABLE public.bookings",
    "CREATE TABLE public.sneaky (id int)",
    "UPDATE public.alembic_version SET version_num = 'x'",
    "CREATE TEMPORARY TABLE sneaky (id int)",  # issue 22: no TEMPORARY privilege
    "CREATE TEMP TABLE sneaky AS SELECT * FROM public.bookings",
]


@pytest.mark.parametrize("statement", FORBIDDEN_TO_THE_PORTAL)
def test_the_portal_role_cannot_bend_the_logs_or_the_schema(app, world, statement):
    engine = connect_as(app, "portal")
    with engine.connect() as conn:
        assert refused(conn, statement), statement
        # what it needs still works: reading and appending to the log, writing tables
        conn.execute(text("INSERT INTO private.service_management_log (action, category, details)"
                          " VALUES ('y', 'security', '{}')"))
        assert conn.execute(text("SELECT count(*) FROM private.service_management_log")).scalar() == 2
    engine.dispose()


def test_the_public_site_role_writes_bookings_and_nothing_else(app, world):
    engine = connect_as(app, "public_site")
    with engine.connect() as conn:
        booking = conn.execute(text(
            "INSERT INTO bookings (stylist_user_id, service_id, customer_user_id, start_time, end_time, price_cents)"
            " VALUES (:st, :sv, :c, '2030-01-07 03:15:00+00', '2030-01-07 04:15:00+00', 150000) RETURNING id"),
            {"st": world["stylist"], "sv": world["service"], "c": world["customer"]}).scalar()
        assert booking is not None
        conn.execute(text(
            "INSERT INTO booking_reservations (stylist_user_id, service_id, start_time, end_time)"
            " VALUES (:st, :sv, '2030-01-08 03:15:00+00', '2030-01-08 04:15:00+00')"),
            {"st": world["stylist"], "sv": world["service"]})
        assert conn.execute(text("SELECT count(*) FROM stylist_schedules")).scalar() == 0  # may read
        assert conn.execute(text("SELECT count(*) FROM services")).scalar() == 1
        for statement in (
            "UPDATE services SET base_price_cents = 1",
            "INSERT INTO schedule_overrides (override_type, start_date, end_date, is_closed, priority)"
            " VALUES ('business_closure', '2030-01-01', '2030-01-01', true, 10)",
            "UPDATE stylist_profiles SET display_name = 'x'",
            "DELETE FROM stylist_schedules",
            "UPDATE stylist_override_budgets SET current_month_overrides = 0",
            "UPDATE user_profiles SET display_name = 'x'",
            "SELECT count(*) FROM user_profiles",
            "INSERT INTO private.service_management_log (action, category, details) VALUES ('z', 'security', '{}')",
            "SELECT count(*) FROM private.availability_cache",
            "UPDATE roles SET name = 'x'",
            "CREATE TEMPORARY TABLE sneaky (id int)",
        ):
            assert refused(conn, statement), statement
    engine.dispose()


def test_the_command_is_idempotent(app):
    url = databases.admin_url(app.config["SQLALCHEMY_DATABASE_URI"])
    names = databases.role_names(url)
    admin_app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    runner = admin_app.test_cli_runner()
    args = ["db-roles", "--owner", names.owner, "--portal", names.portal, "--public-site", names.public_site]
    for _ in range(2):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "statements applied" in result.output
    with admin_app.app_context():
        super_roles = db.session.execute(text(
            "SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :b, :c) AND (rolsuper OR rolcreaterole OR rolbypassrls)"),
            {"a": names.owner, "b": names.portal, "c": names.public_site}).scalar()
        owner = db.session.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'bookings'")).scalar()
        db.engine.dispose()
    assert super_roles == 0 and owner == names.owner
    with admin_app.app_context():  # a role granted TEMPORARY by an earlier version loses it on the next run
        database = db.session.execute(text("SELECT current_database()")).scalar()
        db.session.execute(text(f'GRANT TEMPORARY ON DATABASE "{database}" TO "{names.portal}"'))
        db.session.commit()
        db.engine.dispose()
    assert runner.invoke(args=args).exit_code == 0
    with admin_app.app_context():
        temporary = db.session.execute(text(
            "SELECT has_database_privilege(:r, current_database(), 'TEMPORARY')"
            " OR has_database_privilege(:p, current_database(), 'TEMPORARY')"),
            {"r": names.portal, "p": names.public_site}).scalar()
        db.engine.dispose()
    assert temporary is False
    assert runner.invoke(args=["db-roles", "--owner", "Bad Name"]).exit_code != 0


def test_a_database_migrated_before_the_roles_is_taken_over():
    """An existing deployment migrated as a superuser: the command gives every table,
    sequence and function to the owner role, and the portal role then works."""
    if not databases.TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = databases.create_pg_database("portal_takeover")
    try:
        databases.migrate(url)  # as the administrator, the way it was done before
        databases.apply_pg_roles(url)
        names = databases.role_names(url)
        admin = create_engine(databases.admin_url(url))
        with admin.connect() as conn:
            foreign = conn.execute(text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname IN ('public', 'private') AND c.relkind IN ('r', 'v', 'S')"
                " AND pg_get_userbyid(c.relowner) <> :owner"), {"owner": names.owner}).scalar()
            functions = conn.execute(text(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                " WHERE n.nspname IN ('public', 'private') AND pg_get_userbyid(p.proowner) <> :owner"),
                {"owner": names.owner}).scalar()
        admin.dispose()
        assert foreign == 0 and functions == 0
        portal_engine = create_engine(databases.url_as(url, names.portal), isolation_level="AUTOCOMMIT")
        with portal_engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM roles")).scalar() == 4
            assert refused(conn, "DELETE FROM private.service_management_log")
            assert refused(conn, "ALTER TABLE public.bookings DISABLE TRIGGER USER")
        portal_engine.dispose()
    finally:
        databases.drop_pg_database(url)
