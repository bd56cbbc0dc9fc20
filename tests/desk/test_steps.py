"""A booking's day (front-desk.md): allowed and refused steps, role rules, the 10-minute
undo (refused once the time is booked again), log rows, and two people at once."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from portal.actor import Actor
from portal.domain.bookings import next_steps
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.services.desk.booking_steps import step_booking, undo_step
from tests.bookings.helpers import at, log_rows, salon
from tests.desk.helpers import insert_booking

UTC = timezone.utc


def _status(raw, booking_id) -> str:
    return raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(booking_id)}).scalar()


def _step(s, booking_id, step, admin=True, **kw):
    who = Actor(s.admin.id, "Admin") if admin else Actor(s.stylist.user_id, "Anjali")
    return step_booking(db.session, who, booking_id, step, as_admin=admin, **kw)


def test_the_day_of_a_booking(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10), status="pending")
    with app.app_context():
        assert _step(s, booking.id, "confirm").status == "confirmed"
        with pytest.raises(Refused) as early:
            _step(s, booking.id, "no_show")
        assert early.value.code == "TOO_EARLY"
        assert _step(s, booking.id, "arrived", admin=False).status == "in_progress"  # the stylist's own
        with pytest.raises(Refused):
            _step(s, booking.id, "confirm")  # not from in_progress
        assert _step(s, booking.id, "done", admin=False).status == "completed"
        for step in ("cancel", "no_show", "arrived", "done"):
            with pytest.raises(Refused):
                _step(s, booking.id, step, reason="x")
    rows = log_rows(raw, "booking_status_changed", "configuration")
    assert len(rows) == 3 and all(r[1] == booking.id or str(r[1]) == str(booking.id) for r in rows)


def test_no_show_after_start_and_cancel_needs_reason(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    later = at(s.day, 10, 5)
    with app.app_context():
        with pytest.raises(Refused) as missing:
            _step(s, booking.id, "cancel")
        assert "reason" in missing.value.fields
        assert _step(s, booking.id, "no_show", now=later).status == "no_show"
    assert next_steps("confirmed", started=False) == ("arrived", "cancel")
    assert next_steps("confirmed", started=True) == ("arrived", "no_show", "cancel")


def test_stylists_only_their_own_arrived_and_done(app, factory, raw):
    s = salon(factory)
    theirs = factory.booking(s.stylist, s.cut, at(s.day, 10), status="pending")
    others = factory.booking(s.other, s.cut, at(s.day, 10))
    with app.app_context():
        for booking_id, step in ((others.id, "arrived"), (theirs.id, "confirm"), (theirs.id, "cancel")):
            with pytest.raises(Refused) as refused:
                _step(s, booking_id, step, admin=False, reason="r")
            assert refused.value.code == "NOT_ALLOWED"
        _step(s, theirs.id, "confirm")
        with pytest.raises(Refused):
            _step(s, theirs.id, "no_show", admin=False, now=at(s.day, 11))
    assert _status(raw, others.id) == "confirmed" and _status(raw, theirs.id) == "confirmed"


def test_undo_within_ten_minutes_not_after(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    with app.app_context():
        _step(s, booking.id, "arrived")
        assert undo_step(db.session, Actor(s.admin.id, "A"), booking.id, as_admin=True).status == "confirmed"
        with pytest.raises(Refused):  # nothing left to undo
            undo_step(db.session, Actor(s.admin.id, "A"), booking.id, as_admin=True)
        _step(s, booking.id, "arrived")
        late = datetime.now(UTC) + timedelta(minutes=11)
        with pytest.raises(Refused) as refused:
            undo_step(db.session, Actor(s.admin.id, "A"), booking.id, as_admin=True, now=late)
        assert refused.value.code == "TOO_LATE"
    assert _status(raw, booking.id) == "in_progress"
    assert len(log_rows(raw, "booking_status_undone")) == 1


def test_undo_refused_when_the_time_was_booked_since(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    with app.app_context():
        _step(s, booking.id, "cancel", reason="customer called")
        insert_booking(raw, s.stylist, s.cut, at(s.day, 10), at(s.day, 11))  # the public site books the hour
        with pytest.raises(Refused) as refused:
            undo_step(db.session, Actor(s.admin.id, "A"), booking.id, as_admin=True)
        assert refused.value.code == "OVERLAP"
    assert _status(raw, booking.id) == "cancelled"
    assert log_rows(raw, "booking_status_undone") == []


THREADS = 6


@pytest.mark.postgresql_only
def test_two_people_step_the_same_booking_one_wins(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    barrier = threading.Barrier(THREADS)

    def attempt(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                step = "arrived" if i % 2 else "cancel"
                _step(s, booking.id, step, reason="double")
                return "ok"
            except Refused as refused:
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(attempt, range(THREADS)))
    assert results.count("ok") == 1 and set(results) == {"ok", "STALE"}, results
    assert len(log_rows(raw, "booking_status_changed")) == 1
