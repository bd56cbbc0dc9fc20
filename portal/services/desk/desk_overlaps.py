"""Existing overlapping occupying bookings (what migration 0012b refuses to meet)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from portal.models.booking_rules import overlaps_sql
from portal.models.types import UTCDateTime

_instant = UTCDateTime()


@dataclass(frozen=True)
class Overlap:
    first_id: uuid.UUID
    second_id: uuid.UUID
    stylist_id: uuid.UUID
    first_start: datetime
    first_end: datetime
    second_start: datetime
    second_end: datetime


def existing_overlaps(session: Session) -> list[Overlap]:
    dialect = session.get_bind().dialect
    rows = session.execute(text(overlaps_sql(session.get_bind()))).all()
    when = lambda value: _instant.process_result_value(value, dialect)  # noqa: E731
    as_id = lambda value: value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))  # noqa: E731
    return [Overlap(as_id(r[0]), as_id(r[1]), as_id(r[2]), when(r[3]), when(r[4]), when(r[5]), when(r[6]))
            for r in rows]
