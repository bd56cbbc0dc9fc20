"""What an admin's home page shows: the salon's day (spec/ui.md, "Home pages").

Who works today and when, how many bookings today holds, the promotions waiting for
this admin, closures ahead, and stylists who have no weekly hours (so no slots).
Read-only.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.domain.promotion import OPEN_STATES, PENDING_APPROVAL
from portal.domain.schedule_layers import DayWindow
from portal.domain.translatable import N_
from portal.models import Booking, ScheduleOverride, StylistProfile, StylistPromotion, UserProfile
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.scheduling.schedules import effective_days, stylists, stylists_without_hours

CLOSURE_DAYS_AHEAD = 30


@dataclass(frozen=True)
class Waiting:
    promotion: StylistPromotion
    name: str
    can_approve: bool  # ready for approval and requested by someone else


@dataclass(frozen=True)
class SalonDay:
    today: date
    working: list[tuple[StylistProfile, DayWindow]]
    off: list[tuple[StylistProfile, DayWindow]]
    bookings_today: int
    waiting: list[Waiting]
    closures: list[tuple[ScheduleOverride, str]]  # the closure, and whom it concerns
    without_hours: list[StylistProfile]


def salon_day(session: Session, admin_id: uuid.UUID, zone: str, now: datetime) -> SalonDay:
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    working, off = [], []
    for profile in stylists(session, active_only=True):
        [day] = effective_days(session, profile.user_id, today, today)
        (working if day.window else off).append((profile, day))
    start = datetime.combine(today, time(), tz)
    bookings_today = session.scalar(select(func.count()).select_from(Booking).where(
        Booking.start_time >= start, Booking.start_time < start + timedelta(days=1),
        Booking.status.in_(OCCUPYING_BOOKING_STATUSES))) or 0
    waiting = [
        Waiting(promotion, name, promotion.status == PENDING_APPROVAL and promotion.requested_by != admin_id)
        for promotion, name in session.execute(
            select(StylistPromotion, UserProfile.display_name)
            .join(UserProfile, UserProfile.id == StylistPromotion.user_id)
            .where(StylistPromotion.status.in_(OPEN_STATES))
            .order_by(StylistPromotion.updated_at, StylistPromotion.id)).tuples()
    ]
    waiting.sort(key=lambda w: not w.can_approve)  # what this admin can act on first
    o = ScheduleOverride
    closures = [
        (row, name or N_("Every stylist")) for row, name in session.execute(
            select(o, StylistProfile.display_name)
            .outerjoin(StylistProfile, StylistProfile.user_id == o.stylist_user_id)
            .where(o.is_closed, o.start_date <= today + timedelta(days=CLOSURE_DAYS_AHEAD), o.end_date >= today)
            .order_by(o.start_date, o.end_date, o.id)).tuples()
    ]
    return SalonDay(today=today, working=working, off=off, bookings_today=int(bookings_today), waiting=waiting,
                    closures=closures, without_hours=stylists_without_hours(session, today))
