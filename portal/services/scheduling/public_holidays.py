"""The public-holidays page: Nepal's holidays for a Gregorian or BS year against the
salon's closures, and the import that turns the ticked ones into business closures.

Reading (`year_plan`) changes nothing. The import (`import_closures`) is one
transaction: a business closure (priority 100, reason = the festival's name in the
importing page's language) per ticked holiday not already covered, each with its
`override_created` log row (configuration, `source: public_holidays`, `import: <id>`).
The import id (a fresh UUID per confirmed import) is what `holiday_imports.undo_import`
finds the import's closures by. The schedule_overrides triggers drop the cached slots of
those days in the same transaction.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.override_kinds import BUSINESS_CLOSURE
from portal.domain.public_holidays import (
    HolidayPeriod, PublicHoliday, WatchedFestival, holidays_in, lunar_festivals_listed, missing_festivals,
    shift_allowed,
)
from portal.domain.refusals import Refused
from portal.domain.translatable import N_
from portal.models import ScheduleOverride
from portal.services.audit import audited, log_event
from portal.services.scheduling.overrides import (
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
    period: HolidayPeriod
    lines: list[HolidayLine]
    in_range: bool
    lunar_listed: bool
    missing: list[WatchedFestival] = field(default_factory=list)


@dataclass(frozen=True)
class Pick:
    """A ticked holiday (its index in the year's list) and the date the salon closes."""

    index: int
    day: date


def _closure_draft(day: date, reason: str) -> OverrideDraft:
    return OverrideDraft(override_type=BUSINESS_CLOSURE, stylist_id=None, start_date=day, end_date=day,
                         priority=100, reason=reason)


def covering_closure(session: Session, day: date) -> ScheduleOverride | None:
    return session.scalars(
        select(ScheduleOverride).where(
            ScheduleOverride.override_type == BUSINESS_CLOSURE,
            ScheduleOverride.applies_to_all_stylists,
            ScheduleOverride.start_date <= day, ScheduleOverride.end_date >= day,
        ).order_by(ScheduleOverride.priority.desc(), ScheduleOverride.created_at).limit(1)
    ).first()


def year_plan(session: Session, period: HolidayPeriod) -> HolidayYear:
    listed = holidays_in(period)
    lines = []
    for index, holiday in enumerate(listed):
        closure = covering_closure(session, holiday.day)
        lines.append(HolidayLine(
            index=index, holiday=holiday,
            covered_by=(closure.reason or "closure") if closure else None,
            bookings=affected_bookings(session, _closure_draft(holiday.day, holiday.name_en)),
        ))
    return HolidayYear(
        period=period, lines=lines, in_range=period.in_range,
        lunar_listed=lunar_festivals_listed(listed), missing=missing_festivals(listed) if listed else [],
    )


def check_picks(period: HolidayPeriod, picks: list[Pick]) -> dict[int, str]:
    """Per ticked line, why it cannot be imported (empty: all fine)."""
    listed = holidays_in(period)
    errors = {}
    for pick in picks:
        if not 0 <= pick.index < len(listed):
            errors[pick.index] = N_("That holiday is not in this year's list.")
        elif not shift_allowed(listed[pick.index].day, pick.day):
            errors[pick.index] = N_("Move a holiday by a week at most; add other dates as a closure by hand.")
    return errors


@dataclass(frozen=True)
class PreviewLine:
    day: date
    holiday: PublicHoliday
    bookings: list[AffectedBooking]


def preview(session: Session, period: HolidayPeriod, picks: list[Pick]) -> list[PreviewLine]:
    """What the import would create, with the bookings each closure falls on (not cancelled)."""
    listed = holidays_in(period)
    return [
        PreviewLine(p.day, listed[p.index],
                    affected_bookings(session, _closure_draft(p.day, listed[p.index].name_en)))
        for p in sorted(picks, key=lambda p: (p.day, p.index))
    ]


@audited(action="override_created", category="configuration", rows=None)
def import_closures(session: Session, actor: Actor, period: HolidayPeriod, picks: list[Pick],
                    locale: str = "en") -> list[ScheduleOverride]:
    """Create the ticked closures not already covered, named in `locale`; returns those
    created (maybe none). Their log rows share one import id."""
    errors = check_picks(period, picks)
    if errors:
        raise Refused("HOLIDAY_PICK_INVALID", next(iter(errors.values())),
                      fields={f"line-{i}": message for i, message in errors.items()})
    listed = holidays_in(period)
    import_id = str(uuid.uuid4())
    created: list[ScheduleOverride] = []
    with use_case(session, lock=True):
        for pick in sorted(picks, key=lambda p: (p.day, p.index)):
            if covering_closure(session, pick.day) is not None:
                continue  # already closed that day (also by an earlier pick of this import)
            draft = _closure_draft(pick.day, listed[pick.index].closure_reason(locale))
            row = add_override(session, draft, actor.user_id)
            details = {**created_details(row, SOURCE), "import": import_id}
            log_event(session, actor, action="override_created", category="configuration",
                      target_type="schedule_override", target_id=row.id, details=details)
            created.append(row)
    return created
