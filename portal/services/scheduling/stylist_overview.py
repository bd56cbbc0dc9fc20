"""What a stylist's own availability page shows, read in one place."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.domain.availability import DayWindow
from portal.domain.schedule_changes import EVERY_WEEKDAY
from portal.domain.translatable import N_, Msg
from portal.models import ScheduleChangeLog, ScheduleOverride, StylistProfile, UserProfile
from portal.services.audit import audit_exempt
from portal.services.scheduling import budgets, overrides, schedules

NEXT_DAYS = 14


@dataclass(frozen=True)
class HistoryEntry:
    """One change-log row as the stylist reads it: who made it, and its hours in words."""

    row: ScheduleChangeLog
    by: str  # "You", or the admin's name (marked N_: translated on the page)
    hours: str  # "10:00 AM – 2:00 PM" (a `Msg`: the page's clock), or "" for a day off / a removal
    weekdays: str  # a weekly row's "Sundays" (marked N_), else ""


@dataclass(frozen=True)
class StylistOverview:
    budget: budgets.BudgetView
    today: date
    horizon_end: date
    upcoming: list[ScheduleOverride]  # their own overrides and business-wide ones, by date
    days: list[DayWindow]  # the next NEXT_DAYS days' effective hours
    history: list[HistoryEntry]


@audit_exempt("reads the page; the only write is the budget's monthly renewal (see budgets.read_budget)")
def stylist_overview(session: Session, profile: StylistProfile, history_rows: int = 10,
                     now: datetime | None = None) -> StylistOverview:
    """The budget (renewed if its month has turned), upcoming overrides and closures,
    the next days' hours and the latest changes, all in the stylist's zone."""
    budget = budgets.read_budget(session, profile.user_id, now)
    today = (now or clock.now().astimezone(ZoneInfo(profile.timezone))).astimezone(ZoneInfo(profile.timezone)).date()
    own = overrides.list_overrides(session, today, stylist_id=profile.user_id)
    closures = overrides.list_overrides(session, today, business_wide=True)
    upcoming = sorted((o for o in own + closures if o.end_date >= today), key=lambda o: (o.start_date, o.priority))
    return StylistOverview(
        budget=budget,
        today=today,
        horizon_end=today + timedelta(days=budgets.horizon_days(session, profile.user_id)),
        upcoming=upcoming,
        days=schedules.effective_days(session, profile.user_id, today, today + timedelta(days=NEXT_DAYS - 1)),
        history=change_history(session, profile.user_id, limit=history_rows),
    )


def change_history(session: Session, stylist_id: uuid.UUID, limit: int, offset: int = 0) -> list[HistoryEntry]:
    """The stylist's `schedule_change_log` rows, newest first (stable on ties), with who made each."""
    rows = session.execute(
        select(ScheduleChangeLog, UserProfile.display_name)
        .outerjoin(UserProfile, UserProfile.id == ScheduleChangeLog.changed_by)
        .where(ScheduleChangeLog.stylist_user_id == stylist_id)
        .order_by(ScheduleChangeLog.created_at.desc(), ScheduleChangeLog.id.desc()).limit(limit).offset(offset)
    ).all()
    return [HistoryEntry(row=row, by=N_("You") if row.changed_by == stylist_id else (name or N_("An admin")),
                         hours=_hours(row.new_values), weekdays=_weekdays(row.new_values or row.old_values))
            for row, name in rows]


def _hours(values: dict | None) -> str:
    if not values or not values.get("start") or not values.get("end"):
        return ""
    try:
        start, end = time.fromisoformat(values["start"]), time.fromisoformat(values["end"])
    except (TypeError, ValueError):  # written by another client: shown as stored
        return f"{values['start']} – {values['end']}"
    return Msg("%(start)s – %(end)s", start=start, end=end)


def _weekdays(values: dict | None) -> str:
    day = (values or {}).get("day_of_week")
    return EVERY_WEEKDAY[day] if isinstance(day, int) and 0 <= day < len(EVERY_WEEKDAY) else ""
