"""The public-holidays page: Nepal's holidays for a year against the salon's closures,
and the import that turns the ticked ones into business closures.

Reading (`year_plan`) changes nothing. The import (`import_closures`) is one
transaction: a business closure (priority 100, reason = the festival's name) per
ticked holiday not already covered, each with its `override_created` log row
(configuration, `source: public_holidays`). The schedule_overrides triggers drop the
cached slots of those days in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.public_holidays import (
    FIRST_YEAR, LAST_YEAR, PublicHoliday, lunar_festivals_listed, missing_festivals,
    nepal_public_holidays, shift_allowed,
)
from portal.domain.refusals import Refused
from portal.models import ScheduleOverride
from portal.services.audit import audited, log_event
from portal.services.overrides import (
    AffectedBooking, OverrideDraft, add_override, affected_bookings, created_details,
)

SOURCE = "public_holidays"


@dataclass(frozen=True)
class HolidayLine:
    index: int
    holiday: PublicHoliday
    covered_by: str | None  # the reason (or kind) of the closure that already covers the day
    bookings: list[AffectedBooking]


@dataclass(frozen=True)
class HolidayYear:
    year: int
    lines: list[HolidayLine]
    in_range: bool
    lunar_listed: bool
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pick:
    """A ticked holiday (its index in the year's list) and the date the salon closes."""

    index: int
    day: date


def _closure_draft(day: date, reason: str) -> OverrideDraft:
    return OverrideDraft(override_type="business_closure", stylist_id=None, start_date=day, end_date=day,
                         priority=100, reason=reason)


def covering_closure(session: Session, day: date) -> ScheduleOverride | None:
    return session.scalars(
        select(ScheduleOverride).where(
            ScheduleOverride.override_type == "business_closure",
            ScheduleOverride.applies_to_all_stylists,
            ScheduleOverride.start_date <= day, ScheduleOverride.end_date >= day,
        ).order_by(ScheduleOverride.priority.desc(), ScheduleOverride.created_at).limit(1)
    ).first()


def year_plan(session: Session, year: int, locale: str = "en") -> HolidayYear:
    listed = nepal_public_holidays(year)
    lines = []
    for index, holiday in enumerate(listed):
        closure = covering_closure(session, holiday.day)
        lines.append(HolidayLine(
            index=index, holiday=holiday,
            covered_by=(closure.reason or "closure") if closure else None,
            bookings=affected_bookings(session, _closure_draft(holiday.day, holiday.closure_reason)),
        ))
    return HolidayYear(
        year=year, lines=lines, in_range=FIRST_YEAR <= year <= LAST_YEAR,
        lunar_listed=lunar_festivals_listed(listed), missing=missing_festivals(listed, locale) if listed else [],
    )


def check_picks(year: int, picks: list[Pick]) -> dict[int, str]:
    """Per ticked line, why it cannot be imported (empty: all fine)."""
    listed = nepal_public_holidays(year)
    errors = {}
    for pick in picks:
        if not 0 <= pick.index < len(listed):
            errors[pick.index] = "That holiday is not in this year's list."
        elif not shift_allowed(listed[pick.index].day, pick.day):
            errors[pick.index] = "Move a holiday by a week at most; add other dates as a closure by hand."
    return errors


@dataclass(frozen=True)
class PreviewLine:
    day: date
    holiday: PublicHoliday
    bookings: list[AffectedBooking]


def preview(session: Session, year: int, picks: list[Pick]) -> list[PreviewLine]:
    """What the import would create, with the bookings each closure falls on (not cancelled)."""
    listed = nepal_public_holidays(year)
    return [
        PreviewLine(p.day, listed[p.index],
                    affected_bookings(session, _closure_draft(p.day, listed[p.index].closure_reason)))
        for p in sorted(picks, key=lambda p: (p.day, p.index))
    ]


@audited(action="override_created", category="configuration", rows=None)
def import_closures(session: Session, actor: Actor, year: int, picks: list[Pick]) -> list[ScheduleOverride]:
    """Create the ticked closures not already covered; returns those created (maybe none)."""
    errors = check_picks(year, picks)
    if errors:
        raise Refused("HOLIDAY_PICK_INVALID", next(iter(errors.values())),
                      fields={f"line-{i}": message for i, message in errors.items()})
    listed = nepal_public_holidays(year)
    created: list[ScheduleOverride] = []
    with use_case(session, lock=True):
        for pick in sorted(picks, key=lambda p: (p.day, p.index)):
            if covering_closure(session, pick.day) is not None:
                continue  # already closed that day (also by an earlier pick of this import)
            draft = _closure_draft(pick.day, listed[pick.index].closure_reason)
            row = add_override(session, draft, actor.user_id)
            log_event(session, actor, action="override_created", category="configuration",
                      target_type="schedule_override", target_id=row.id, details=created_details(row, SOURCE))
            created.append(row)
    return created
