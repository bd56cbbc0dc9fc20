"""The reports' counting, done by the database: each figure one `GROUP BY` statement over
the bookings that start in the period (salon dates), never the bookings themselves.

- `totals`: bookings by status and source, with the completed ones' revenue;
- `cancellations`: cancelled bookings by who cancelled (the portal's log, `domain.reports`);
- `revenue_days`: completed bookings and revenue per salon date;
- `busy_hours`: bookings that took a chair (all but cancelled) per weekday × hour;
- `top_services`: the same bookings per service, with the completed ones' revenue.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from portal.domain import reports
from portal.models import Booking, Service, ServiceManagementLog
from portal.services.reports.local_clock import LocalClock, as_date


@dataclass(frozen=True)
class Scope:
    """What a report counts: bookings starting in `[lo, hi)` (the period's salon dates),
    optionally of one stylist and/or one service."""

    lo: datetime
    hi: datetime
    clock: LocalClock
    stylist_id: uuid.UUID | None = None
    service_id: uuid.UUID | None = None

    def where(self) -> list:
        found = [Booking.start_time >= self.lo, Booking.start_time < self.hi]
        if self.stylist_id is not None:
            found.append(Booking.stylist_user_id == self.stylist_id)
        if self.service_id is not None:
            found.append(Booking.service_id == self.service_id)
        return found


@dataclass(frozen=True)
class TotalsRow:
    status: str
    source: str
    bookings: int
    revenue_cents: int


def _source():
    """bookings.source (the front desk's column: 'online' | 'phone' | 'walk_in')."""
    return Booking.source


def totals(session: Session, scope: Scope) -> list[TotalsRow]:
    completed_price = case((Booking.status == reports.COMPLETED, Booking.price_cents), else_=0)
    rows = session.execute(
        select(Booking.status, _source(), func.count(), func.coalesce(func.sum(completed_price), 0))
        .where(*scope.where()).group_by(Booking.status, _source())
    )
    return [TotalsRow(status, source, int(n), int(cents)) for status, source, n, cents in rows]


def cancellations(session: Session, scope: Scope) -> dict[str, int]:
    log = ServiceManagementLog
    said = and_(log.target_type == "booking", log.target_id == Booking.id,
                log.action.in_(reports.CANCELLATION_ACTIONS))
    cancelled = (
        select(exists().where(said, log.admin_user_id.is_not(None)).label("staff"),
               exists().where(said, log.admin_user_id.is_(None)).label("link"))
        .where(*scope.where(), Booking.status == reports.CANCELLED)
    ).subquery()
    found = dict.fromkeys(reports.CANCELLED_BY, 0)
    for staff, link, n in session.execute(
            select(cancelled.c.staff, cancelled.c.link, func.count()).group_by(cancelled.c.staff, cancelled.c.link)):
        found[reports.cancelled_by(bool(staff), bool(link))] += int(n)
    return found


def revenue_days(session: Session, scope: Scope) -> dict[date, tuple[int, int]]:
    """{salon date: (completed bookings, revenue in paisa)} for the dates that have any."""
    day = scope.clock.date(Booking.start_time)
    rows = session.execute(
        select(day, func.count(), func.sum(Booking.price_cents))
        .where(*scope.where(), Booking.status == reports.COMPLETED).group_by(day)
    )
    return {as_date(d): (int(n), int(cents)) for d, n, cents in rows}


def busy_hours(session: Session, scope: Scope) -> dict[tuple[int, int], int]:
    """{(weekday 0 = Sunday, hour): bookings} by their start on the salon's clock."""
    weekday, hour = scope.clock.weekday(Booking.start_time), scope.clock.hour(Booking.start_time)
    rows = session.execute(
        select(weekday, hour, func.count())
        .where(*scope.where(), Booking.status != reports.CANCELLED).group_by(weekday, hour)
    )
    return {(int(w), int(h)): int(n) for w, h, n in rows}


@dataclass(frozen=True)
class ServiceRow:
    service_id: uuid.UUID
    name: str
    bookings: int
    completed: int
    revenue_cents: int


def top_services(session: Session, scope: Scope, limit: int = reports.TOP_SERVICES) -> list[ServiceRow]:
    done = Booking.status == reports.COMPLETED
    bookings = func.count()
    rows = session.execute(
        select(Service.id, Service.name, bookings,
               func.coalesce(func.sum(case((done, 1), else_=0)), 0),
               func.coalesce(func.sum(case((done, Booking.price_cents), else_=0)), 0))
        .join(Service, Service.id == Booking.service_id)
        .where(*scope.where(), Booking.status != reports.CANCELLED)
        .group_by(Service.id, Service.name)
        .order_by(bookings.desc(), Service.name, Service.id)
        .limit(limit)
    )
    return [ServiceRow(sid, name, int(n), int(c), int(cents)) for sid, name, n, c, cents in rows]
