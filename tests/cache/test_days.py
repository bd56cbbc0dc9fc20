"""The days endpoint (slots-api.md "The days endpoint") and dates outside the bookable range."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import event, text

from portal.extensions import db
from portal.slots.store import Store
from tests.cache.salon import KTM, URL, UTC, ask, build, hit, truth
from tests.cache.test_freshness import _booking, _hold, _override
from tests.helpers import slot_settings

DAYS_URL = "/api/bookings/available-days"


def days(client, salon, first: date, last: date, tz: str | None = None, stylist=None):
    query = {"stylistId": str(stylist or salon.sid), "serviceId": salon.vid, "from": first.isoformat(),
             "to": last.isoformat()}
    if tz:
        query["customerTimezone"] = tz
    return client.get(DAYS_URL, query_string=query)


def _entries(raw) -> int:
    return raw.execute(text(f"SELECT count(*) FROM {raw.private('availability_cache')}")).scalar()


def test_each_day_counts_what_the_slots_endpoint_would_offer(app, client, factory, raw, engine_name):
    salon = build(factory, days_ahead=1)
    _booking(raw, engine_name, salon, salon.at(10))
    _hold(raw, engine_name, salon, salon.at(13))
    _override(raw, salon, salon.sid, day=salon.day + timedelta(days=1))  # closed
    first, last = salon.day - timedelta(days=3), salon.day + timedelta(days=3)
    response = days(client, salon, first, last, tz="America/New_York")
    assert response.status_code == 200 and response.headers["X-Cache-Hit"] == "false"
    body = response.get_json()
    assert [d["date"] for d in body] == [(first + timedelta(days=n)).isoformat() for n in range(7)]
    for entry in body:
        day = date.fromisoformat(entry["date"])
        slots = [s for s in truth(app, salon, day=day, tz="America/New_York") if s["isAvailable"]]
        assert entry["availableSlots"] == len(slots), day
        assert entry["firstAvailableUtc"] == (slots[0]["slotStartUtc"] if slots else None)
        assert entry["firstAvailableLocal"] == (slots[0]["slotStartLocal"] if slots else None)
    assert body[3]["availableSlots"] == 9 and body[4]["availableSlots"] == 0  # the booking, the hold; closed
    assert body[0]["availableSlots"] == 0 and body[0]["firstAvailableUtc"] is None  # in the past


def test_days_and_slots_share_entries_both_ways(app, client, factory, computations):
    salon = build(factory)
    first, last = salon.day, salon.day + timedelta(days=6)
    assert days(client, salon, first, last).headers["X-Cache-Hit"] == "false"
    for n in range(7):
        assert hit(ask(client, salon, day=first + timedelta(days=n)))  # computed by the days endpoint
    again = days(client, salon, first, last)
    assert again.headers["X-Cache-Hit"] == again.headers["X-Cached"] == "true"
    ask(client, salon, day=last + timedelta(days=1))  # computed by the slots endpoint
    assert days(client, salon, last + timedelta(days=1), last + timedelta(days=1)).headers["X-Cache-Hit"] == "true"
    assert computations.count == 1  # the single-day miss; the range was one batched load


def test_a_fully_cached_range_is_one_statement(app, client, factory, monkeypatch):
    salon = build(factory)
    first, last = salon.day, salon.day + timedelta(days=13)
    days(client, salon, first, last)
    reads, seen = [], []
    real = Store.lookup_range

    def counted(store, stylist, service, a, b):
        reads.append((a, b))
        return real(store, stylist, service, a, b)

    def record(conn, cursor, statement, *args):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(statement)

    monkeypatch.setattr(Store, "lookup_range", counted)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = days(client, salon, first, last)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.headers["X-Cache-Hit"] == "true"
    assert seen == [] and reads == [(first, last)]


def test_a_cold_range_is_loaded_in_one_batch(app, client, factory, monkeypatch):
    salon = build(factory)
    seen = []

    def record(conn, cursor, statement, *args):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = days(client, salon, salon.day, salon.day + timedelta(days=13))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200 and response.headers["X-Cache-Hit"] == "false"
    # hit statement, counters (coarse, per day), offer, base rows, overrides, occupancies, one executemany
    assert len(seen) <= 9, seen


def test_a_write_after_the_range_was_cached_is_seen(app, client, factory, raw, engine_name):
    salon = build(factory)
    first, last = salon.day, salon.day + timedelta(days=2)
    days(client, salon, first, last)
    assert days(client, salon, first, last).headers["X-Cache-Hit"] == "true"
    _booking(raw, engine_name, salon, salon.at(10, day=salon.day + timedelta(days=1)))
    response = days(client, salon, first, last)
    assert response.headers["X-Cache-Hit"] == "false"
    assert [d["availableSlots"] for d in response.get_json()] == [15, 12, 15]


def test_bad_ranges_and_unknown_ids(app, client, factory):
    salon = build(factory)
    response = client.get(DAYS_URL, query_string={"stylistId": salon.sid})
    assert response.status_code == 400 and response.get_json()["code"] == "INVALID_PARAMETERS"
    assert response.get_json()["error"] == "Missing required parameters"
    assert set(response.get_json()["fields"]) == {"serviceId", "from", "to"}
    backwards = days(client, salon, salon.day, salon.day - timedelta(days=1))
    assert backwards.status_code == 400 and "to" in backwards.get_json()["fields"]
    too_long = days(client, salon, salon.day, salon.day + timedelta(days=31))
    assert too_long.status_code == 400 and "to" in too_long.get_json()["fields"]
    assert days(client, salon, salon.day, salon.day + timedelta(days=30)).status_code == 200
    bad = client.get(DAYS_URL, query_string={"stylistId": salon.sid, "serviceId": salon.vid,
                                             "from": "2030-02-30", "to": "x"})
    assert bad.status_code == 400 and set(bad.get_json()["fields"]) == {"from", "to"}
    unknown = days(client, salon, salon.day, salon.day, stylist="3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "NOT_FOUND"


def test_the_off_switch_gives_identical_bodies(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))
    first, last = salon.day - timedelta(days=1), salon.day + timedelta(days=2)
    days(client, salon, first, last)
    cached = days(client, salon, first, last, tz="UTC")
    assert cached.headers["X-Cache-Hit"] == "true"
    slot_settings(app, enabled=False)
    computed = days(client, salon, first, last, tz="UTC")
    assert computed.headers["X-Cache-Hit"] == "false" and computed.get_data() == cached.get_data()


# --- dates outside the bookable range (slots-api.md, security.md) ----------------------

def test_a_date_outside_the_bookable_range_is_empty_computed_never_and_never_stored(app, client, factory, raw,
                                                                                   computations):
    salon = build(factory)
    today = datetime.now(KTM).date()
    for day in (today - timedelta(days=1), today - timedelta(days=400), today + timedelta(days=31),
                date(1, 1, 1), date(9999, 12, 31)):
        response = ask(client, salon, day=day)
        assert response.get_json() == [] and not hit(response), day
    assert _entries(raw) == 0
    wide = days(client, salon, date(9999, 12, 1), date(9999, 12, 31))
    assert wide.status_code == 200 and {d["availableSlots"] for d in wide.get_json()} == {0}
    assert days(client, salon, date(1, 1, 1), date(1, 1, 31)).status_code == 200
    edge = days(client, salon, today - timedelta(days=2), today + timedelta(days=2))
    assert [d["availableSlots"] == 0 for d in edge.get_json()][:2] == [True, True]
    assert _entries(raw) == 3  # today and the next two days only
    assert computations.count == 0  # the single-day misses above never planned a day


def test_year_one_and_year_9999_are_not_an_error_anywhere(app, client, factory):
    salon = build(factory)
    for value in ("0001-01-01", "9999-12-31"):
        response = client.get(URL, query_string={"stylistId": salon.sid, "serviceId": salon.vid, "targetDate": value})
        assert response.status_code == 200 and response.get_json() == []


def _counts(client, salon, first, last) -> tuple[bool, list[int]]:
    response = days(client, salon, first, last)
    return hit(response), [d["availableSlots"] for d in response.get_json()]


def test_a_remembered_answer_still_moves_with_the_clock(app, client, factory, raw, engine_name, clock):
    """The bytes of a fully cached range are reused only while the clock cannot change
    them: a hold's expiry, the min-advance cut-off and midnight each give a new answer
    (each equal to the slots endpoint's at that instant), on hits."""
    slot_settings(app, ttl_seconds=40 * 86400)
    salon = build(factory)
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=20)
    _hold(raw, engine_name, salon, salon.at(10), expires=expires)
    first, last = salon.day, salon.day + timedelta(days=1)
    assert _counts(client, salon, first, last) == (False, [12, 15])  # the hold blocks 09:30–10:30
    assert _counts(client, salon, first, last) == (True, [12, 15])
    clock.at = expires - timedelta(seconds=1)
    assert _counts(client, salon, first, last) == (True, [12, 15])
    clock.at = expires  # the hold has expired: same entries, another answer
    assert _counts(client, salon, first, last) == (True, [15, 15])
    clock.at = salon.at(12, 30)  # on the day: the starts before 12:30 have passed the cut-off
    assert _counts(client, salon, first, last) == (True, [8, 15])
    assert _counts(client, salon, first, last)[1] == [
        sum(s["isAvailable"] for s in ask(client, salon, day=d).get_json()) for d in (first, last)]
    clock.at = salon.at(0, 0, day=last)  # midnight in the stylist's zone: the first day is past
    assert _counts(client, salon, first, last) == (True, [0, 15])


def test_a_remembered_answer_ends_when_one_of_its_entries_expires(app, client, factory, clock):
    """The time-to-live bounds a remembered answer too: past an entry's expiry the range
    is computed again (and stored anew), not answered from the remembered bytes."""
    slot_settings(app, ttl_seconds=600)
    salon = build(factory)
    first, last = salon.day, salon.day + timedelta(days=1)
    assert _counts(client, salon, first, last) == (False, [15, 15])
    assert _counts(client, salon, first, last) == (True, [15, 15])  # remembered from here on
    clock.at = datetime.now(UTC) + timedelta(minutes=11)
    assert _counts(client, salon, first, last) == (False, [15, 15])
    assert _counts(client, salon, first, last) == (True, [15, 15])
