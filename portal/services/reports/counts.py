"""The reports' counting, done by the database: each figure one `GROUP BY` statement over
the bookings that start in the period (salon dates), never the bookings themselves.

- `totals`: bookings by status and source, with the completed ones' revenue;
- `cancellations`: cancelled bookings by who cancelled (the portal's log, `domain.reports`);
- `hours`: per local hour of the period, the bookings that took a chair (all but
  cancelled), the completed ones and their revenue — from which `revenue_days` and
  `busy_hours` (weekday × hour) add up at most 24 rows a day;
- `top_services`: the same bookings per service, with the completed ones' revenue.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from portal.domain import reports
from portal.models import Booking, Service, ServiceManagementLog
from portal.services.reports.local_clock import LocalClock, as_hour


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
    # one probe of the log per cancelled booking: 2 = a row with a signed-in person (staff),
    # 1 = only rows without one (the customer's link), NULL = no row (the public site)
    says_cancelled = or_(*(log.action == action if to is None
                           else and_(log.action == action, log.details["to"].as_string() == to)
                           for action, to in reports.CANCELLATION_ROWS))
    said = (select(func.max(case((log.admin_user_id.is_(None), 1), else_=2)))
            .where(log.target_id == Booking.id, log.target_type == "booking", says_cancelled)
            .scalar_subquery())
    cancelled = select(said.label("said")).where(*scope.where(), Booking.status == reports.CANCELLED).subquery()
    found = dict.fromkeys(reports.CANCELLED_BY, 0)
    for said_value, n in session.execute(select(cancelled.c.said, func.count()).group_by(cancelled.c.said)):
        found[reports.cancelled_by(said_value == 2, said_value == 1)] += int(n)
    return found


@dataclass(frozen=True)
class HourRow:
    hour: datetime      # the local hour's start (naive, the salon's clock)
    chair: int          # bookings that took a chair (all but cancelled)
    completed: int
    revenue_cents: int  # of the completed ones


def hours(session: Session, scope: Scope) -> list[HourRow]:
    """The period's bookings per local hour of their start: one scan for the revenue per day
    and the weekday × hour map (at most 24 rows a day come back)."""
    hour = scope.clock.hour(Booking.start_time)
    done = Booking.status == reports.COMPLETED
    rows = session.execute(
        select(hour, func.sum(case((Booking.status != reports.CANCELLED, 1), else_=0)),
               func.sum(case((done, 1), else_=0)), func.sum(case((done, Booking.price_cents), else_=0)))
        .where(*scope.where()).group_by(hour)
    )
    return [HourRow(as_hour(h), int(chair or 0), int(n or 0), int(cents or 0)) for h, chair, n, cents in rows]


def revenue_days(rows: list[HourRow]) -> dict[date, tuple[int, int]]:
    """{salon date: (completed bookings, revenue in paisa)} for the dates that have any."""
    found: dict[date, tuple[int, int]] = {}
    for row in rows:
        if row.completed:
            n, cents = found.get(row.hour.date(), (0, 0))
            found[row.hour.date()] = (n + row.completed, cents + row.revenue_cents)
    return found


def busy_hours(rows: list[HourRow]) -> dict[tuple[int, int], int]:
    """{(weekday 0 = Sunday, hour): bookings that took a chair} by their start on the salon's clock."""
    found: dict[tuple[int, int], int] = {}
    for row in rows:
        if row.chair:
            key = (row.hour.isoweekday() % 7, row.hour.hour)
            found[key] = found.get(key, 0) + row.chair
    return found


@dataclass(frozen=True)
class ServiceRow:
    service_id: uuid.UUID
    name: str
    bookings: int
    completed: int
    revenue_cents: int
    name_ne: str | None = None

    def name_in(self, language: str) -> str:
        """As `Service.name_in`: the Nepali name on Nepali pages when it is set."""
        return self.name_ne if language == "ne" and self.name_ne else self.name


def top_services(session: Session, scope: Scope, limit: int = reports.TOP_SERVICES) -> list[ServiceRow]:
    done = Booking.status == reports.COMPLETED
    bookings = func.count()
    rows = session.execute(
        select(Service.id, Service.name, Service.name_ne, bookings,
               func.coalesce(func.sum(case((done, 1), else_=0)), 0),
               func.coalesce(func.sum(case((done, Booking.price_cents), else_=0)), 0))
        .join(Service, Service.id == Booking.service_id)
        .where(*scope.where(), Booking.status != reports.CANCELLED)
        .group_by(Service.id, Service.name, Service.name_ne)
        .order_by(bookings.desc(), Service.name, Service.id)
        .limit(limit)
    )
    return [ServiceRow(sid, name, int(n), int(c), int(cents), name_ne) for sid, name, name_ne, n, c, cents in rows]
