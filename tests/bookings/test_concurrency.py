"""Two admins cancel the same booking at the same moment: it is cancelled once, with one
log row; the other is told it is no longer active (real threads; both engines, and through
the page on PostgreSQL)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.services.appointments import bookings, followup
from tests.bookings.helpers import at, log_rows, salon
from tests.web import AuthActions, csrf_token

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


@pytest.mark.postgresql_only
def test_two_admins_bulk_cancel_through_the_page_at_the_same_moment(app, factory, raw, monkeypatch):
    """Issue 22 point 3: each admin's request reads the chosen bookings for the page
    (`bookings_by_id`) before the service locks them; both read before either locks
    (the barrier), so the second lock returns rows already in its session. It must see
    them cancelled: one admin succeeds, the other is told nothing was changed."""
    s = salon(factory)
    chosen = [factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=f"C{h}") for h in (10, 12, 14)]
    second = factory.user("admin")
    browsers = []
    for admin in (s.admin, second):
        client = app.test_client()
        assert AuthActions(client).login(admin.email).status_code == 302
        browsers.append(client)
    tokens = [csrf_token(c, "/bookings/follow-up") for c in browsers]
    barrier = threading.Barrier(2)
    read_for_page = bookings.bookings_by_id

    def read_then_wait(session, ids):
        rows = read_for_page(session, ids)
        barrier.wait(timeout=30)
        return rows

    monkeypatch.setattr(bookings, "bookings_by_id", read_then_wait)

    def attempt(i):
        data = {"booking_ids": [str(b.id) for b in chosen], "reason": f"closing {i}", "confirmed": "yes",
                "csrf_token": tokens[i]}
        response = browsers[i].post("/bookings/cancel", data=data)
        return response.status_code, response.get_data(as_text=True)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(attempt, range(2)))
    assert sorted(status for status, _ in results) == [302, 409], [r[0] for r in results]
    refused = next(body for status, body in results if status == 409)
    assert "3 of these bookings are no longer active (already cancelled or done); nothing was changed." in refused
    assert len(log_rows(raw, "booking_cancelled")) == 3
    assert raw.execute(text("SELECT count(*) FROM booking_followups")).scalar() == 3
    reasons = raw.execute(text("SELECT DISTINCT note FROM booking_followups")).scalars().all()
    assert len(reasons) == 1  # one admin's reason, never a mix of both
