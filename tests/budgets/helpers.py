"""Set-up for the budget tests (shared helpers: tests/helpers.py)."""
from __future__ import annotations
from portal.actor import Actor



def stylist_actor(profile) -> Actor:
    return Actor(profile.user_id, profile.display_name, "203.0.113.7", "pytest-agent/1.0")


def quiet_stylist(factory, timezone_name: str = "Asia/Kathmandu", week: bool = True, **fields):
    """A stylist whose user has no password (skips the slow scrypt hash when nobody signs in),
    working 09:00–17:00 every day unless `week=False`."""
    profile = factory.stylist(timezone_name, user=factory.user("stylist", password=None), **fields)
    if week:
        factory.week(profile)
    return profile
