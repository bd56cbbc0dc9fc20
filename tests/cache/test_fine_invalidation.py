"""Per-date invalidation (migration 0005): a booking, hold or override refreshes exactly
the dates it can change — and every one of them, across local midnight and buffers
spanning days, in zones on both sides of UTC — on both engines."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.cache.salon import URL, ask, build, hit, truth
from tests.cache.test_freshness import _booking, _override
from tests.helpers import slot_settings, stamp

UTC = timezone.utc


def _warm(client, salon, **kw):
    ask(client, salon, **kw)
    assert hit(ask(client, salon, **kw))


def _local(zone: str, day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _rezone(raw, salon, zone: str, buffer: int = 0) -> None:
    raw.execute(text("UPDATE stylist_profiles SET timezone = :z, booking_buffer_minutes = :b WHERE user_id = :s"),
                {"z": zone, "b": buffer, "s": salon.sid})
    salon.day = datetime.now(ZoneInfo(zone)).date() + timedelta(days=3)


def _booking_between(raw, engine_name, salon, start: datetime, end: datetime) -> str:
    new_id = str(uuid.uuid4())
    raw.execute(text(
        "INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time, price_cents, status)"
        " VALUES (:id, :st, :sv, :a, :b, 100, 'confirmed')"),
        {"id": new_id, "st": salon.sid, "sv": salon.vid, "a": stamp(engine_name, start), "b": stamp(engine_name, end)})
    return new_id


def test_a_booking_refreshes_its_date_and_leaves_the_neighbouring_dates_hot(app, client, factory, raw,
                                                                           engine_name):
    salon = build(factory)
    days = [salon.day + timedelta(days=n) for n in (-1, 0, 1)]
    for day in days:
        _warm(client, salon, day=day)
    _warm(client, salon, stylist=salon.oid)
    _booking(raw, engine_name, salon, salon.at(10))
    changed = ask(client, salon)
    assert not hit(changed) and changed.get_json() == truth(app, salon)
    for day in (days[0], days[2]):
        response = ask(client, salon, day=day)
        assert hit(response), day
        assert response.get_json() == truth(app, salon, day=day)
    assert hit(ask(client, salon, stylist=salon.oid))


def test_a_business_wide_override_refreshes_its_dates_for_everyone_and_nothing_else(app, client, factory, raw,
                                                                                   engine_name):
    salon = build(factory)
    later = salon.day + timedelta(days=2)
    for who in (salon.sid, salon.oid):
        for day in (salon.day, later):
            _warm(client, salon, stylist=who, day=day)
    _override(raw, salon, None, day=later)  # closed for everyone on `later`
    for who in (salon.sid, salon.oid):
        response = ask(client, salon, stylist=who, day=later)
        assert not hit(response) and response.get_json() == [] == truth(app, salon, stylist=who, day=later)
        assert hit(ask(client, salon, stylist=who))


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_a_booking_across_local_midnight_refreshes_both_dates(app, client, factory, raw, engine_name, zone):
    salon = build(factory)
    _rezone(raw, salon, zone)
    after = salon.day + timedelta(days=1)
    _override(raw, salon, salon.sid, closed=False, hours=("18:00:00", "23:30:00"))
    _override(raw, salon, salon.sid, closed=False, hours=("00:00:00", "06:00:00"), day=after)
    for day in (salon.day, after):
        _warm(client, salon, day=day)
    booking = _booking_between(raw, engine_name, salon, _local(zone, salon.day, 23), _local(zone, after, 1))
    for day in (salon.day, after):
        response = ask(client, salon, day=day)
        assert not hit(response), day
        assert response.get_json() == truth(app, salon, day=day)
    statuses = {r["slotStartUtc"]: r["status"] for r in ask(client, salon, day=after).get_json()}
    assert statuses[_local(zone, after, 0).strftime("%Y-%m-%dT%H:%M:%SZ")] == "booked"
    # moved far away: both dates are free again
    raw.execute(text("UPDATE bookings SET start_time = :a, end_time = :b WHERE id = :id"),
                {"a": stamp(engine_name, _local(zone, after, 23) + timedelta(days=20)),
                 "b": stamp(engine_name, _local(zone, after, 23) + timedelta(days=20, hours=1)), "id": booking})
    for day in (salon.day, after):
        assert {r["status"] for r in ask(client, salon, day=day).get_json()} == {"available"}


@pytest.mark.parametrize("zone", ["Asia/Kathmandu", "America/New_York", "Pacific/Kiritimati"])
def test_a_buffer_that_reaches_into_the_next_date_refreshes_it(app, client, factory, raw, engine_name, zone):
    salon = build(factory)
    _rezone(raw, salon, zone, buffer=120)
    after = salon.day + timedelta(days=1)
    _override(raw, salon, salon.sid, closed=False, hours=("00:00:00", "04:00:00"), day=after)
    _warm(client, salon, day=after)
    # ends 23:00 on the day before: with 120 minutes of buffer it blocks `after` until 01:00
    _booking_between(raw, engine_name, salon, _local(zone, salon.day, 22, 30), _local(zone, salon.day, 23))
    response = ask(client, salon, day=after)
    assert not hit(response) and response.get_json() == truth(app, salon, day=after)
    statuses = [r["status"] for r in response.get_json()]
    assert statuses[:2] == ["booked", "booked"] and statuses[2] == "available"


def test_a_booking_longer_than_the_span_cap_refreshes_the_whole_stylist(app, client, factory, raw, engine_name):
    salon = build(factory)
    later = salon.day + timedelta(days=1)
    for day in (salon.day, later):
        _warm(client, salon, day=day)
    _booking_between(raw, engine_name, salon, salon.at(10) - timedelta(days=40), salon.at(10) + timedelta(days=40))
    for day in (salon.day, later):
        response = ask(client, salon, day=day)
        assert not hit(response) and response.get_json() == truth(app, salon, day=day)
        assert {r["status"] for r in response.get_json()} == {"booked"}


def test_prune_removes_day_counters_of_dates_long_past_and_keeps_recent_ones(app, factory, raw, engine_name,
                                                                             runner):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10) - timedelta(days=30))
    _booking(raw, engine_name, salon, salon.at(10))
    counters = raw.private("availability_day_generation")
    assert raw.execute(text(f"SELECT count(*) FROM {counters}")).scalar() == 2
    assert runner.invoke(args=["prune-cache"]).exit_code == 0
    days = raw.execute(text(f"SELECT day FROM {counters}")).scalars().all()
    assert [str(d) for d in days] == [salon.at(10).date().isoformat()]


@pytest.mark.postgresql_only
def test_rewriting_an_entry_is_a_heap_only_update(app, client, factory, raw, engine_name):
    """The miss's upsert changes no indexed column and the pages keep room (fillfactor)."""
    import json

    from portal.slots.statements import SAVE

    salon = build(factory)
    ask(client, salon)
    cache = raw.private("availability_cache")
    row = raw.execute(text(f"SELECT * FROM {cache} WHERE stylist_user_id = :s"), {"s": salon.sid}).one()
    values = {"stylist": row.stylist_user_id, "service": row.service_id, "day": row.cache_date,
              "plan": json.dumps(row.available_slots), "expires_at": row.expires_at,
              "stylist_generation": row.stylist_generation, "global_generation": row.global_generation,
              "day_generation": row.day_generation, "days_from": row.days_from, "days_to": row.days_to}
    raw.exec_driver_sql("BEGIN")
    for n in range(5):
        raw.execute(text(SAVE.format(p="private.", plan="CAST(:plan AS jsonb)")), {**values, "computed_at": row.computed_at + timedelta(seconds=n)})
    hot = raw.execute(text(f"SELECT pg_stat_get_xact_tuples_hot_updated('{cache}'::regclass)")).scalar()
    updated = raw.execute(text(f"SELECT pg_stat_get_xact_tuples_updated('{cache}'::regclass)")).scalar()
    raw.exec_driver_sql("COMMIT")
    assert updated == 5 and hot == 5


def test_after_a_miss_the_dates_other_services_are_refreshed(app, client, factory, raw, engine_name):
    """A booking makes every service of its date stale; the first miss answers, then
    (after its response) recomputes the date's other entries, so they hit — correctly."""
    from portal.models import Service, StylistService

    salon = build(factory)
    longer = Service(name=f"Colour {salon.vid[:6]}", slug=f"colour-{salon.vid[:6]}", category="hair",
                     duration_minutes=90, base_price_cents=250000, min_advance_hours=0, max_advance_days=30)
    factory.session.add(longer)
    factory.session.flush()
    factory.session.add(StylistService(stylist_user_id=salon.stylist.user_id, service_id=longer.id))
    factory.session.commit()
    other = {"stylistId": salon.sid, "serviceId": str(longer.id), "targetDate": salon.day.isoformat()}
    ask(client, salon)
    client.get(URL, query_string=other).close()
    assert hit(client.get(URL, query_string=other))
    _booking(raw, engine_name, salon, salon.at(10))
    response = ask(client, salon)
    response.close()  # the server closes the response once it is sent
    assert not hit(response)
    refreshed = client.get(URL, query_string=other)
    assert hit(refreshed)
    statuses = {r["slotDisplay"]: r["status"] for r in refreshed.get_json()}
    assert statuses["10:00 AM"] == statuses["09:00 AM"] == "booked" and statuses["11:00 AM"] == "available"
    slot_settings(app, refresh_siblings=False)  # the switch: siblings wait for their own miss
    _booking(raw, engine_name, salon, salon.at(14))
    ask(client, salon).close()
    assert not hit(client.get(URL, query_string=other))
