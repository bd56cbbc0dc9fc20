"""Moving a booking (front-desk.md): the old time freed and the new one taken in one
transaction, to the same or another stylist; a taken target refused with nothing changed;
the follow-up list's "moved" recorded."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.services.desk import front_desk
from tests.bookings.helpers import at, log_rows, salon
from tests.desk.helpers import insert_booking


def _row(raw, booking_id):
    return raw.execute(text("SELECT stylist_user_id, start_time, status, price_cents FROM bookings WHERE id = :i"),
                       {"i": str(booking_id)}).one()


def _move(s, booking, stylist, start, **kw):
    return front_desk.move_booking(db.session, Actor(s.admin.id, "Admin"), booking.id,
                                   stylist_id=stylist.user_id, start=start, **kw)


def test_move_frees_the_old_time_and_takes_the_new(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    with app.app_context():
        moved = _move(s, booking, s.stylist, at(s.day, 10, 30))  # over its own old time: fine
        assert moved.id == booking.id and moved.start_time == at(s.day, 10, 30)
        moved = _move(s, booking, s.other, at(s.day + timedelta(days=5), 14), followup=True)
        assert moved.stylist_user_id == s.other.user_id
    # the old time is free for anyone (the database's rule agrees), the new one taken
    insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))
    with pytest.raises(Exception):
        insert_booking(raw, s.other, s.cut, at(s.day + timedelta(days=5), 14), at(s.day + timedelta(days=5), 15))
    stylist, _start, status, price = _row(raw, booking.id)
    assert str(stylist) == str(s.other.user_id) and status == "confirmed" and price == booking.price_cents
    assert len(log_rows(raw, "booking_moved", "configuration")) == 2
    assert raw.execute(text("SELECT action FROM booking_followups WHERE booking_id = :i"),
                       {"i": str(booking.id)}).scalar() == "moved"


def test_taken_target_refused_nothing_changed(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    factory.booking(s.other, s.cut, at(s.day, 12))
    hold_day = s.day + timedelta(days=1)
    factory.hold(s.other, s.cut, at(hold_day, 9))
    before = _row(raw, booking.id)
    with app.app_context():
        for stylist, start in ((s.other, at(s.day, 12)), (s.other, at(s.day, 11, 30)), (s.other, at(hold_day, 9)),
                               (s.stylist, at(s.day, 8)), (s.stylist, at(s.day + timedelta(days=90), 10))):
            with pytest.raises(Refused) as refused:
                _move(s, booking, stylist, start)
            assert refused.value.code == front_desk.SLOT_TAKEN
        assert "free_times" in refused.value.details
    assert _row(raw, booking.id) == before
    assert log_rows(raw, "booking_moved") == []


def test_only_pending_or_confirmed_move(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10), status="completed")
    with app.app_context():
        with pytest.raises(Refused) as refused:
            _move(s, booking, s.stylist, at(s.day, 14))
        assert refused.value.code == "NOT_MOVABLE"
