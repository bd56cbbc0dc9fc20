"""A small fixed salon for the reports' figures, with every number worked out by hand.

Period: BS Mangsir 2083 = Tue 17 Nov – Tue 15 Dec 2026 (29 days, two Gregorian months,
4 Saturdays → 25 Sunday–Friday dates). Salon zone Asia/Kathmandu (UTC+05:45).

Schedules (Sunday–Friday; Saturday off):
- Asha: 10:00–18:00, break 13:00–14:00 → 420 min a day;
- Bina: 09:00–17:00, no break → 480 min a day.
Layering inside the period: a business closure Wed 25 Nov (both lose it); Bina's
vacation Sun 6 – Mon 7 Dec; business-wide seasonal hours 10:00–16:00 on Thu 10 Dec
(Asha 10–16 less her break = 300 min, Bina 360 min).
Asha's special event Thu 3 Dec 05:50–09:00 (190 min; 05:50 is 00:05 UTC, so a booking
from 05:30 crosses midnight UTC into it).
Working minutes: Asha 22 × 420 + 300 + 190 = 9,730; Bina 21 × 480 + 360 = 10,440.

Bookings (salon times; prices in rupees) — see BOOKINGS below, and the expected figures in
EXPECTED.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from portal.models import Booking, ServiceManagementLog

KTM = ZoneInfo("Asia/Kathmandu")
FIRST, LAST = date(2026, 11, 17), date(2026, 12, 15)
BS_MONTH = (2083, 8)


def at(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=KTM).astimezone(timezone.utc)


# key, stylist, service, local day, local start, minutes, status, rupees, source, who cancelled
BOOKINGS = (
    ("early", "asha", "cut", "2026-11-17", "05:30", 60, "completed", 1000, "online", None),  # UTC 16 Nov 23:45: salon 17 Nov
    ("first", "asha", "cut", "2026-11-17", "10:00", 60, "completed", 1000, "phone", None),  # 60 booked
    ("over_break", "asha", "colour", "2026-11-18", "12:30", 120, "completed", 4000, "online", None),  # 60 (break cut)
    ("late", "asha", "colour", "2026-11-19", "17:00", 120, "no_show", 4000, "walk_in", None),  # 60 (until 18:00)
    ("staff_cancel", "asha", "cut", "2026-11-25", "11:00", 60, "cancelled", 1000, "phone", "staff"),
    ("site_cancel", "asha", "cut", "2026-11-20", "10:00", 60, "cancelled", 1000, "online", None),
    ("link_cancel", "asha", "cut", "2026-11-22", "10:00", 60, "cancelled", 1000, "online", "link"),
    ("desk_cancel", "asha", "cut", "2026-11-23", "10:00", 60, "cancelled", 1000, "phone", "desk_step"),
    # confirmed by staff earlier, then cancelled by the public site: the confirm row says nothing
    ("confirmed_then_site", "asha", "cut", "2026-11-23", "11:00", 60, "cancelled", 1000, "online", "confirm_step"),
    ("last_night", "asha", "cut", "2026-12-15", "23:00", 60, "completed", 1000, "online", None),  # salon 15 Dec, 0 booked
    ("after", "asha", "cut", "2026-12-16", "03:00", 60, "completed", 1000, "online", None),  # UTC 15 Dec: not in the period
    ("before", "asha", "cut", "2026-11-16", "23:30", 60, "completed", 1000, "online", None),  # UTC 16 Nov: not in the period
    # crosses midnight UTC into a working window that starts after it (05:50 = 00:05 UTC): 40 booked
    ("dawn", "asha", "cut", "2026-12-03", "05:30", 60, "completed", 1000, "online", None),
    ("vacation", "bina", "cut", "2026-12-06", "10:00", 60, "completed", 1000, "walk_in", None),  # on vacation: 0 booked
    ("ahead", "bina", "colour", "2026-11-30", "09:00", 120, "confirmed", 4000, "online", None),  # 120 booked
    ("bina_late", "bina", "cut", "2026-12-01", "16:30", 60, "no_show", 1000, "online", None),  # 30 booked
    ("double_a", "bina", "cut", "2026-12-02", "09:00", 420, "completed", 2000, "phone", None),  # overlapping history:
    ("double_b", "bina", "cut", "2026-12-02", "09:00", 420, "completed", 2000, "online", None),  # 840 capped to 480
)

EXPECTED = {
    "bookings": 16, "online": 10, "desk": 6, "completed": 8, "no_shows": 2,
    "revenue": 1_300_000, "average": 162_500,  # 1,300,000 / 8 paisa
    "cancelled": {"customer_link": 1, "staff": 2, "public_site": 2},
    "working": {"asha": 9730, "bina": 10440}, "booked": {"asha": 220, "bina": 630},
    "revenue_days": {date(2026, 11, 17): (2, 200_000), date(2026, 11, 18): (1, 400_000),
                     date(2026, 12, 2): (2, 400_000), date(2026, 12, 3): (1, 100_000), date(2026, 12, 6): (1, 100_000),
                     date(2026, 12, 15): (1, 100_000)},
    # (weekday 0 = Sunday, hour) of every booking that took a chair
    "busy": {(2, 5): 1, (2, 10): 1, (3, 12): 1, (4, 17): 1, (2, 23): 1, (0, 10): 1, (1, 9): 1, (2, 16): 1, (3, 9): 2, (4, 5): 1},
    "services": [("Cut", 8, 7, 900_000), ("Colour", 3, 1, 400_000)],
}


@dataclass
class Salon:
    stylists: dict
    services: dict
    bookings: dict
    staff: object


def build(factory, raw) -> Salon:
    asha = factory.stylist(display_name="Asha")
    bina = factory.stylist(display_name="Bina")
    cut = factory.service(name="Cut", duration=60, price=100000)
    colour = factory.service(name="Colour", duration=120, price=400000)
    for day in range(6):  # Sunday … Friday
        factory.schedule(asha, day, "10:00", "18:00", break_start="13:00", break_end="14:00")
        factory.schedule(bina, day, "09:00", "17:00")
    factory.override(None, date(2026, 11, 25), closed=True, priority=100, reason="Closed")
    factory.override(bina, date(2026, 12, 6), date(2026, 12, 7), closed=True, priority=50, reason="Away")
    factory.override(None, date(2026, 12, 10), override_type="seasonal_hours", start="10:00", end="16:00",
                     priority=10, reason="Short day")
    factory.override(asha, date(2026, 12, 3), override_type="special_event", start="05:50", end="09:00",
                     priority=30, reason="Wedding party")
    admin = factory.user("admin")
    people = {"asha": asha, "bina": bina}
    services = {"cut": cut, "colour": colour}
    ids = {}
    for key, who, what, day, hhmm, minutes, status, rupees, source, cancelled_by in BOOKINGS:
        start = at(day, hhmm)
        values = dict(stylist_user_id=people[who].user_id, service_id=services[what].id, start_time=start,
                      end_time=start + timedelta(minutes=minutes), price_cents=rupees * 100, status=status,
                      source=source)
        ids[key] = raw.execute(insert(Booking.__table__).values(**values).returning(Booking.__table__.c.id)).scalar()
        if cancelled_by:
            step = cancelled_by.endswith("_step")  # the front desk's status steps
            factory.session.add(ServiceManagementLog(
                admin_user_id=None if cancelled_by == "link" else admin.id,
                action="booking_status_changed" if step else
                "customer_link_cancelled" if cancelled_by == "link" else "booking_cancelled",  # as link_actions writes
                category="configuration", target_type="booking", target_id=ids[key],
                details={"step": "cancel", "from": "confirmed", "to": "cancelled"} if cancelled_by == "desk_step" else
                {"step": "confirm", "from": "pending", "to": "confirmed"} if cancelled_by == "confirm_step" else
                {"via": "customer_link"} if cancelled_by == "link" else {}))
            factory.session.commit()
    return Salon(people, services, ids, admin)
