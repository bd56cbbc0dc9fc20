"""The demo salon's past (`flask seed-demo`): four months of finished bookings, so the
reports page (docs/reports.md) shows real charts on the first visit.

Each stylist's working days (their weekly hours, Saturday off) get back-to-back
bookings with gaps, inside the hours and clear of the 13:00–14:00 break, never
overlapping one another; most completed, some no-shows, some cancelled — by staff or by
the customer's link (each with its log row, as those write them) or, for online bookings,
on the public site (no row: time-off-and-reports.md counts those as the public site's) —
from the public site, by phone and walk-in.
"""
from __future__ import annotations

import zlib

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.actor import Actor
from portal.domain.default_week import WEEKLY_DAY_OFF
from portal.domain.roles import CUSTOMER
from portal.models import Booking, StylistSchedule, StylistService
from portal.services.audit import log_event

KATHMANDU = ZoneInfo("Asia/Kathmandu")
HISTORY_DAYS = 120    # how far back the history reaches
RECENT_DAYS = 8       # the days before today the demo's other bookings already fill
BREAK = (time(13, 0), time(14, 0))
# (weight, status, who cancelled) of a finished booking
OUTCOMES = ((80, "completed", None), (8, "no_show", None), (5, "cancelled", "staff"),
            (3, "cancelled", "customer_link"), (4, "cancelled", None))
DESK_REASON = "Customer phoned to cancel"
SOURCES = ((65, "online"), (22, "phone"), (13, "walk_in"))


def _pick(rng, weighted):
    roll = rng.uniform(0, sum(w for w, *_ in weighted))
    for weight, *value in weighted:
        roll -= weight
        if roll <= 0:
            return value
    return weighted[-1][1:]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _day_plan(rng, opening: time, closing: time, offers, minutes_of) -> list[tuple[int, object]]:
    """(start minute, offer) of one day's bookings: sequential, inside the hours, not across the break."""
    plan, at = [], _minutes(opening) + rng.choice((0, 15, 30, 60))
    while True:
        offer = rng.choice(offers)
        minutes = minutes_of(offer)
        if at < _minutes(BREAK[1]) and at + minutes > _minutes(BREAK[0]):
            at = _minutes(BREAK[1])  # nobody is booked across lunch
            continue
        if at + minutes > _minutes(closing):
            return plan
        plan.append((at, offer))
        at += minutes + rng.choice((0, 0, 15, 30, 45, 60, 90))


def add_history(session, rng, today: date, stylists, services, customers, admin) -> int:
    """Write the history; returns how many bookings it wrote."""
    offers = {}
    for offer in session.scalars(select(StylistService)):
        offers.setdefault(offer.stylist_user_id, []).append(offer)
    by_id = {s.id: s for s in services}
    actor = Actor(admin.id, admin.display_name)
    written = 0
    for profile in stylists:
        rows = session.scalars(select(StylistSchedule).where(StylistSchedule.stylist_user_id == profile.user_id))
        hours = {r.day_of_week: (r.start_time_local, r.end_time_local) for r in rows}
        offered = offers.get(profile.user_id, [])
        for back in range(HISTORY_DAYS, RECENT_DAYS - 1, -1):
            day = today - timedelta(days=back)
            weekday = day.isoweekday() % 7
            if weekday == WEEKLY_DAY_OFF or weekday not in hours or not offered or rng.random() < 0.08:
                continue  # a day off, or a quiet day with nobody booked
            plan = _day_plan(rng, *hours[weekday], offered, lambda o: by_id[o.service_id].duration_minutes)
            for start_minute, offer in plan:
                written += _booking(session, rng, actor, profile, day, start_minute, offer, by_id[offer.service_id],
                                    customers)
    return written


def demo_phone(email: str) -> str:
    """A demo customer's one mobile number (NTC 984…), the same on every booking of theirs, so
    the customers page lists each person once."""
    return "984" + str(zlib.crc32(email.encode()) % 10**7).zfill(7)


def _booking(session, rng, actor, profile, day, start_minute, offer, service, customers) -> int:
    start = datetime.combine(day, time(start_minute // 60, start_minute % 60), KATHMANDU).astimezone(timezone.utc)
    status, cancelled_by = _pick(rng, OUTCOMES)
    (source,) = _pick(rng, SOURCES)
    if status == "cancelled" and cancelled_by is None:
        source = "online"  # cancelled on the public site, where it was made: no row of ours
    customer = rng.choice(customers)
    price = offer.custom_price_cents if offer.custom_price_cents is not None else service.base_price_cents
    booking = Booking(
        customer_user_id=customer.id, stylist_user_id=profile.user_id, service_id=service.id, start_time=start,
        end_time=start + timedelta(minutes=service.duration_minutes), price_cents=price, status=status,
        source=source, created_by_user_id=actor.user_id if source != "online" else None,
        customer_name=customer.display_name, customer_email=customer.email,
        customer_phone=demo_phone(customer.email),
    )
    session.add(booking)
    if cancelled_by:
        session.flush()
        who = actor if cancelled_by == "staff" else Actor.system(CUSTOMER)
        log_event(session, who, action="booking_cancelled", category="configuration", target_type="booking",
                  target_id=booking.id, details={"demo": True, **({"via": "customer_link"}
                                                                  if cancelled_by == "customer_link" else {})})
    return 1


def log_desk_cancel(session, actor: Actor, booking: Booking, reason: str = DESK_REASON) -> None:
    """The row the day board's Cancel step writes (services.desk.booking_steps), for a demo
    booking written as cancelled."""
    log_event(session, actor, action="booking_status_changed", category="configuration", target_type="booking",
              target_id=booking.id, details={"step": "cancel", "from": "confirmed", "to": "cancelled",
                                             "reason": reason, "stylist_user_id": str(booking.stylist_user_id),
                                             "demo": True})
