"""Admin use-cases on `schedule_overrides`: closures, vacations, seasonal hours, events.

Validation mirrors the table's checks and answers per field (a `Refused` with `fields`),
writing nothing. Each change writes its `service_management_log` row (configuration)
in the same transaction and drops the cached slot days it touches.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.override_kinds import (
    BUSINESS_CLOSURE, CLOSED_TYPES, DEFAULT_PRIORITY, KINDS, STYLIST_VACATION,
)
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.schedule_layers import hours_errors
from portal.domain.translatable import N_
from portal.models import Booking, ScheduleOverride, StylistProfile
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audited, log_event


@dataclass(frozen=True)
class OverrideDraft:
    """What the admin typed. `stylist_id` None = every stylist (business-wide)."""

    override_type: str | None
    stylist_id: uuid.UUID | None
    start_date: date | None
    end_date: date | None
    start: time | None = None
    end: time | None = None
    priority: int | None = None  # None = the type's default
    reason: str | None = None

    @property
    def is_closed(self) -> bool:
        return self.override_type in CLOSED_TYPES

    @property
    def effective_priority(self) -> int:
        if self.priority is not None:
            return self.priority
        return DEFAULT_PRIORITY.get(self.override_type or "", 0)


@dataclass(frozen=True)
class AffectedBooking:
    stylist: str
    customer: str
    start: datetime
    end: datetime
    zone: str
    status: str
    booking_id: uuid.UUID | None = None


def validate(session: Session, draft: OverrideDraft) -> dict[str, str]:
    """One message per field; mirrors the checks on `schedule_overrides`."""
    errors: dict[str, str] = {}
    kind = draft.override_type
    if kind not in KINDS:
        errors["override_type"] = N_("Choose one of the four kinds.")
    if kind == BUSINESS_CLOSURE and draft.stylist_id is not None:
        errors["stylist_id"] = N_("A business closure applies to every stylist; leave the stylist empty.")
    elif kind == STYLIST_VACATION and draft.stylist_id is None:
        errors["stylist_id"] = N_("A vacation is for one stylist; choose who.")
    elif draft.stylist_id is not None and session.get(StylistProfile, draft.stylist_id) is None:
        errors["stylist_id"] = N_("No such stylist.")
    if draft.start_date is None:
        errors["start_date"] = N_("Give the first date.")
    if draft.end_date is None:
        errors["end_date"] = N_("Give the last date (the same as the first for one day).")
    elif draft.start_date is not None and draft.end_date < draft.start_date:
        errors["end_date"] = N_("The last date must not be before the first date.")
    if kind in CLOSED_TYPES:
        if draft.start is not None or draft.end is not None:
            errors["start"] = N_("A closure or vacation closes the whole day; leave the hours empty.")
    elif kind in KINDS:
        errors.update(hours_errors(draft.start, draft.end, "opening", "closing"))
    if draft.priority is not None and not 0 <= draft.priority <= 100:
        errors["priority"] = N_("The priority must be between 0 and 100.")
    if draft.reason is not None and len(draft.reason) > 500:
        errors["reason"] = N_("Keep the reason under 500 characters.")
    elif kind == BUSINESS_CLOSURE and not (draft.reason or "").strip():
        errors["reason"] = N_("Give the closure's reason: staff and customers read it (e.g. Tihar).")
    return errors


def _check(session: Session, draft: OverrideDraft) -> None:
    errors = validate(session, draft)
    if errors:
        raise Refused(INVALID, fields=errors)


def _existing(session: Session, override_id: uuid.UUID) -> ScheduleOverride:
    row = session.get(ScheduleOverride, override_id)
    if row is None:
        raise NotFound(message=N_("No such closure or override."))
    return row


def affected_bookings(session: Session, draft: OverrideDraft) -> list[AffectedBooking]:
    """The occupying bookings on the dates a closed draft covers (each stylist's own zone)."""
    if not draft.is_closed or draft.start_date is None or draft.end_date is None:
        return []
    # widen by a day each side in UTC, then keep those whose local date is inside
    lo = datetime.combine(draft.start_date - timedelta(days=1), time(), ZoneInfo("UTC"))
    hi = datetime.combine(draft.end_date + timedelta(days=2), time(), ZoneInfo("UTC"))
    stmt = (
        select(Booking, StylistProfile)
        .join(StylistProfile, StylistProfile.user_id == Booking.stylist_user_id)
        .where(Booking.start_time >= lo, Booking.start_time < hi,
               Booking.status.in_(OCCUPYING_BOOKING_STATUSES))
        .order_by(Booking.start_time, Booking.id)
    )
    if draft.stylist_id is not None:
        stmt = stmt.where(Booking.stylist_user_id == draft.stylist_id)
    found = []
    for booking, stylist in session.execute(stmt).all():
        local_day = booking.start_time.astimezone(ZoneInfo(stylist.timezone)).date()
        if draft.start_date <= local_day <= draft.end_date:
            found.append(AffectedBooking(
                stylist=stylist.display_name,
                customer=booking.customer_name or booking.customer_email or "(no name)",
                start=booking.start_time, end=booking.end_time, zone=stylist.timezone, status=booking.status,
                booking_id=booking.id,
            ))
    return found


def _values(row: ScheduleOverride) -> dict:
    return {
        "override_type": row.override_type,
        "stylist_user_id": str(row.stylist_user_id) if row.stylist_user_id else None,
        "applies_to_all_stylists": row.applies_to_all_stylists,
        "start_date": row.start_date.isoformat(), "end_date": row.end_date.isoformat(),
        "is_closed": row.is_closed,
        "start": row.override_start_time.strftime("%H:%M") if row.override_start_time else None,
        "end": row.override_end_time.strftime("%H:%M") if row.override_end_time else None,
        "priority": row.priority, "reason": row.reason,
    }


def _apply(row: ScheduleOverride, draft: OverrideDraft) -> None:
    row.override_type = draft.override_type
    row.applies_to_all_stylists = draft.stylist_id is None
    row.stylist_user_id = draft.stylist_id
    row.start_date, row.end_date = draft.start_date, draft.end_date
    row.is_closed = draft.is_closed
    row.override_start_time = None if draft.is_closed else draft.start
    row.override_end_time = None if draft.is_closed else draft.end
    row.priority = draft.effective_priority
    row.reason = (draft.reason or "").strip() or None


def add_override(session: Session, draft: OverrideDraft, created_by: uuid.UUID | None) -> ScheduleOverride:
    """The step every creation shares, inside the caller's `use_case` (no commit, no log
    row — the caller writes `override_created` with `created_details`): check and add."""
    _check(session, draft)
    row = ScheduleOverride(created_by=created_by)
    _apply(row, draft)
    session.add(row)
    session.flush()
    return row


def created_details(row: ScheduleOverride, source: str | None = None) -> dict:
    details = {"new": _values(row)}
    if source:
        details["source"] = source
    return details


def deleted_details(row: ScheduleOverride, source: str | None = None) -> dict:
    """The `override_deleted` row's details (a caller deleting inside its own use-case)."""
    details = {"old": _values(row)}
    if source:
        details["source"] = source
    return details


@audited(action="override_created", category="configuration")
def create_override(session: Session, actor: Actor, draft: OverrideDraft) -> ScheduleOverride:
    with use_case(session, lock=True):
        row = add_override(session, draft, actor.user_id)
        log_event(session, actor, action="override_created", category="configuration",
                  target_type="schedule_override", target_id=row.id, details=created_details(row))
    return row


@audited(action="override_updated", category="configuration")
def update_override(session: Session, actor: Actor, override_id: uuid.UUID, draft: OverrideDraft) -> ScheduleOverride:
    with use_case(session, lock=True):
        _check(session, draft)
        row = _existing(session, override_id)
        old = _values(row)
        _apply(row, draft)
        session.flush()
        log_event(session, actor, action="override_updated", category="configuration",
                  target_type="schedule_override", target_id=row.id, details={"old": old, "new": _values(row)})
    return row


@audited(action="override_deleted", category="configuration")
def delete_override(session: Session, actor: Actor, override_id: uuid.UUID) -> None:
    with use_case(session, lock=True):
        row = _existing(session, override_id)
        log_event(session, actor, action="override_deleted", category="configuration",
                  target_type="schedule_override", target_id=row.id, details=deleted_details(row))
        session.delete(row)


def list_overrides(session: Session, today: date, override_type: str | None = None,
                   stylist_id: uuid.UUID | None = None, business_wide: bool = False) -> list[ScheduleOverride]:
    """Upcoming and current first (by start date), then past ones (latest first)."""
    past = ScheduleOverride.end_date < today
    stmt = select(ScheduleOverride).order_by(
        case((past, 1), else_=0),
        case((past, None), else_=ScheduleOverride.start_date),
        ScheduleOverride.end_date.desc(), ScheduleOverride.created_at, ScheduleOverride.id,
    )
    if override_type:
        stmt = stmt.where(ScheduleOverride.override_type == override_type)
    if stylist_id is not None:
        stmt = stmt.where(ScheduleOverride.stylist_user_id == stylist_id)
    elif business_wide:
        stmt = stmt.where(ScheduleOverride.applies_to_all_stylists)
    return list(session.scalars(stmt).all())


@dataclass(frozen=True)
class OverridePage:
    rows: list[ScheduleOverride]
    page: int
    has_next: bool
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """The number of the page's first row in the whole list (1-based)."""
        return (self.page - 1) * self.per_page + 1


def override_page(session: Session, today: date, *, past: bool = False, page: int = 1, per_page: int = 25,
                  override_type: str | None = None, stylist_id: uuid.UUID | None = None) -> OverridePage:
    """One page of the schedules list: current and upcoming changes by start date, or
    (`past`) those that ended before `today`, the latest first."""
    ended = ScheduleOverride.end_date < today
    stmt = select(ScheduleOverride).where(ended if past else ~ended)
    if override_type:
        stmt = stmt.where(ScheduleOverride.override_type == override_type)
    if stylist_id is not None:
        stmt = stmt.where(ScheduleOverride.stylist_user_id == stylist_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if past:
        stmt = stmt.order_by(ScheduleOverride.end_date.desc(), ScheduleOverride.start_date.desc(), ScheduleOverride.id)
    else:
        stmt = stmt.order_by(ScheduleOverride.start_date, ScheduleOverride.end_date, ScheduleOverride.created_at,
                             ScheduleOverride.id)
    found = list(session.scalars(stmt.offset((page - 1) * per_page).limit(per_page + 1)))
    return OverridePage(found[:per_page], page, len(found) > per_page, total, per_page)
