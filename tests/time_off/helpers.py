"""A small salon for the time-off tests (Kathmandu, two stylists working every day) and actors."""
from __future__ import annotations

from datetime import timedelta

from portal.actor import Actor
from portal.services.leave import time_off
from tests.bookings.helpers import salon, today_ktm  # noqa: F401  (re-exported for the time-off tests)


def actor_of(user) -> Actor:
    return Actor(user_id=user.user_id if hasattr(user, "user_id") else user.id, name="test",
                 ip="203.0.113.7", user_agent="TimeOffTest/1.0")


def draft(start_in: int, days: int = 1, kind: str = "leave", note: str | None = None) -> time_off.TimeOffDraft:
    start = today_ktm() + timedelta(days=start_in)
    return time_off.TimeOffDraft(kind=kind, start_date=start, end_date=start + timedelta(days=days - 1), note=note)
