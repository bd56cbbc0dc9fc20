"""Read-only queries behind the time-off pages (the service `portal.services.leave.time_off` writes).

- lists: the stylist's own requests, the admins' list (waiting first), home-page entries;
- a request's page: the bookings it falls on (the vacation form's impact preview,
  `overrides.affected_bookings`) and the per-day cover from the effective schedule's
  layering (`day_window`, as the slots use it), the request's own vacation left out so
  the numbers read the same before and after approval.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session, aliased

from portal import clock
from portal.domain import time_off as rules
from portal.domain.override_kinds import STYLIST_VACATION
from portal.domain.schedule_layers import day_window
from portal.models import ScheduleOverride, StylistProfile, TimeOffRequest, UserProfile
from portal.services.leave.time_off import stylist_today
from portal.services.scheduling import overrides
from portal.services.scheduling.schedule_rows import override_row
from portal.services.scheduling.schedules import base_rows, overrides_in_scope, stylists

UTC = timezone.utc
HOME_LIMIT = 8


@dataclass(frozen=True)
class Listed:
    request: TimeOffRequest
    stylist: str
    decided_by: str | None


def _listing(session: Session, stmt) -> list[Listed]:
    decider = aliased(UserProfile)
    stmt = (stmt.add_columns(StylistProfile.display_name, decider.display_name)
            .join(StylistProfile, StylistProfile.user_id == TimeOffRequest.stylist_user_id)
            .outerjoin(decider, decider.id == TimeOffRequest.decided_by))
    return [Listed(r, name, by) for r, name, by in
            session.execute(stmt.execution_options(populate_existing=True)).tuples()]


def own_requests(session: Session, stylist_id: uuid.UUID) -> list[Listed]:
    """The stylist's requests, the latest days first."""
    return _listing(session, select(TimeOffRequest).where(TimeOffRequest.stylist_user_id == stylist_id)
                    .order_by(TimeOffRequest.start_date.desc(), TimeOffRequest.created_at.desc(), TimeOffRequest.id))


def admin_list(session: Session, state: str | None = None) -> list[Listed]:
    """Waiting requests first (soonest days first), then the rest (latest days first)."""
    waiting_first = case((TimeOffRequest.status == rules.WAITING, 0), else_=1)
    stmt = select(TimeOffRequest).order_by(
        waiting_first, case((TimeOffRequest.status == rules.WAITING, TimeOffRequest.start_date), else_=None),
        TimeOffRequest.start_date.desc(), TimeOffRequest.id)
    if state in rules.STATES:
        stmt = stmt.where(TimeOffRequest.status == state)
    return _listing(session, stmt)


def state_counts(session: Session) -> dict[str, int]:
    counts = dict.fromkeys(rules.STATES, 0)
    rows = session.execute(select(TimeOffRequest.status, func.count()).group_by(TimeOffRequest.status))
    counts.update({status: n for status, n in rows})
    return counts


def waiting(session: Session, limit: int = HOME_LIMIT) -> tuple[list[Listed], int]:
    """The admin home page's entries: the first waiting requests, and how many wait."""
    total = session.scalar(select(func.count()).select_from(TimeOffRequest)
                           .where(TimeOffRequest.status == rules.WAITING)) or 0
    rows = _listing(session, select(TimeOffRequest).where(TimeOffRequest.status == rules.WAITING)
                    .order_by(TimeOffRequest.start_date, TimeOffRequest.created_at, TimeOffRequest.id).limit(limit))
    return rows, int(total)


def home_decisions(session: Session, stylist_id: uuid.UUID, now: datetime | None = None) -> list[Listed]:
    """The stylist's home page: waiting requests, and those decided (or cancelled) in the last 30 days."""
    since = (now or clock.now()) - timedelta(days=rules.DECISIONS_SHOWN_DAYS)
    return _listing(session, select(TimeOffRequest).where(
        TimeOffRequest.stylist_user_id == stylist_id,
        or_(TimeOffRequest.status == rules.WAITING, TimeOffRequest.decided_at >= since, TimeOffRequest.ended_at >= since),
        TimeOffRequest.status != rules.WITHDRAWN,
    ).order_by(TimeOffRequest.start_date, TimeOffRequest.id).limit(HOME_LIMIT))


def cover(session: Session, row: TimeOffRequest) -> list[rules.DayCover]:
    """For each day of the request: stylists working by the effective schedule (its own
    vacation left out), and how many still would with the request approved."""
    first, last = row.start_date, row.end_date
    days = [first + timedelta(days=i) for i in range(rules.days_in(first, last))]
    scheduled: dict[date, int] = defaultdict(int)
    requester: set[date] = set()
    for profile in stylists(session, active_only=True):
        bases = base_rows(session, profile.user_id)
        layers = [override_row(o) for o in overrides_in_scope(session, profile.user_id, first, last)
                  if o.id != row.vacation_override_id]
        for day in days:
            if day_window(day, bases, layers).window is not None:
                scheduled[day] += 1
                if profile.user_id == row.stylist_user_id:
                    requester.add(day)
    asked: dict[date, list[str]] = defaultdict(list)
    for other, name in session.execute(
            select(TimeOffRequest, StylistProfile.display_name)
            .join(StylistProfile, StylistProfile.user_id == TimeOffRequest.stylist_user_id)
            .where(TimeOffRequest.status == rules.WAITING, TimeOffRequest.id != row.id,
                   TimeOffRequest.start_date <= last, TimeOffRequest.end_date >= first)
            .order_by(StylistProfile.display_name)).tuples():
        for day in days:
            if other.start_date <= day <= other.end_date:
                asked[day].append(name)
    return [rules.DayCover(day=d, scheduled=scheduled[d], still=scheduled[d] - (d in requester),
                           requester_works=d in requester, also_asked=tuple(asked[d])) for d in days]


@dataclass(frozen=True)
class RequestPage:
    request: TimeOffRequest
    stylist: StylistProfile
    decided_by: str | None
    ended_by: str | None
    vacation: ScheduleOverride | None
    affected: list[overrides.AffectedBooking]
    cover: list[rules.DayCover]
    can_cancel: bool  # approved and not begun


def request_page(session: Session, request_id: uuid.UUID, now: datetime | None = None) -> RequestPage | None:
    row = session.get(TimeOffRequest, request_id, populate_existing=True)
    if row is None:
        return None
    profile = session.get(StylistProfile, row.stylist_user_id)
    names = {u.id: u.display_name for u in session.scalars(select(UserProfile).where(
        UserProfile.id.in_([i for i in (row.decided_by, row.ended_by) if i is not None])))}
    vacation = session.get(ScheduleOverride, row.vacation_override_id) if row.vacation_override_id else None
    affected = overrides.affected_bookings(session, overrides.OverrideDraft(
        override_type=STYLIST_VACATION, stylist_id=row.stylist_user_id, start_date=row.start_date,
        end_date=row.end_date))
    today = stylist_today(profile, now or clock.now())
    return RequestPage(request=row, stylist=profile, decided_by=names.get(row.decided_by),
                       ended_by=names.get(row.ended_by), vacation=vacation, affected=affected,
                       cover=cover(session, row),
                       can_cancel=row.status == rules.APPROVED and row.start_date > today)
