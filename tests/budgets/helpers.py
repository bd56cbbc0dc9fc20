"""Shared set-up for the budget tests."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import text

from portal.actor import Actor


def set_budget(raw, stylist_id, used: int | None = None, limit: int | None = None, emergency: int | None = None,
               reset_at: datetime | None = None) -> None:
    """Write the budget row with plain SQL, as another client would."""
    values = {"used": used, "limit": limit, "emergency": emergency,
              "reset_at": reset_at.astimezone(timezone.utc) if reset_at else None}
    columns = {"used": "current_month_overrides", "limit": "monthly_override_limit",
               "emergency": "emergency_overrides_remaining", "reset_at": "budget_reset_at"}
    sets = [f"{columns[k]} = :{k}" for k, v in values.items() if v is not None]
    params = {k: v for k, v in values.items() if v is not None}
    if raw.dialect.name == "sqlite" and "reset_at" in params:
        params["reset_at"] = params["reset_at"].strftime("%Y-%m-%d %H:%M:%S.%f")
    raw.execute(text(f"UPDATE stylist_override_budgets SET {', '.join(sets)} WHERE stylist_user_id = :id"),
                {**params, "id": str(stylist_id)})


def budget_row(raw, stylist_id) -> dict:
    row = raw.execute(text(
        "SELECT current_month_overrides, monthly_override_limit, emergency_overrides_remaining, budget_reset_at"
        " FROM stylist_override_budgets WHERE stylist_user_id = :id"), {"id": str(stylist_id)}).one()
    return {"used": row[0], "limit": row[1], "emergency": row[2], "reset_at": row[3]}


def count(raw, table: str, where: str = "1=1", **params) -> int:
    return raw.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"), params).scalar_one()


def stylist_actor(profile) -> Actor:
    return Actor(profile.user_id, profile.display_name, "203.0.113.7", "pytest-agent/1.0")


def quiet_stylist(factory, timezone_name: str = "Asia/Kathmandu", week: bool = True, **fields):
    """A stylist whose user has no password (skips the slow scrypt hash when nobody signs in),
    working 09:00–17:00 every day unless `week=False`."""
    profile = factory.stylist(timezone_name, user=factory.user("stylist", password=None), **fields)
    if week:
        factory.week(profile)
    return profile
