"""Request-time truth on hits, the forced bad interleaving, the off switch."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.cache.conftest import NO_LIMIT
from tests.cache.salon import ask, build, hit, truth
from tests.cache.test_freshness import _booking, _hold
from tests.helpers import slot_settings

UTC = timezone.utc


@pytest.fixture
def app_config(database_url, clock):
    return {**NO_LIMIT, "AVAILABILITY_CACHE_TTL_SECONDS": 40 * 86400}


def test_a_computation_that_read_before_a_commit_is_never_served_after_it(app, client, factory, raw,
                                                                         engine_name, computations):
    salon = build(factory)
    written = []

    def booking_commits_meanwhile():
        # the miss has read its data and not yet stored it: another client books now
        if not written:
            written.append(_booking(raw, engine_name, salon, salon.at(10)))

    computations.after = booking_commits_meanwhile
    first = ask(client, salon)  # began before the booking: may (and here does) miss it
    computations.after = None
    assert written and {r["status"] for r in first.get_json()} == {"available"}
    cache = raw.private("availability_cache")
    stored = raw.execute(text(f"SELECT count(*) FROM {cache}")).scalar()
    assert stored == 1, "the stale computation was stored ..."
    second = ask(client, salon)
    assert not hit(second), "... but never served as current"
    statuses = {r["slotDisplay"]: r["status"] for r in second.get_json()}
    assert statuses["10:00 AM"] == "booked"
    assert second.get_json() == truth(app, salon)
    assert hit(ask(client, salon))


def test_a_hit_renders_any_customer_zone(app, client, factory):
    salon = build(factory)
    ask(client, salon)
    for zone in ("America/New_York", "UTC", "Asia/Kathmandu"):
        response = ask(client, salon, tz=zone)
        assert hit(response)
        assert response.get_json() == truth(app, salon, tz=zone)
    first = ask(client, salon, tz="America/New_York").get_json()[0]
    assert first["slotStartLocal"].endswith("-05:00") and first["slotDisplay"] == "10:15 PM"
    assert ask(client, salon, tz="UTC").get_json()[0]["slotStartLocal"].endswith("+00:00")


def test_a_hold_that_expires_while_cached_stops_blocking_at_its_expiry(app, client, factory, raw,
                                                                       engine_name, clock):
    salon = build(factory)
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=15)
    _hold(raw, engine_name, salon, salon.at(10), expires=expires)

    def status_at_ten():
        response = ask(client, salon)
        return hit(response), {r["slotDisplay"]: r["status"] for r in response.get_json()}["10:00 AM"]

    assert status_at_ten() == (False, "reserved")
    clock.at = expires - timedelta(seconds=1)
    assert status_at_ten() == (True, "reserved")
    clock.at = expires
    assert status_at_ten() == (True, "available")


def test_the_min_advance_cut_off_today_and_horizon_move_with_the_clock(app, client, factory, clock):
    salon = build(factory)
    assert len(ask(client, salon).get_json()) == 15
    clock.at = salon.at(10, 20)  # on the day itself, 10:20 local
    response = ask(client, salon)
    assert hit(response)
    assert [r["slotDisplay"] for r in response.get_json()][0] == "10:30 AM"
    assert response.get_json() == truth(app, salon)
    clock.at = salon.at(9) + timedelta(days=1)  # the day is past
    assert hit(ask(client, salon)) and ask(client, salon).get_json() == []
    clock.at = salon.at(9) - timedelta(days=31)  # the day is beyond the 30-day horizon
    assert ask(client, salon).get_json() == []
    clock.at = salon.at(9) - timedelta(days=30)
    assert len(ask(client, salon).get_json()) == 15


def test_a_remembered_body_holds_only_for_the_instants_it_was_made_for(app, client, factory, clock):
    """A zone's latest body is reused within [the instant it was made, the next instant the
    clock could change it): later than that, or earlier (a clock set back), it is made again."""
    salon = build(factory)
    clock.at = salon.at(10, 20)
    ask(client, salon)
    starts = [r["slotDisplay"] for r in ask(client, salon).get_json()]
    assert starts[0] == "10:30 AM"
    clock.at = salon.at(10, 30) - timedelta(seconds=1)  # the 10:30 slot not yet cut off: the same body
    assert [r["slotDisplay"] for r in ask(client, salon).get_json()] == starts
    clock.at = salon.at(10, 30) + timedelta(seconds=1)
    assert [r["slotDisplay"] for r in ask(client, salon).get_json()][0] == "11:00 AM"
    clock.at = salon.at(8)  # set back: the earlier slots are offered again
    response = ask(client, salon)
    assert hit(response)
    assert [r["slotDisplay"] for r in response.get_json()][0] == "09:00 AM"
    assert response.get_json() == truth(app, salon)


def test_the_off_switch_gives_byte_identical_bodies(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))
    _hold(raw, engine_name, salon, salon.at(13))
    ask(client, salon)
    for zone in (None, "America/New_York"):
        cached = ask(client, salon, tz=zone)
        assert hit(cached)
        slot_settings(app, enabled=False)
        computed = ask(client, salon, tz=zone)
        slot_settings(app, enabled=True)
        assert computed.headers["X-Cache-Hit"] == computed.headers["X-Cached"] == "false"
        assert computed.get_data() == cached.get_data()
    cache = raw.private("availability_cache")
    entries = raw.execute(text(f"SELECT count(*) FROM {cache}")).scalar()
    slot_settings(app, enabled=False)
    ask(client, salon, day=salon.day + timedelta(days=1))
    assert raw.execute(text(f"SELECT count(*) FROM {cache}")).scalar() == entries  # nothing stored when off


def test_headers_tell_the_truth(app, client, factory, clock):
    salon = build(factory)
    clock.at = datetime.combine(salon.day, datetime.min.time(), tzinfo=UTC) - timedelta(days=2, seconds=-7)
    miss = ask(client, salon)
    assert (miss.headers["X-Cache-Hit"], miss.headers["X-Cached"]) == ("false", "false")
    assert miss.headers["X-Computed-At"] == clock.at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    clock.at += timedelta(minutes=3)
    again = ask(client, salon)
    assert (again.headers["X-Cache-Hit"], again.headers["X-Cached"]) == ("true", "true")
    assert again.headers["X-Computed-At"] == miss.headers["X-Computed-At"]
    clock.at += timedelta(days=40)  # past the entry's time-to-live: computed again
    assert ask(client, salon).headers["X-Cache-Hit"] == "false"


def test_when_the_hit_paths_connection_fails_the_session_answers_and_stores(app, client, factory, raw,
                                                                           engine_name, monkeypatch):
    from portal.slots.store import Store

    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))

    def broken(store):
        raise ConnectionError("the hit path's connection is gone")

    monkeypatch.setattr(Store, "held", broken)
    first = ask(client, salon)
    assert not hit(first) and first.get_json() == truth(app, salon)
    assert raw.execute(text(f"SELECT count(*) FROM {raw.private('availability_cache')}")).scalar() == 0
    second = ask(client, salon)  # still no hit path: the session looks, computes again
    assert not hit(second) and second.get_json() == first.get_json()
    monkeypatch.undo()
    ask(client, salon)
    assert hit(ask(client, salon))
