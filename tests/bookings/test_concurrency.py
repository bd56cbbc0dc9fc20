"""Two admins cancel the same booking at the same moment: it is cancelled once, with one
log row; the other is told it is no longer active (real threads, both engines)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.services import followup
from tests.bookings.helpers import at, log_rows, salon

THREADS = 8


def test_simultaneous_cancels_cancel_once(app, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10))
    other = factory.booking(s.stylist, s.cut, at(s.day, 12))
    barrier = threading.Barrier(THREADS)

    def attempt(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                ids = [booking.id, other.id] if i % 2 else [other.id, booking.id]
                followup.cancel_bookings(db.session, Actor(s.admin.id, "admin"), ids, f"closing {i}")
                return "ok"
            except Refused as refused:
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(attempt, range(THREADS)))
    assert results.count("ok") == 1 and set(results) == {"ok", "NOT_OCCUPYING"}, results
    assert len(log_rows(raw, "booking_cancelled")) == 2
    assert raw.execute(text("SELECT count(*) FROM booking_followups")).scalar() == 2
