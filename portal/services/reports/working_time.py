"""Utilisation per stylist: booked minutes clipped to working time ÷ working minutes.

Working time comes from the effective schedule — `schedule_layers.day_window` fed by
`schedule_rows` from the database, the same layering as the effective-schedule view
(`services.scheduling.schedules.effective_days`), only read for all stylists at once (two
statements instead of two per stylist). Each stylist-day gives 0–2 working intervals
(the window less its break; `domain.reports.working_intervals`).

Booked minutes are counted by the database, in one statement that clips each booking
that took a chair (all but cancelled; no-shows count) to the working intervals it meets
and caps each interval's sum at the interval's length (history statuses may overlap):

- PostgreSQL: the intervals arrive as one JSON array (`jsonb_to_recordset`, instants as
  epoch seconds); one range scan of the period's bookings (`ix_bookings_start`, from 24
  hours before; the rare longer bookings through the long-occupancy index) is
  hash-joined to them on (stylist, UTC day) — no time-zone conversion per booking; a
  booking crossing midnight UTC also meets the intervals starting on a later day it
  reaches (see `_booked_minutes`);
- SQLite: the intervals arrive as one JSON array (`json_each`), each joined to its
  stylist's bookings through `(stylist_user_id, start_time)`.
"""
from __future__ import annotations

import json
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from portal.database import for_engine
from portal.domain import reports
from portal.domain.schedule_layers import DayWindow, day_window
from portal.models import ScheduleOverride, StylistProfile, StylistSchedule
from portal.models.types import SQLITE_TIMESTAMP_FORMAT
from portal.services.scheduling.schedule_rows import base_row, override_row
from portal.zones import is_time_zone

REACH = timedelta(hours=24)  # bookings longer than this are found through the long-occupancy index


@dataclass(frozen=True)
class StylistUse:
    stylist_id: uuid.UUID
    name: str
    booked_minutes: int
    working_minutes: int

    @property
    def share(self) -> float | None:
        return reports.utilisation(self.booked_minutes, self.working_minutes)


def schedule_days(session: Session, stylists: list[StylistProfile], first: date,
                  last: date) -> dict[uuid.UUID, list[DayWindow]]:
    """`day_window` for every stylist and date of [first, last] (what `effective_days` answers per stylist)."""
    ids = [s.user_id for s in stylists]
    bases = defaultdict(list)
    # plain rows (no ORM objects): `schedule_rows` reads the columns by name either way
    for row in session.execute(select(*StylistSchedule.__table__.c).where(StylistSchedule.stylist_user_id.in_(ids))):
        bases[row.stylist_user_id].append(base_row(row))
    shared, own = [], defaultdict(list)
    for row in session.execute(select(*ScheduleOverride.__table__.c).where(
            or_(ScheduleOverride.stylist_user_id.in_(ids), ScheduleOverride.applies_to_all_stylists),
            ScheduleOverride.start_date <= last, ScheduleOverride.end_date >= first,
    ).order_by(ScheduleOverride.start_date, ScheduleOverride.created_at)):
        (shared if row.applies_to_all_stylists else own[row.stylist_user_id]).append(override_row(row))
    dates = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return {sid: [day_window(d, bases[sid], own[sid] + shared) for d in dates] for sid in ids}


def _zone(stylist: StylistProfile) -> str:
    return stylist.timezone if is_time_zone(stylist.timezone) else "UTC"


def utilisation(session: Session, stylists: list[StylistProfile], first: date, last: date,
                service_id: uuid.UUID | None = None) -> list[StylistUse]:
    """Each stylist's booked and working minutes over [first, last] (their own dates), by name."""
    days = schedule_days(session, stylists, first, last)
    intervals: list[tuple[uuid.UUID, datetime, datetime]] = []
    working: dict[uuid.UUID, float] = defaultdict(float)
    for stylist in stylists:
        zone = _zone(stylist)
        for window in days[stylist.user_id]:
            for start, end in reports.working_intervals(window, zone):
                intervals.append((stylist.user_id, start, end))
                working[stylist.user_id] += reports.minutes(start, end)
    only = stylists[0].user_id if len(stylists) == 1 else None
    booked = _booked_minutes(session, intervals, service_id, only) if intervals else {}
    found = [StylistUse(s.user_id, s.display_name, round(booked.get(s.user_id, 0)), round(working[s.user_id]))
             for s in stylists]
    return sorted(found, key=lambda u: (u.name.lower(), str(u.stylist_id)))


_PG = """
WITH w AS (
  SELECT * FROM jsonb_to_recordset(CAST(:intervals AS jsonb))
    AS j(i int, stylist uuid, k int, k0 int, s_epoch double precision, e_epoch double precision)
    CROSS JOIN LATERAL (SELECT to_timestamp(s_epoch) AS s, to_timestamp(e_epoch) AS e) AS t
), b AS MATERIALIZED (
  SELECT stylist, start_time, end_time, CAST(floor(date_part('epoch', start_time) / 86400) AS int) AS k,
         CAST(floor(date_part('epoch', end_time) / 86400) AS int) AS k_end
  FROM (
    SELECT b.stylist_user_id AS stylist, b.start_time, b.end_time FROM bookings b
    WHERE b.start_time >= :reach AND b.start_time < :hi AND b.status <> 'cancelled' {narrow}
    UNION ALL
    SELECT b.stylist_user_id, b.start_time, b.end_time FROM bookings b
    WHERE b.start_time < :reach AND b.end_time > :lo AND b.end_time - b.start_time > interval '24 hours'
      AND b.status <> 'cancelled' {narrow}
  ) found
), hit AS (
  SELECT w.i, w.s, w.e, date_part('epoch', least(b.end_time, w.e) - greatest(b.start_time, w.s)) / 60 AS m
  FROM b JOIN w ON w.stylist = b.stylist AND w.k = b.k AND b.start_time < w.e AND b.end_time > w.s
  UNION ALL
  SELECT w.i, w.s, w.e, date_part('epoch', least(b.end_time, w.e) - greatest(b.start_time, w.s)) / 60
  FROM b JOIN w ON w.stylist = b.stylist AND w.k = w.k0 AND w.k0 > b.k AND w.k0 <= b.k_end
   AND b.start_time < w.e AND b.end_time > w.s
  WHERE b.k_end > b.k
)
SELECT w.stylist, sum(per_interval.m) FROM (
  SELECT i, least(sum(m), date_part('epoch', e - s) / 60) AS m FROM hit GROUP BY i, s, e
) per_interval JOIN w ON w.i = per_interval.i AND w.k = w.k0 GROUP BY w.stylist
"""

_SQLITE = """
WITH w AS (
  SELECT key AS idx, json_extract(value, '$[0]') AS stylist, json_extract(value, '$[1]') AS s,
         json_extract(value, '$[2]') AS e, json_extract(value, '$[3]') AS reach
  FROM json_each(:intervals)
), hit AS (
  SELECT w.idx, w.stylist, w.s, w.e,
         (julianday(min(b.end_time, w.e)) - julianday(max(b.start_time, w.s))) * 1440 AS m
  FROM w JOIN bookings b ON b.stylist_user_id = w.stylist
   AND b.start_time >= w.reach AND b.start_time < w.e AND b.end_time > w.s
  WHERE b.status <> 'cancelled' {service}
  UNION ALL
  SELECT w.idx, w.stylist, w.s, w.e,
         (julianday(min(b.end_time, w.e)) - julianday(max(b.start_time, w.s))) * 1440
  FROM w JOIN bookings b ON b.stylist_user_id = w.stylist
   AND b.end_time > w.s AND b.start_time < w.reach
   AND julianday(b.end_time) - julianday(b.start_time) > 1
  WHERE b.status <> 'cancelled' {service}
)
SELECT stylist, sum(m) FROM (
  SELECT idx, stylist, min(sum(m), (julianday(e) - julianday(s)) * 1440) AS m FROM hit GROUP BY idx, stylist, s, e
) per_interval GROUP BY stylist
"""


def _utc_day(at: datetime) -> int:
    return math.floor(at.timestamp() / 86400)


def _booked_minutes(session: Session, intervals, service_id: uuid.UUID | None,
                    stylist_id: uuid.UUID | None) -> dict[uuid.UUID, float]:
    """{stylist: booked minutes inside `intervals` [(stylist, start, end)]}."""
    statement, params = for_engine(session.get_bind(), postgresql=_postgres_statement, sqlite=_sqlite_statement)(
        intervals, service_id, stylist_id)
    return {uuid.UUID(str(sid)): float(m or 0) for sid, m in session.execute(statement, params)}


def _postgres_statement(intervals, service_id: uuid.UUID | None, stylist_id: uuid.UUID | None):
    """One range scan of the period's bookings, hash-joined to the intervals on (stylist,
    UTC day): an interval is listed under every UTC day it touches (`k`), a booking is
    matched under the day it starts on, and one crossing midnight also meets the
    intervals that start on a later day it reaches (under their first day, `k0`)."""
    rows = []
    for i, (sid, start, end) in enumerate(intervals):
        first, last = _utc_day(start), _utc_day(end - timedelta(microseconds=1))
        s_epoch, e_epoch, stylist = start.timestamp(), end.timestamp(), str(sid)
        rows += [{"i": i, "stylist": stylist, "k": k, "k0": first, "s_epoch": s_epoch, "e_epoch": e_epoch}
                 for k in range(first, last + 1)]
    narrow = ("AND b.service_id = :service" if service_id is not None else "") + \
             (" AND b.stylist_user_id = :stylist" if stylist_id is not None else "")
    lo = min(i[1] for i in intervals)
    params = {"intervals": json.dumps(rows), "lo": lo, "reach": lo - REACH, "hi": max(i[2] for i in intervals),
              "service": service_id, "stylist": stylist_id}
    return text(_PG.format(narrow=narrow)), params


def _sqlite_statement(intervals, service_id: uuid.UUID | None, stylist_id: uuid.UUID | None):
    """Each interval joined to its stylist's bookings through `(stylist_user_id, start_time)`."""
    def stamp(at: datetime) -> str:
        return at.strftime(SQLITE_TIMESTAMP_FORMAT)
    service = "AND b.service_id = :service" if service_id is not None else ""
    params = {"intervals": json.dumps([[str(sid), stamp(s), stamp(e), stamp(s - REACH)] for sid, s, e in intervals]),
              "service": str(service_id) if service_id is not None else None}
    return text(_SQLITE.format(service=service)), params
