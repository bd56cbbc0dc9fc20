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
from portal.domain import override_kinds
from portal.domain.refusals import NotFound, Refused
from portal.domain.schedule_layers import BaseRow, DayWindow, OverrideRow, day_window, hours_errors
from portal.models import (
    ScheduleChangeLog, ScheduleOverride, StylistProfile, StylistSchedule,
)
from portal.services.audit import audited, log_event
from portal.services.schedule_rows import base_row, override_row

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


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


def override_label(o: OverrideRow) -> str:
    name = o.reason or override_kinds.label(o.override_type)
    return f"{name} ({o.priority})"


def explain(window: DayWindow) -> str:
    """Why the day has its hours: "Dashain closure (100) beat Winter hours (10)"."""
    if window.winner is None:
        return "base schedule" if window.verdict == "base schedule" else "day off"
    text = override_label(window.winner)
    if window.beaten:
        text += " beat " + ", ".join(override_label(o) for o in window.beaten)
    if window.verdict == "day off":
        text += " — business-wide hours do not open a day off"
    return text


def hours_text(window: DayWindow) -> str:
    if window.window is None:
        return "Closed" if window.verdict == "closed" else "Day off"
    text = f"{window.window[0]:%H:%M}–{window.window[1]:%H:%M}"
    if window.break_:
        text += f" (break {window.break_[0]:%H:%M}–{window.break_[1]:%H:%M})"
    return text


def weekly_rows(session: Session, stylist_id: uuid.UUID) -> list[StylistSchedule]:
    return list(session.scalars(
        select(StylistSchedule).where(StylistSchedule.stylist_user_id == stylist_id)
        .order_by(StylistSchedule.day_of_week, StylistSchedule.effective_from)
    ).all())


def stylists(session: Session) -> list[StylistProfile]:
    return list(session.scalars(select(StylistProfile).order_by(StylistProfile.display_name)).all())


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
        errors["day_of_week"] = "Choose a day of the week."
    errors.update(hours_errors(draft.start, draft.end))
    if (draft.break_start is None) != (draft.break_end is None):
        errors["break_end" if draft.break_end is None else "break_start"] = (
            "Give both break times, or neither."
        )
    elif draft.break_start is not None and draft.break_end is not None:
        if draft.break_end <= draft.break_start:
            errors["break_end"] = "The break must end after it starts."
        elif draft.start and draft.end and not (draft.start <= draft.break_start and draft.break_end <= draft.end):
            errors["break_start"] = "The break must lie inside the working hours."
    if draft.effective_from is None:
        errors["effective_from"] = "Give the first date this row applies."
    elif draft.effective_until is not None and draft.effective_until < draft.effective_from:
        errors["effective_until"] = "The last date must not be before the first date."
    return errors


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
        old_values=old, new_values=new, reason=action.replace("_", " "), is_emergency=False,
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
            raise NotFound(message="No such stylist.")
        row = None
        if row_id is not None:
            row = session.get(StylistSchedule, row_id)
            if row is None or row.stylist_user_id != stylist_id:
                raise NotFound(message="No such schedule row.")
        if not errors:
            clash = session.scalar(select(StylistSchedule.id).where(
                StylistSchedule.stylist_user_id == stylist_id,
                StylistSchedule.day_of_week == draft.day_of_week,
                StylistSchedule.effective_from == draft.effective_from,
                StylistSchedule.id != (row_id or uuid.UUID(int=0)),
            ))
            if clash is not None:
                errors["effective_from"] = (
                    f"{DAY_NAMES[draft.day_of_week]} already has a row starting on {draft.effective_from}; "
                    "edit that one."
                )
        if errors:
            raise Refused.on_fields(errors)
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
            raise NotFound(message="No such schedule row.")
        old = _weekly_values(row)
        session.delete(row)
        _log_weekly(session, actor, stylist_id, row_id, row.effective_from, old, None, "schedule_deleted")
