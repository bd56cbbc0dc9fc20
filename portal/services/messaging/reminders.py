"""Reminders the evening before (messages.md), queued by the workers' schedule.

From `REMINDER_HOUR` (salon time) on the day before until the booking starts, every
occupying booking of the next day without its reminder gets one; the job runs every
minute, so a booking made later that evening gets its reminder within a minute, and a
worker that starts (or comes back) late still sends that evening's reminders. After
midnight the same holds for the day's bookings that already existed the evening
before (a worker that was down all evening catches up; a booking made today for today
has had its confirmation). Quiet hours hold the messages back at delivery, not here.
One reminder per booking and salon day (the outbox's key).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.database import use_case
from portal.domain.messages import dedupe_key, parse_hour
from portal.domain.phones import phone_or_none
from portal.models import Booking, Customer, OutboundMessage
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audit_exempt
from portal.services.messaging.message_outbox import queue_message

UTC = timezone.utc


def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (datetime.combine(day, time(), zone).astimezone(UTC),
            datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC))


def due_bookings(session: Session, now: datetime) -> list[tuple[Booking, date]]:
    """The occupying bookings whose reminder is due now, with their salon day."""
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    today = local.date()
    found: list[tuple[Booking, date]] = []
    start, end = _day_bounds(today, zone)
    for booking in session.scalars(select(Booking).where(
            Booking.status.in_(OCCUPYING_BOOKING_STATUSES), Booking.start_time >= max(start, now),
            Booking.start_time < end, Booking.created_at < start)):
        found.append((booking, today))
    if local.time() >= parse_hour(current_app.config["REMINDER_HOUR"]):
        start, end = _day_bounds(today + timedelta(days=1), zone)
        for booking in session.scalars(select(Booking).where(
                Booking.status.in_(OCCUPYING_BOOKING_STATUSES), Booking.start_time >= start,
                Booking.start_time < end)):
            found.append((booking, today + timedelta(days=1)))
    return found


def customers_of(session: Session, bookings: list[Booking]) -> dict:
    """A batch's memo (`queue_message`) holding every booking's customer row, or None,
    read in a few statements; stylists, services and templates join it as they are met."""
    phones = {phone_or_none(b.customer_phone) for b in bookings} - {None}
    memo: dict = {("customer", phone): None for phone in phones}
    ordered = sorted(phones)
    for i in range(0, len(ordered), 500):
        for customer in session.scalars(select(Customer).where(Customer.phone.in_(ordered[i:i + 500]))):
            memo[("customer", customer.phone)] = customer
    return memo


@audit_exempt("the system queues reminders; each message row records itself")
def queue_due_reminders(session: Session, now: datetime | None = None) -> int:
    """Queue every reminder that is due and not yet written; how many were queued."""
    now = now or clock.now()
    queued = 0
    with use_case(session, lock=True):
        due = due_bookings(session, now)
        keys = {dedupe_key("reminder", b.id, d.isoformat()): (b, d) for b, d in due}
        written = set()
        names = list(keys)
        for i in range(0, len(names), 500):
            written.update(session.scalars(select(OutboundMessage.dedupe_key)
                                           .where(OutboundMessage.dedupe_key.in_(names[i:i + 500]))))
        memo = customers_of(session, [b for key, (b, _) in keys.items() if key not in written])
        with session.no_autoflush:  # the new rows are flushed once, at the commit
            for key, (booking, day) in keys.items():
                if key not in written and queue_message(session, "reminder", booking, day.isoformat(), now=now,
                                                        memo=memo):
                    queued += 1
    return queued
