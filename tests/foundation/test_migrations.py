"""The migrations build the models' schema on both engines, and unwind to nothing."""
from __future__ import annotations

import pytest
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.extensions import db
from tests import databases

EXPECTED_PUBLIC = {
    "user_profiles", "roles", "user_roles", "stylist_profiles", "services", "stylist_services",
    "stylist_schedules", "bookings", "booking_reservations", "schedule_overrides",
    "stylist_override_budgets", "stylist_promotions",
}
EXPECTED_PRIVATE = {"availability_cache", "schedule_change_log", "service_management_log"}


@pytest.fixture
def empty_database_url(engine_name, tmp_path):
    if engine_name == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url = databases.create_pg_database("portal_migrations")
    yield url
    databases.drop_pg_database(url)


def _tables(engine_name: str) -> tuple[set[str], set[str]]:
    inspector = inspect(db.engine)
    if engine_name == "sqlite":
        return set(inspector.get_table_names()), set()
    return set(inspector.get_table_names()), set(inspector.get_table_names(schema="private"))


def test_upgrade_check_downgrade_upgrade(empty_database_url, engine_name):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        public, private = _tables(engine_name)
        if engine_name == "sqlite":
            assert EXPECTED_PUBLIC | EXPECTED_PRIVATE <= public
        else:
            assert EXPECTED_PUBLIC <= public
            assert EXPECTED_PRIVATE <= private
            assert not EXPECTED_PRIVATE & public

        check()  # autogenerate finds no difference (exits non-zero otherwise)

        downgrade(revision="base")
        public, private = _tables(engine_name)
        assert not (EXPECTED_PUBLIC | EXPECTED_PRIVATE) & (public | private)

        upgrade()
        public, _ = _tables(engine_name)
        assert "stylist_promotions" in public
        check()
        db.engine.dispose()


def test_a_fresh_sqlite_upgrade_prints_no_sqlalchemy_warning(tmp_path):
    """`make run` on a fresh clone is quiet: the batch migrations' reflection of referenced
    tables (user_profiles' expression index) warns nothing."""
    import warnings

    from sqlalchemy.exc import SAWarning

    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'quiet.sqlite3'}"})
    with app.app_context(), warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        upgrade()
    assert [str(w.message) for w in seen if issubclass(w.category, SAWarning)] == []
