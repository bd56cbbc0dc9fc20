"""Changes drop the cached slot days they touch, in their own transaction."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import text

from portal.extensions import db
from portal.services import budgets, overrides, schedules
from portal.services.audit import Actor
from tests.budgets.helpers import quiet_stylist

DAYS = [date(2030, 1, 6), date(2030, 1, 7), date(2030, 1, 8)]


def _cache(raw, stylists, service):
    table = raw.private("availability_cache")
    raw.execute(text(f"DELETE FROM {table}"))
    for s in stylists:
        for d in DAYS:
            raw.execute(text(f"INSERT INTO {table} (stylist_user_id, service_id, cache_date, available_slots)"
                             " VALUES (:s, :v, :d, '[]')"), {"s": str(s.user_id), "v": str(service.id), "d": d})


def _cached(raw):
    rows = raw.execute(text(f"SELECT stylist_user_id, cache_date FROM {raw.private('availability_cache')}")).all()
    return {(str(r[0]), r[1] if isinstance(r[1], date) else date.fromisoformat(r[1])) for r in rows}


def test_each_kind_of_change_drops_exactly_the_days_it_touches(app, factory, raw):
    asha, bina = quiet_stylist(factory), quiet_stylist(factory)
    service = factory.service()
    admin = Actor(factory.user("admin", password=None).id, "admin")
    a, b = str(asha.user_id), str(bina.user_id)

    _cache(raw, (asha, bina), service)
    overrides.create_override(db.session, admin, overrides.OverrideDraft(
        "business_closure", None, DAYS[1], DAYS[1], reason="Tihar"))
    assert _cached(raw) == {(a, DAYS[0]), (a, DAYS[2]), (b, DAYS[0]), (b, DAYS[2])}

    _cache(raw, (asha, bina), service)
    budgets.request_override(db.session, Actor(asha.user_id, "asha"), asha.user_id,
                             budgets.OverrideRequest(day=DAYS[2], closed=True),
                             now=datetime(2030, 1, 5, 6, tzinfo=timezone.utc))
    assert _cached(raw) == {(a, DAYS[0]), (a, DAYS[1]), (b, DAYS[0]), (b, DAYS[1]), (b, DAYS[2])}

    _cache(raw, (asha, bina), service)
    schedules.save_weekly_row(db.session, admin, bina.user_id, schedules.WeeklyDraft(
        day_of_week=2, start=time(9), end=time(17), effective_from=DAYS[1]))
    assert _cached(raw) == {(a, d) for d in DAYS} | {(b, DAYS[0])}
