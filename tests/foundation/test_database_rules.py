"""Each database rule holds for rows written with plain SQL, as the public site writes them."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

NOW = "2030-01-07 03:15:00"


def new_id() -> str:
    return str(uuid.uuid4())


def insert(raw, table: str, **values):
    columns = ", ".join(values)
    params = ", ".join(f":{name}" for name in values)
    return raw.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)


@pytest.fixture
def world(raw):
    """A user, a stylist and a service, inserted with SQL only."""
    user_id, stylist_id, service_id = new_id(), new_id(), new_id()
    insert(raw, "user_profiles", id=user_id, email="Customer@Example.test", display_name="Customer")
    insert(raw, "user_profiles", id=stylist_id, email="stylist@example.test", display_name="Stylist")
    insert(raw, "stylist_profiles", user_id=stylist_id, display_name="Stylist")
    insert(raw, "services", id=service_id, name="Cut", slug="cut", category="hair",
           duration_minutes=60, base_price_cents=150000)
    return {"user": user_id, "stylist": stylist_id, "service": service_id}


def rejected(raw, table: str, **values) -> bool:
    try:
        insert(raw, table, **values)
    except (IntegrityError, DBAPIError):
        return True
    return False


def test_roles_are_seeded(raw):
    names = set(raw.execute(text("SELECT name FROM roles")).scalars())
    assert names == {"admin", "auditor", "stylist", "customer"}


def test_insert_with_only_contract_columns_gets_defaults(raw, world):
    insert(raw, "bookings", stylist_user_id=world["stylist"], service_id=world["service"],
           start_time=NOW, end_time="2030-01-07 04:15:00", price_cents=150000)
    insert(raw, "booking_reservations", stylist_user_id=world["stylist"], service_id=world["service"],
           start_time=NOW, end_time="2030-01-07 04:15:00")
    booking = raw.execute(text("SELECT id, status, created_at FROM bookings")).one()
    hold = raw.execute(text("SELECT status, expires_at, created_at FROM booking_reservations")).one()
    assert len(str(booking.id)) == 36 and booking.status == "confirmed" and booking.created_at is not None
    assert hold.status == "reserved" and str(hold.expires_at) > str(hold.created_at)


def test_stylist_profile_inserted_by_sql_gets_its_budget(raw, world):
    budget = raw.execute(
        text("SELECT monthly_override_limit, current_month_overrides, emergency_overrides_remaining,"
             " budget_reset_at FROM stylist_override_budgets WHERE stylist_user_id = :id"),
        {"id": world["stylist"]},
    ).one()
    assert (budget[0], budget[1], budget[2]) == (10, 0, 3)
    assert budget.budget_reset_at is not None


def test_budget_reset_is_local_midnight_on_postgresql(raw, world, engine_name):
    if engine_name != "postgresql":
        pytest.skip("SQLite has no time-zone data; the budget service renews the boundary")
    local = raw.execute(text(
        "SELECT budget_reset_at AT TIME ZONE 'Asia/Kathmandu' FROM stylist_override_budgets"
        " WHERE stylist_user_id = :id"), {"id": world["stylist"]}).scalar_one()
    assert (local.day, local.hour, local.minute) == (1, 0, 0)


def test_email_is_unique_case_insensitively(raw, world):
    assert rejected(raw, "user_profiles", id=new_id(), email="customer@example.TEST", display_name="Twin")


@pytest.mark.parametrize("table, bad", [
    ("services", {"name": "X", "slug": "x", "category": "tattoo", "duration_minutes": 30, "base_price_cents": 1}),
    ("services", {"name": "X", "slug": "x", "category": "hair", "duration_minutes": 0, "base_price_cents": 1}),
    ("services", {"name": "X", "slug": "x", "category": "hair", "duration_minutes": 481, "base_price_cents": 1}),
    ("services", {"name": "X", "slug": "x", "category": "hair", "duration_minutes": 30, "base_price_cents": -1}),
    ("services", {"name": "X", "slug": "x", "category": "hair", "duration_minutes": 30, "base_price_cents": 1,
                  "min_advance_hours": -1}),
    ("services", {"name": "X", "slug": "x", "category": "hair", "duration_minutes": 30, "base_price_cents": 1,
                  "max_advance_days": 0}),
    ("services", {"name": "Cut", "slug": "other", "category": "hair", "duration_minutes": 30, "base_price_cents": 1}),
])
def test_service_checks(raw, world, table, bad):
    assert rejected(raw, table, id=new_id(), **bad)


def test_stylist_profile_checks(raw, world):
    other = new_id()
    insert(raw, "user_profiles", id=other, email="other@example.test", display_name="Other")
    assert rejected(raw, "stylist_profiles", user_id=other, display_name="O", booking_buffer_minutes=121)
    assert rejected(raw, "stylist_profiles", user_id=other, display_name="O", booking_buffer_minutes=-1)
    assert rejected(raw, "stylist_profiles", user_id=other, display_name="O", is_active=False)
    assert rejected(raw, "stylist_profiles", user_id=other, display_name="O", deactivated_at=NOW)
    assert rejected(raw, "stylist_profiles", user_id=new_id(), display_name="No such user")


def test_offers_refuse_bad_prices_durations_unknown_services_and_twins(raw, world):
    base = {"stylist_user_id": world["stylist"], "service_id": world["service"]}
    assert rejected(raw, "stylist_services", **base, custom_price_cents=-5)
    assert rejected(raw, "stylist_services", **base, custom_duration_minutes=0)
    assert rejected(raw, "stylist_services", stylist_user_id=world["stylist"], service_id=new_id())
    insert(raw, "stylist_services", **base)
    assert rejected(raw, "stylist_services", **base)


@pytest.mark.parametrize("bad", [
    {"day_of_week": 7},
    {"start_time_local": "17:00:00", "end_time_local": "09:00:00"},
    {"start_time_local": "09:00:00", "end_time_local": "09:00:00"},
    {"break_start_time_local": "12:00:00"},
    {"break_start_time_local": "08:00:00", "break_end_time_local": "10:00:00"},
    {"break_start_time_local": "13:00:00", "break_end_time_local": "12:00:00"},
    {"effective_from": "2030-01-10", "effective_until": "2030-01-09"},
])
def test_schedule_checks(raw, world, bad):
    row = {"stylist_user_id": world["stylist"], "day_of_week": 1, "start_time_local": "09:00:00",
           "end_time_local": "17:00:00", "effective_from": "2030-01-01", **bad}
    assert rejected(raw, "stylist_schedules", **row)


def test_schedule_allows_a_one_day_range_and_refuses_duplicates(raw, world):
    row = {"stylist_user_id": world["stylist"], "day_of_week": 1, "start_time_local": "09:00:00",
           "end_time_local": "17:00:00", "effective_from": "2030-01-07", "effective_until": "2030-01-07"}
    insert(raw, "stylist_schedules", **row)
    assert rejected(raw, "stylist_schedules", **row)


@pytest.mark.parametrize("bad", [
    {"status": "lost"},
    {"end_time": "2030-01-07 03:00:00"},
    {"price_cents": -1},
    {"service_id": "00000000-0000-4000-8000-000000000000"},
])
def test_booking_and_hold_checks(raw, world, bad):
    booking = {"stylist_user_id": world["stylist"], "service_id": world["service"], "start_time": NOW,
               "end_time": "2030-01-07 04:15:00", "price_cents": 1, **bad}
    assert rejected(raw, "bookings", **booking)
    hold = dict(booking, status="held" if "status" in bad else "reserved")
    assert rejected(raw, "booking_reservations", **hold)


@pytest.mark.parametrize("bad", [
    {"override_type": "holiday"},
    {"end_date": "2030-01-06"},
    {"is_closed": False},
    {"applies_to_all_stylists": True},
    {"stylist_user_id": None},
    {"is_closed": False, "override_start_time": "12:00:00", "override_end_time": "11:00:00"},
    {"priority": 101},
    {"priority": -1},
])
def test_override_checks(raw, world, bad):
    row = {"id": new_id(), "override_type": "stylist_vacation", "stylist_user_id": world["stylist"],
           "start_date": "2030-01-07", "end_date": "2030-01-08", "is_closed": True, **bad}
    assert rejected(raw, "schedule_overrides", **row)


def test_budget_counters_cannot_go_negative(raw, world):
    for column in ("current_month_overrides", "emergency_overrides_remaining"):
        with pytest.raises((IntegrityError, DBAPIError)):
            raw.execute(text(f"UPDATE stylist_override_budgets SET {column} = -1"))
    with pytest.raises((IntegrityError, DBAPIError)):
        raw.execute(text("UPDATE stylist_override_budgets SET monthly_override_limit = 0"))


def test_promotion_checks(raw, world):
    row = {"user_id": world["user"], "requested_by": world["stylist"]}
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, status="pending")
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, background_check_status="ok")
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, id_verification_status="ok")
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, approved_at=NOW)
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, rejection_reason="no")
    assert rejected(raw, "stylist_promotions", id=new_id(), **row, revocation_reason="no")
    assert rejected(raw, "stylist_promotions", id=new_id(), user_id=new_id(), requested_by=world["stylist"])


def _log_rows(raw, world):
    insert(raw, raw.private("service_management_log"), action="test", category="security")
    insert(raw, raw.private("schedule_change_log"), stylist_user_id=world["stylist"], change_date="2030-01-07",
           change_type="schedule_update")


@pytest.mark.parametrize("log", ["service_management_log", "schedule_change_log"])
def test_logs_are_append_only(raw, world, log):
    _log_rows(raw, world)
    table = raw.private(log)
    with pytest.raises(DBAPIError, match="append-only"):
        raw.execute(text(f"UPDATE {table} SET created_at = created_at"))
    with pytest.raises(DBAPIError, match="append-only"):
        raw.execute(text(f"DELETE FROM {table}"))
    assert raw.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 1


def test_logs_refuse_truncate_on_postgresql(raw, world, engine_name):
    if engine_name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _log_rows(raw, world)
    for log in ("service_management_log", "schedule_change_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            raw.execute(text(f"TRUNCATE private.{log}"))


def test_logs_refuse_unknown_categories_severities_and_kinds(raw, world):
    table = raw.private("service_management_log")
    assert rejected(raw, table, action="x", category="gossip")
    assert rejected(raw, table, action="x", category="security", severity="loud")
    assert rejected(raw, table, action="x", category="security", target_type="planet")
    assert rejected(raw, raw.private("schedule_change_log"), stylist_user_id=world["stylist"],
                    change_date="2030-01-07", change_type="whim")


def test_people_with_history_cannot_be_deleted(raw, world):
    insert(raw, raw.private("service_management_log"), action="x", category="governance",
           admin_user_id=world["user"])
    with pytest.raises((IntegrityError, DBAPIError)):
        raw.execute(text("DELETE FROM user_profiles WHERE id = :id"), {"id": world["user"]})


def test_valid_rows_are_accepted(raw, world):
    """The positive control for the refusals above: a well-formed row of each kind goes in."""
    insert(raw, "schedule_overrides", id=new_id(), override_type="seasonal_hours", applies_to_all_stylists=True,
           start_date="2030-01-07", end_date="2030-01-07", override_start_time="10:00:00",
           override_end_time="15:00:00", priority=10)
    insert(raw, "stylist_promotions", id=new_id(), user_id=world["user"], requested_by=world["stylist"])
    insert(raw, "stylist_services", stylist_user_id=world["stylist"], service_id=world["service"],
           custom_price_cents=0, custom_duration_minutes=480)
    counts = [raw.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
              for t in ("schedule_overrides", "stylist_promotions", "stylist_services")]
    assert counts == [1, 1, 1]
