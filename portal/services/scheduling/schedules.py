"""Weekly base schedules and the effective schedule of a stylist.

- The weekly editor: one use-case per change, each writing a `schedule_change_log`
  row (`schedule_update`, old and new values) and a `service_management_log` row
  (configuration) in the same transaction.
- The effective schedule: rows read from the database, handed to the pure layering
  engine (`portal.domain.schedule_layers.day_window`) — the same code the slots use.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.default_week import proposed_week
from portal.domain.override_kinds import SEASONAL_HOURS
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.schedule_changes import DAY_NAMES, WEEKLY_EDIT_LABELS
from portal.domain.schedule_layers import BaseRow, DayWindow, day_window, hours_errors
from portal.domain.translatable import Msg, N_, Span
from portal.models import (
    ScheduleChangeLog, ScheduleOverride, StylistProfile, StylistSchedule,
)
from portal.services.audit import audited, log_event
from portal.services.scheduling.schedule_rows import base_row, override_row

# --------------------------------------------------------------------------- reading

def base_rows(session: Session, stylist_id: uuid.UUID) -> list[BaseRow]:
    rows = session.scalars(
        select(StylistSchedule).where(StylistSchedule.stylist_user_id == stylist_id)
    ).all()
    return [base_row(r) for r in rows]


def overrides_in_scope(session: Session, stylist_id: uuid.UUID, first: date, last: date) -> list[ScheduleOverride]:
    """The stylist's own overrides and the business-wide ones touching [first, last]."""
    return list(session.scalars(
        select(ScheduleOverride).where(
            or_(ScheduleOverride.stylist_user_id == stylist_id, ScheduleOverride.applies_to_all_stylists),
            ScheduleOverride.start_date <= last,
            ScheduleOverride.end_date >= first,
        ).order_by(ScheduleOverride.start_date, ScheduleOverride.created_at)
    ).all())


def effective_days(session: Session, stylist_id: uuid.UUID, first: date, last: date) -> list[DayWindow]:
    """`day_window` for every date in [first, last], fed from the database."""
    bases = base_rows(session, stylist_id)
    overrides = [override_row(o) for o in overrides_in_scope(session, stylist_id, first, last)]
    days = (last - first).days + 1
    return [day_window(first + timedelta(days=i), bases, overrides) for i in range(max(days, 0))]


def weekly_rows(session: Session, stylist_id: uuid.UUID) -> list[StylistSchedule]:
    return list(session.scalars(
        select(StylistSchedule).where(StylistSchedule.stylist_user_id == stylist_id)
        .order_by(StylistSchedule.day_of_week, StylistSchedule.effective_from)
    ).all())


@dataclass(frozen=True)
class WeeklyPage:
    rows: list[StylistSchedule]
    days_off: list[int]  # weekdays (0 = Sunday) with no weekly hours today
    replacing: list[ScheduleOverride]  # seasonal hours in the next 60 days: they replace the weekly hours


def weekly_page(session: Session, stylist_id: uuid.UUID, today: date) -> WeeklyPage:
    rows = weekly_rows(session, stylist_id)
    working = {r.day_of_week for r in rows if r.is_active and r.effective_from <= today
               and (r.effective_until is None or today <= r.effective_until)}
    replacing = [o for o in overrides_in_scope(session, stylist_id, today, today + timedelta(days=60))
                 if o.override_type == SEASONAL_HOURS]
    return WeeklyPage(rows=rows, days_off=[d for d in range(7) if d not in working], replacing=replacing)


def stylists_without_hours(session: Session, today: date) -> list[StylistProfile]:
    """Active stylists with no weekly row that applies today or later: they have no slots."""
    has_hours = select(StylistSchedule.stylist_user_id).where(
        StylistSchedule.is_active,
        or_(StylistSchedule.effective_until.is_(None), StylistSchedule.effective_until >= today),
    )
    return list(session.scalars(
        select(StylistProfile).where(StylistProfile.is_active, StylistProfile.user_id.not_in(has_hours))
        .order_by(StylistProfile.display_name)
    ).all())


def stylists(session: Session, active_only: bool = False) -> list[StylistProfile]:
    """Stylist profiles by name; active ones first. A revoked stylist's profile stays
    (inactive) for their history; menus that create new things pass `active_only`."""
    stmt = select(StylistProfile).order_by(StylistProfile.is_active.desc(), StylistProfile.display_name)
    if active_only:
        stmt = stmt.where(StylistProfile.is_active)
    return list(session.scalars(stmt).all())


# --------------------------------------------------------------------------- weekly editor

@dataclass(frozen=True)
class WeeklyDraft:
    day_of_week: int | None
    start: time | None
    end: time | None
    break_start: time | None = None
    break_end: time | None = None
    effective_from: date | None = None
    effective_until: date | None = None
    is_active: bool = True


def validate_weekly(draft: WeeklyDraft) -> dict[str, str]:
    """The checks of `stylist_schedules`, one message per field."""
    errors: dict[str, str] = {}
    if draft.day_of_week is None or not 0 <= draft.day_of_week <= 6:
        errors["day_of_week"] = N_("Choose a day of the week.")
    errors.update(hours_errors(draft.start, draft.end))
    if (draft.break_start is None) != (draft.break_end is None):
        errors["break_end" if draft.break_end is None else "break_start"] = (
            N_("Give both break times, or neither.")
        )
    elif draft.break_start is not None and draft.break_end is not None:
        if draft.break_end <= draft.break_start:
            errors["break_end"] = N_("The break must end after it starts.")
        elif draft.start and draft.end and not (draft.start <= draft.break_start and draft.break_end <= draft.end):
            errors["break_start"] = N_("The break must lie inside the working hours.")
    if draft.effective_from is None:
        errors["effective_from"] = N_("Give the first date this row applies.")
    elif draft.effective_until is not None and draft.effective_until < draft.effective_from:
        errors["effective_until"] = N_("The last date must not be before the first date.")
    return errors


def _clash(session: Session, stylist_id: uuid.UUID, draft: WeeklyDraft, row_id: uuid.UUID | None) -> str | None:
    """Why the draft cannot stand beside the stylist's other rows for that weekday: two
    rows starting on the same date, or two active rows whose dates overlap (the
    schedule would have two sets of hours for one day, and only one could apply)."""
    day = Msg(DAY_NAMES[draft.day_of_week])  # translated with the message on a page
    others = session.scalars(select(StylistSchedule).where(
        StylistSchedule.stylist_user_id == stylist_id,
        StylistSchedule.day_of_week == draft.day_of_week,
        StylistSchedule.id != (row_id or uuid.UUID(int=0)),
    ).order_by(StylistSchedule.effective_from)).all()
    far = date.max
    for other in others:
        if other.effective_from == draft.effective_from:
            return Msg("%(day)s already has hours starting on %(first)s; edit that row instead.",
                       day=day, first=draft.effective_from)
        if (draft.is_active and other.is_active and other.effective_from <= (draft.effective_until or far)
                and draft.effective_from <= (other.effective_until or far)):
            return Msg("%(day)s already has hours %(hours)s %(dates)s: the dates overlap. "
                       "Change that row, or choose dates that do not overlap.", day=day,
                       hours=Span(other.start_time_local, other.end_time_local),
                       dates=Span(other.effective_from, other.effective_until))
    return None


def _weekly_values(row: StylistSchedule) -> dict:
    def t(v):
        return v.strftime("%H:%M") if v else None

    return {
        "day_of_week": row.day_of_week, "start": t(row.start_time_local), "end": t(row.end_time_local),
        "break_start": t(row.break_start_time_local), "break_end": t(row.break_end_time_local),
        "effective_from": row.effective_from.isoformat(),
        "effective_until": row.effective_until.isoformat() if row.effective_until else None,
        "is_active": row.is_active,
    }


def _log_weekly(session: Session, actor: Actor, stylist_id, row_id, change_date: date,
                old: dict | None, new: dict | None, action: str) -> None:
    session.add(ScheduleChangeLog(
        stylist_user_id=stylist_id, change_date=change_date, change_type="schedule_update",
        old_values=old, new_values=new, reason=WEEKLY_EDIT_LABELS[action], is_emergency=False,
        ip_address=actor.ip, user_agent=actor.user_agent, changed_by=actor.user_id,
    ))
    log_event(session, actor, action=action, category="configuration", target_type="stylist_schedule",
              target_id=row_id, details={"stylist_user_id": str(stylist_id), "old": old, "new": new})


@audited(category="configuration", rows=2)  # schedule_change_log + service_management_log
def save_weekly_row(session: Session, actor: Actor, stylist_id: uuid.UUID, draft: WeeklyDraft,
                    row_id: uuid.UUID | None = None) -> StylistSchedule:
    """Create (row_id None) or edit one weekly row; logged with old and new values."""
    with use_case(session, lock=True):
        errors = validate_weekly(draft)
        if session.get(StylistProfile, stylist_id) is None:
            raise NotFound(message=N_("No such stylist."))
        row = None
        if row_id is not None:
            row = session.get(StylistSchedule, row_id)
            if row is None or row.stylist_user_id != stylist_id:
                raise NotFound(message=N_("No such schedule row."))
        if not errors:
            problem = _clash(session, stylist_id, draft, row_id)
            if problem:
                errors["effective_from"] = problem
        if errors:
            raise Refused(INVALID, fields=errors)
        old = _weekly_values(row) if row is not None else None
        if row is None:
            row = StylistSchedule(stylist_user_id=stylist_id)
            session.add(row)
        row.day_of_week = draft.day_of_week
        row.start_time_local, row.end_time_local = draft.start, draft.end
        row.break_start_time_local, row.break_end_time_local = draft.break_start, draft.break_end
        row.effective_from, row.effective_until = draft.effective_from, draft.effective_until
        row.is_active = draft.is_active
        session.flush()
        new = _weekly_values(row)
        _log_weekly(session, actor, stylist_id, row.id, draft.effective_from, old, new,
                    "schedule_updated" if old else "schedule_created")
    return row


@audited(category="configuration", rows=2)  # schedule_change_log + service_management_log
def delete_weekly_row(session: Session, actor: Actor, stylist_id: uuid.UUID, row_id: uuid.UUID) -> None:
    with use_case(session, lock=True):
        row = session.get(StylistSchedule, row_id)
        if row is None or row.stylist_user_id != stylist_id:
            raise NotFound(message=N_("No such schedule row."))
        old = _weekly_values(row)
        session.delete(row)
        _log_weekly(session, actor, stylist_id, row_id, row.effective_from, old, None, "schedule_deleted")


@audited(category="configuration", rows=None)  # per day: schedule_change_log + service_management_log
def apply_proposed_week(session: Session, actor: Actor, stylist_id: uuid.UUID, effective_from: date) -> int:
    """Give a stylist without weekly hours the proposed week (Sunday–Friday, Saturday off).

    Refused when the stylist already has weekly rows (edit those instead). Returns the
    number of rows written; each is logged like an edit in the weekly editor."""
    with use_case(session, lock=True):
        if session.get(StylistProfile, stylist_id) is None:
            raise NotFound(message=N_("No such stylist."))
        if session.scalar(select(StylistSchedule.id).where(StylistSchedule.stylist_user_id == stylist_id).limit(1)):
            raise Refused("WEEK_EXISTS", N_("This stylist already has weekly hours; edit them instead."))
        days = proposed_week()
        for day in days:
            row = StylistSchedule(
                stylist_user_id=stylist_id, day_of_week=day.day_of_week, start_time_local=day.start,
                end_time_local=day.end, break_start_time_local=day.break_start, break_end_time_local=day.break_end,
                effective_from=effective_from, effective_until=None, is_active=True,
            )
            session.add(row)
            session.flush()
            _log_weekly(session, actor, stylist_id, row.id, effective_from, None, _weekly_values(row),
                        "schedule_created")
    return len(days)
