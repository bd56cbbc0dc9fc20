"""`portal.slots.free_times` (the front desk's list) equals the public endpoint's
available slots for the same stylist, service and day — from the same cache — apart
from the min-advance cut-off, which a desk booking may ignore."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from portal.extensions import db
from portal.slots import free_times
from tests.cache.salon import ask, build, hit
from tests.cache.test_freshness import _booking, _hold
from tests.helpers import slot_settings

UTC = timezone.utc


def _public(client, salon, stylist=None) -> list[datetime]:
    return [datetime.fromisoformat(s["slotStartUtc"].replace("Z", "+00:00"))
            for s in ask(client, salon, stylist=stylist).get_json() if s["isAvailable"]]


def _desk(app, salon, stylist, **kw):
    with app.app_context():
        found = free_times(app.extensions["slots"], stylist, uuid.UUID(salon.vid), salon.day, **kw)
        db.session.rollback()
    return found


def test_the_desk_sees_what_the_public_site_is_offered(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10))
    _hold(raw, engine_name, salon, salon.at(14))
    public = _public(client, salon)
    desk = _desk(app, salon, uuid.UUID(salon.sid))
    assert [f.start for f in desk] == public and len(public) == 9  # 15 starts, 3 blocked by each of the two
    assert all(f.end - f.start == timedelta(hours=1) and str(f.stylist_id) == salon.sid for f in desk)
    assert hit(ask(client, salon))  # the desk's read served from and kept the same entry


def test_any_stylist_lists_each_offering_stylist(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(9), stylist=salon.oid)
    both = _desk(app, salon, None)
    mine = [f.start for f in both if str(f.stylist_id) == salon.sid]
    other = [f.start for f in both if str(f.stylist_id) == salon.oid]
    assert mine == _public(client, salon) and other == _public(client, salon, stylist=salon.oid)
    assert [f.start for f in both] == sorted(f.start for f in both)


def test_the_cache_off_answers_the_same_on_the_session(app, client, factory, raw, engine_name):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(11))
    cached = _desk(app, salon, uuid.UUID(salon.sid))
    slot_settings(app, enabled=False)
    with app.app_context():
        computed = free_times(app.extensions["slots"], uuid.UUID(salon.sid), uuid.UUID(salon.vid), salon.day,
                              session=db.session)
        db.session.rollback()
    assert computed == cached and len(cached) == 12


def test_a_desk_booking_may_ignore_the_min_advance_cut_off(app, client, factory, raw, engine_name):
    salon = build(factory, days_ahead=0)
    raw.execute(text("UPDATE services SET min_advance_hours = 100 WHERE id = :v"), {"v": salon.vid})
    assert _public(client, salon) == [] and _desk(app, salon, uuid.UUID(salon.sid)) == []
    ignoring = _desk(app, salon, uuid.UUID(salon.sid), ignore_min_advance=True)
    now = datetime.now(UTC)
    assert ignoring and all(f.start > now for f in ignoring)  # only the cut-off is ignored, not the past
