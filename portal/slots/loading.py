"""Loading one day's rows from the database and planning it (availability.md §1–§5).

:func:`load_day` reads what one (stylist, service, date) needs — at most four queries
whatever the size of the stylist's history, each an index lookup — and returns a
:class:`LoadedDay`: the :class:`~portal.slots.plan.DayPlan` (everything about that day
that does not depend on ``now``) and the occupancy span it depends on. The request-time
rules and the camelCase rendering are `portal.slots.plan`'s. The queries run on any
SQLAlchemy session or connection (the request's session, or the store's own connection
on a miss), on either engine: nothing here depends on which.

A plan is invalidated by any write to the tables it was read from; "is the service
offered / is the stylist active" lives inside it (no offer → no slots), so it is
re-evaluated whenever those rows change.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    Date, SmallInteger, bindparam, literal, null, or_, select, text, type_coerce, union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.domain import refusals
from portal.domain.availability import (
    BaseRow, Occupancy, OverrideRow, day_window, local_instant,
    plan_day, weekday_sunday0,
)
from portal.domain.schedule_layers import DayWindow
from portal.models import (
    Booking, BookingReservation, ScheduleOverride, Service, StylistProfile, StylistSchedule,
    StylistService,
)
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.models.types import GUID, LongerThanADay, UTCDateTime
from portal.services.scheduling import schedule_rows
from portal.slots.plan import DayPlan

UTC = timezone.utc
logger = logging.getLogger(__name__)
# Occupancies longer than this are found through the partial "long" indexes
# (migration 0003a); shorter ones through (stylist_user_id, start_time).
LONG_OCCUPANCY = timedelta(hours=24)
# Dates this far out are never bookable; refusing them keeps instant arithmetic
# clear of datetime's year 1 / year 9999 edges.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 12, 31)


class NotFound(refusals.NotFound):
    """No stylist or no service with the requested id (`fields` names the parameter)."""


@dataclass(frozen=True)
class LoadedDay:
    """A day's plan and what it was made from.

    ``span``: the instants [lo, hi] whose occupancies the plan depends on (the working
    window widened by the buffer), None when the day has no window. ``bookable``: False
    when the date was outside the bookable range at load time (nothing else was read;
    such a plan is answered ``[]`` and never cached). ``offer``, ``window``,
    ``occupancies``: the rows it was planned from (a miss plans the date's other
    services from the same rows).
    """

    plan: DayPlan
    span: tuple[datetime, datetime] | None = None
    bookable: bool = True
    offer: Offer | None = None
    window: DayWindow | None = None
    occupancies: tuple[Occupancy, ...] = ()


def load_day(
    session: Session | Connection, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date, interval_minutes: int,
    now: datetime | None = None,
) -> LoadedDay:
    """Read the day's rows (≤ 4 queries) and plan its slots; raises :class:`NotFound`.
    Given ``now``, a date outside the bookable range stops after the first query
    (slots-api.md "Dates outside")."""
    offer = load_offer(session, stylist_id, service_id)  # query 1
    empty = DayPlan(offer.timezone, offer.price_cents, offer.min_advance_hours, offer.max_advance_days, ())
    if not offer.offered or not (FIRST_DAY <= day <= LAST_DAY) or not known_zone(offer.timezone, stylist_id):
        return LoadedDay(empty)
    if now is not None and not empty.bookable_on(day, now):
        return LoadedDay(empty, bookable=False)
    base_rows = _load_base_rows(session, stylist_id, day)  # query 2
    overrides = _load_overrides(session, stylist_id, day)  # query 3
    window = day_window(day, base_rows, overrides)
    span = occupancy_span(day, offer.timezone, window, offer.buffer_minutes)
    if span is None:
        return LoadedDay(empty, offer=offer, window=window)
    occupancies = load_occupancies(session, stylist_id, *span)  # query 4
    return plan_offer_day(day, offer, window, occupancies, interval_minutes)


def occupancy_span(day: date, tz: str, window: DayWindow, buffer_minutes: int) -> tuple[datetime, datetime] | None:
    """The instants whose occupancies can change the day's slots (§5), or None."""
    if window.window is None:
        return None
    buffer = timedelta(minutes=buffer_minutes)
    return local_instant(day, window.window[0], tz) - buffer, local_instant(day, window.window[1], tz) + buffer


def plan_offer_day(day: date, offer: Offer, window: DayWindow, occupancies: list[Occupancy],
                   interval_minutes: int) -> LoadedDay:
    """The pure engine for one day of one offer (shared by the loaders and warming)."""
    plan = DayPlan(offer.timezone, offer.price_cents, offer.min_advance_hours, offer.max_advance_days, ())
    span = occupancy_span(day, offer.timezone, window, offer.buffer_minutes)
    if span is None:
        return LoadedDay(plan, offer=offer, window=window)
    slots = plan_day(day, offer.timezone, window, offer.duration_minutes, offer.buffer_minutes, occupancies,
                     interval_minutes)
    return LoadedDay(DayPlan(offer.timezone, offer.price_cents, offer.min_advance_hours,
                             offer.max_advance_days, tuple(slots)), span, offer=offer, window=window,
                     occupancies=tuple(occupancies))


def load_day_rows(
    session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date
) -> tuple[Offer, list[BaseRow], list[OverrideRow]]:
    """The offer, base rows and overrides :func:`load_day` reads for ``day`` (the
    slot troubleshooter explains the day from the same rows); raises :class:`NotFound`."""
    offer = load_offer(session, stylist_id, service_id)
    return offer, _load_base_rows(session, stylist_id, day), _load_overrides(session, stylist_id, day)


def known_zone(name: str, stylist_id: uuid.UUID) -> bool:
    """A stylist zone other clients wrote that zoneinfo cannot load means no slots
    (logged), never a 500."""
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        logger.error("stylist %s has an unknown time zone %r: no slots offered", stylist_id, name)
        return False


# --- the queries -------------------------------------------------------------------
# Built once as Core statements with named parameters: per request only the values
# change (statement construction was most of the Python cost of a request).

_sp, _sv, _ss = StylistProfile.__table__, Service.__table__, StylistService.__table__
_sched, _ov = StylistSchedule.__table__, ScheduleOverride.__table__
_bk, _hd = Booking.__table__, BookingReservation.__table__
_S = bindparam("stylist_id", type_=GUID())
_V = bindparam("service_id", type_=GUID())
_D = bindparam("day", type_=Date())

_anchor = select(literal(1).label("one")).subquery("anchor")
OFFER_QUERY = select(
    _sp.c.user_id, _sp.c.timezone, _sp.c.booking_buffer_minutes, _sp.c.is_active,
    _sv.c.id, _sv.c.duration_minutes, _sv.c.base_price_cents, _sv.c.min_advance_hours,
    _sv.c.max_advance_days, _sv.c.is_active.label("service_active"),
    _ss.c.id.label("offer_id"), _ss.c.custom_price_cents, _ss.c.custom_duration_minutes,
    _ss.c.is_available,
).select_from(
    _anchor.outerjoin(_sp, _sp.c.user_id == _S)
    .outerjoin(_sv, _sv.c.id == _V)
    .outerjoin(_ss, (_ss.c.stylist_user_id == _S) & (_ss.c.service_id == _V))
)

BASE_ROWS_QUERY = select(
    _sched.c.start_time_local, _sched.c.end_time_local, _sched.c.break_start_time_local,
    _sched.c.break_end_time_local, _sched.c.effective_from, _sched.c.effective_until,
).where(
    _sched.c.stylist_user_id == _S, _sched.c.day_of_week == bindparam("weekday", type_=SmallInteger()),
    _sched.c.is_active, _sched.c.effective_from <= _D,
    or_(_sched.c.effective_until.is_(None), _sched.c.effective_until >= _D),
)

_override_columns = (
    _ov.c.id, _ov.c.override_type, _ov.c.applies_to_all_stylists, _ov.c.start_date, _ov.c.end_date,
    _ov.c.is_closed, _ov.c.override_start_time, _ov.c.override_end_time, _ov.c.priority,
    _ov.c.created_at, _ov.c.reason,
)
OVERRIDES_QUERY = union_all(
    select(*_override_columns).where(_ov.c.stylist_user_id == _S, _ov.c.start_date <= _D, _ov.c.end_date >= _D),
    # the bare column matches the partial index's predicate on both engines
    select(*_override_columns).where(text("applies_to_all_stylists"), _ov.c.start_date <= _D, _ov.c.end_date >= _D),
)


def _occupancy_query():
    lo = bindparam("lo", type_=UTCDateTime())
    hi = bindparam("hi", type_=UTCDateTime())
    since = bindparam("since", type_=UTCDateTime())

    def branches(table, kind: str, status_filter, expires):
        columns = (literal(kind).label("kind"), table.c.start_time.label("start_time"),
                   table.c.end_time.label("end_time"), expires.label("expires_at"))
        recent = select(*columns).where(
            table.c.stylist_user_id == _S, status_filter,
            table.c.start_time >= since, table.c.start_time < hi, table.c.end_time > lo,
        )
        long_ago = select(*columns).where(
            table.c.stylist_user_id == _S, status_filter, LongerThanADay(),
            table.c.end_time > lo, table.c.start_time < since,
        )
        return recent, long_ago

    return union_all(
        *branches(_hd, "hold", _hd.c.status == "reserved", _hd.c.expires_at),
        *branches(_bk, "booking", _bk.c.status.in_(OCCUPYING_BOOKING_STATUSES),
                  type_coerce(null(), UTCDateTime())),
    )


OCCUPANCY_QUERY = _occupancy_query()


@dataclass(frozen=True)
class Offer:
    timezone: str
    buffer_minutes: int
    offered: bool
    duration_minutes: int
    price_cents: int
    min_advance_hours: int
    max_advance_days: int


def load_offer(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID) -> Offer:
    """Stylist, service and their offer in one row (primary-key / unique lookups)."""
    row = session.execute(OFFER_QUERY, {"stylist_id": stylist_id, "service_id": service_id}).one()
    if row.user_id is None:
        raise NotFound(None, "No stylist with this id", {"stylistId": "not found"})
    if row.id is None:
        raise NotFound(None, "No service with this id", {"serviceId": "not found"})
    offered = bool(row.is_active and row.service_active and row.offer_id is not None and row.is_available)
    return Offer(
        timezone=row.timezone,
        buffer_minutes=row.booking_buffer_minutes,
        offered=offered,
        duration_minutes=schedule_rows.duration_minutes(row.custom_duration_minutes, row.duration_minutes),
        price_cents=schedule_rows.price_cents(row.custom_price_cents, row.base_price_cents),
        min_advance_hours=row.min_advance_hours,
        max_advance_days=row.max_advance_days,
    )


def _load_base_rows(session: Session, stylist_id: uuid.UUID, day: date) -> list[BaseRow]:
    """The weekday's active base rows in force on ``day`` (unique index prefix)."""
    weekday = weekday_sunday0(day)
    rows = session.execute(BASE_ROWS_QUERY, {"stylist_id": stylist_id, "weekday": weekday, "day": day})
    return [schedule_rows.base_row(r, weekday) for r in rows]


def _load_overrides(session: Session, stylist_id: uuid.UUID, day: date) -> list[OverrideRow]:
    """Overrides covering ``day``: the stylist's own, then the business-wide ones."""
    rows = session.execute(OVERRIDES_QUERY, {"stylist_id": stylist_id, "day": day})
    return [schedule_rows.override_row(r) for r in rows]


def load_occupancies(session: Session, stylist_id: uuid.UUID, lo: datetime, hi: datetime) -> list[Occupancy]:
    """The stylist's occupying bookings and reserved holds overlapping (lo, hi), any service.

    One UNION ALL of four index range scans: rows starting within
    [lo − 24 h, hi) through (stylist_user_id, start_time), and rows longer than 24 h
    that started earlier through the partial (stylist_user_id, end_time) indexes.
    Hold expiry is left to request time (``expires_at`` is returned).
    """
    rows = session.execute(
        OCCUPANCY_QUERY, {"stylist_id": stylist_id, "lo": lo, "hi": hi, "since": lo - LONG_OCCUPANCY}
    )
    return [
        Occupancy(start=r.start_time, end=r.end_time, kind=r.kind, expires_at=r.expires_at)
        for r in rows
    ]


def offering_stylists(session, service_id: uuid.UUID) -> list[uuid.UUID]:
    """The active stylists who offer the service (the front desk's "any stylist")."""
    return list(session.scalars(
        select(_ss.c.stylist_user_id).join(_sp, _sp.c.user_id == _ss.c.stylist_user_id)
        .where(_ss.c.service_id == service_id, _ss.c.is_available, _sp.c.is_active)
        .order_by(_ss.c.stylist_user_id)))
