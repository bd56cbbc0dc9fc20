"""A small salon for the bookings tests: Kathmandu, every day 09:00–17:00, a day D ahead;
the slots endpoint as the public site calls it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import text

KTM = "Asia/Kathmandu"
UTC = timezone.utc
SLOTS_URL = "/api/bookings/available-slots"
NO_LIMIT = {"SLOTS_RATE_LIMIT": "100000 per second"}


def get_slots(client, stylist, service, day: date):
    return client.get(SLOTS_URL, query_string={
        "stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": day.isoformat()})


def email_of(raw, user_id) -> str:
    return raw.execute(text("SELECT email FROM user_profiles WHERE id = :i"), {"i": str(user_id)}).scalar()


def today_ktm() -> date:
    return datetime.now(ZoneInfo(KTM)).date()


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(KTM))


@dataclass
class Salon:
    admin: object
    stylist: object
    other: object
    cut: object
    colour: object
    day: date


def salon(factory, days_ahead: int = 3) -> Salon:
    admin = factory.user("admin")
    stylist = factory.stylist(KTM, display_name="Anjali")
    other = factory.stylist(KTM, display_name="Bina")
    cut = factory.service(duration=60, name="Haircut", slug="haircut", max_advance_days=60)
    colour = factory.service(duration=60, name="Colour", slug="colour", max_advance_days=60)
    for s in (stylist, other):
        factory.offer(s, cut)
        factory.offer(s, colour)
        factory.week(s, "09:00", "17:00")
    return Salon(admin, stylist, other, cut, colour, today_ktm() + timedelta(days=days_ahead))


def log_rows(raw, action: str, category: str | None = None) -> list:
    sql = f"SELECT target_type, target_id, category FROM {raw.private('service_management_log')} WHERE action = :a"
    return [tuple(r) for r in raw.execute(text(sql + " ORDER BY id"), {"a": action})
            if category is None or r[2] == category]
