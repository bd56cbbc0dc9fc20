"""A day's slots computed from the database with the pure engine.

Stand-in for GET /api/bookings/available-slots until that endpoint (issue 3) is on
this branch: the same `compute_slots`, fed with the rows the endpoint reads."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from portal.domain.availability import Occupancy, compute_slots
from portal.models import Booking
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.schedules import base_rows, effective_days, override_row, overrides_in_scope


def slots(session, stylist, service, day: date, now: datetime | None = None) -> list:
    session.expire_all()
    bookings = session.scalars(select(Booking).where(
        Booking.stylist_user_id == stylist.user_id, Booking.status.in_(OCCUPYING_BOOKING_STATUSES))).all()
    return compute_slots(
        day, stylist.timezone, base_rows(session, stylist.user_id),
        [override_row(o) for o in overrides_in_scope(session, stylist.user_id, day, day)],
        [Occupancy(b.start_time, b.end_time, "booking") for b in bookings],
        duration_minutes=service.duration_minutes, buffer_minutes=stylist.booking_buffer_minutes,
        min_advance_hours=service.min_advance_hours, max_advance_days=service.max_advance_days,
        now=now or datetime.now(timezone.utc),
    )


__all__ = ["slots", "effective_days"]
