"""Shared set-up for the slots endpoint tests."""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

URL = "/api/bookings/available-slots"
KTM = "Asia/Kathmandu"
MONDAY = date(2030, 1, 7)
# Far horizon so the spec's 2030 examples are bookable from today's real clock.
FAR = 3000
NO_LIMIT = {"SLOTS_RATE_LIMIT": "100000 per second"}


def get_slots(client, stylist, service, day: date, customer_tz: str | None = None, **headers):
    params = {"stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": day.isoformat()}
    if customer_tz:
        params["customerTimezone"] = customer_tz
    return client.get(URL, query_string=params, headers=headers)


def local(day: date, hh: int, mm: int = 0, tz: str = KTM) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=ZoneInfo(tz))


def starts(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [s["slotStartLocal"][11:16] for s in response.json]


def by_start(response) -> dict[str, str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return {s["slotStartLocal"][11:16]: s["status"] for s in response.json}


def new_stylist(factory, tz: str = KTM, buffer: int = 0):
    """A stylist whose user has no password (hashing one is slow and not needed here)."""
    return factory.stylist(tz, buffer=buffer, user=factory.user("stylist", password=None))


def monday_stylist(factory, buffer: int = 0, duration: int = 60, **schedule):
    """availability.md's worked-example set-up: Kathmandu, Monday 09:00–17:00."""
    stylist = new_stylist(factory, KTM, buffer)
    service = factory.service(duration=duration, min_advance_hours=0, max_advance_days=FAR)
    factory.offer(stylist, service)
    factory.schedule(stylist, 1, "09:00", "17:00", **schedule)
    return stylist, service
