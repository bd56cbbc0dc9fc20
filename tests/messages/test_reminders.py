"""Reminders the evening before (messages.md): who gets one, catch-up, quiet hours."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboundMessage
from portal.services.messaging import message_delivery, reminders
from portal.services.operations.periodic_jobs import claim_period, period_of
from tests.messages.conftest import sparrow_config

UTC = timezone.utc
KTM = ZoneInfo("Asia/Kathmandu")


@pytest.fixture
def app_config(sparrow):
    return sparrow_config(sparrow, QUIET_HOURS="21:00-08:00", REMINDER_HOUR="18:00")


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), KTM).astimezone(UTC)


@pytest.fixture
def tomorrow_bookings(factory):
    stylist, service = factory.stylist(), factory.service(duration=60)
    factory.offer(stylist, service)
    day = datetime.now(KTM).date() + timedelta(days=1)
    made = {
        "mobile": factory.booking(stylist, service, _at(day, 10), customer_name="Sita", customer_phone="9841000010"),
        "email": factory.booking(stylist, service, _at(day, 11), customer_name="Jo", customer_phone="+14155550101",
                                 customer_email="jo@example.test"),
        "neither": factory.booking(stylist, service, _at(day, 12), customer_name="Ram", customer_phone="014412345"),
        "cancelled": factory.booking(stylist, service, _at(day, 13), customer_phone="9841000011", status="cancelled"),
        "day_after": factory.booking(stylist, service, _at(day + timedelta(days=1), 10), customer_phone="9841000012"),
    }
    made["salon"] = (stylist, service)
    return day, made


def _queue(app, now):
    with app.app_context():
        return reminders.queue_due_reminders(db.session, now)


def _rows(app):
    with app.app_context():
        rows = {m.booking_id: m for m in db.session.scalars(select(OutboundMessage))}
        db.session.expunge_all()
        return rows


def test_tomorrows_occupying_bookings_each_get_one_after_the_reminder_hour(app, tomorrow_bookings):
    day, made = tomorrow_bookings
    today = day - timedelta(days=1)
    assert _queue(app, _at(today, 17, 59)) == 0  # before REMINDER_HOUR: nothing
    assert _queue(app, _at(today, 18, 0)) == 3
    assert _queue(app, _at(today, 18, 1)) == 0  # one per booking and day
    rows = _rows(app)
    assert set(rows) == {made["mobile"].id, made["email"].id, made["neither"].id}
    assert (rows[made["mobile"].id].channel, rows[made["mobile"].id].state) == ("sms", "queued")
    assert rows[made["email"].id].channel == "email"
    assert (rows[made["neither"].id].state, rows[made["neither"].id].reason) == ("skipped", "no_contact")


def test_a_worker_started_late_catches_up_and_a_later_booking_gets_its_reminder_at_once(app, factory,
                                                                                        tomorrow_bookings):
    day, made = tomorrow_bookings
    today = day - timedelta(days=1)
    assert _queue(app, _at(today, 20, 45)) == 3  # the worker was down since 17:00: catches up
    late = factory.booking(*made["salon"], _at(day, 15), customer_phone="9841000013")  # made at 20:45
    assert _queue(app, _at(today, 20, 46)) == 1
    assert late.id in _rows(app)


def test_after_midnight_the_days_bookings_made_before_still_get_theirs(app, tomorrow_bookings):
    day, made = tomorrow_bookings
    with app.app_context():  # created "yesterday": move created_at back
        db.session.execute(OutboundMessage.__table__.delete())
        from portal.models import Booking
        db.session.execute(Booking.__table__.update().values(created_at=_at(day - timedelta(days=1), 12)))
        db.session.commit()
    assert _queue(app, _at(day, 6)) == 3  # 06:00 on the day, nothing sent the evening before


def test_nothing_is_sent_in_quiet_hours(app, sparrow, tomorrow_bookings, monkeypatch):
    day, made = tomorrow_bookings
    _queue(app, _at(day - timedelta(days=1), 18, 0))
    quiet = _at(day - timedelta(days=1), 22, 0)
    monkeypatch.setattr(message_delivery, "_now", lambda: quiet)
    with app.app_context():
        message_delivery.deliver_due(db.session)
    assert sparrow.received == []
    mobile = _rows(app)[made["mobile"].id]
    assert mobile.state == "queued" and mobile.attempts == 0
    assert mobile.next_attempt_at == _at(day, 8, 0)  # when the quiet hours end


def test_each_periodic_job_runs_once_per_period(app):
    now = datetime(2026, 12, 6, 12, 7, 30, tzinfo=UTC)
    assert period_of(now, 5) == "2026-12-06T12:05"
    with app.app_context():
        assert claim_period(db.session, "reminders", period_of(now, 1), now)
        assert not claim_period(db.session, "reminders", period_of(now, 1), now)
        assert claim_period(db.session, "reminders", period_of(now + timedelta(minutes=1), 1), now)
