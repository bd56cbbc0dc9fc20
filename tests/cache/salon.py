"""A small salon for the cache tests, and helpers to ask for slots and write raw SQL."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.extensions import db
from portal import clock
from portal.slots.loading import load_day
from portal.slots.plan import answer

UTC = timezone.utc
KTM = ZoneInfo("Asia/Kathmandu")
URL = "/api/bookings/available-slots"


@dataclass
class Salon:
    stylist: object
    other: object
    service: object
    day: date
    sid: str = ""
    vid: str = ""
    oid: str = ""

    def at(self, hh: int, mm: int = 0, day: date | None = None) -> datetime:
        """A local Kathmandu wall-clock time on the salon's day, as an aware UTC instant."""
        return datetime.combine(day or self.day, time(hh, mm), tzinfo=KTM).astimezone(UTC)


def build(factory, days_ahead: int = 3) -> Salon:
    """Two stylists (Mon–Sun 09:00–17:00, buffer 0) offering one 60-minute service (one commit)."""
    from portal.models import Service, StylistProfile, StylistSchedule, StylistService

    session = factory.session
    users = [factory.user("stylist", password=None) for _ in range(2)]
    people = [StylistProfile(user_id=u.id, display_name=u.display_name, timezone="Asia/Kathmandu",
                             booking_buffer_minutes=0) for u in users]
    n = uuid.uuid4().hex[:8]
    service = Service(name=f"Cut {n}", slug=f"cut-{n}", category="hair", duration_minutes=60,
                      base_price_cents=150000, min_advance_hours=0, max_advance_days=30)
    session.add_all([*people, service])
    session.flush()
    for person in people:
        session.add(StylistService(stylist_user_id=person.user_id, service_id=service.id))
        session.add_all(StylistSchedule(
            stylist_user_id=person.user_id, day_of_week=d, start_time_local=time(9), end_time_local=time(17),
            effective_from=date(2000, 1, 1)) for d in range(7))
    session.commit()
    day = datetime.now(KTM).date() + timedelta(days=days_ahead)
    return Salon(people[0], people[1], service, day, str(people[0].user_id), str(service.id),
                 str(people[1].user_id))


def ask(client, salon: Salon, stylist=None, day: date | None = None, tz: str | None = None):
    query = {"stylistId": str(stylist or salon.sid), "serviceId": salon.vid,
             "targetDate": (day or salon.day).isoformat()}
    if tz:
        query["customerTimezone"] = tz
    response = client.get(URL, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def hit(response) -> bool:
    return response.headers["X-Cache-Hit"] == "true"


def truth(app, salon: Salon, stylist=None, day: date | None = None, tz: str = "Asia/Kathmandu") -> list:
    """The answer computed from the database right now, bypassing the cache."""
    import uuid

    with app.app_context():
        plan = load_day(db.session, uuid.UUID(str(stylist or salon.sid)), uuid.UUID(salon.vid),
                        day or salon.day, app.config["SLOT_INTERVAL_MINUTES"]).plan
        now = clock.now()
        result = answer(plan, day or salon.day, now, tz)
        db.session.rollback()
    return json.loads(json.dumps(result))
