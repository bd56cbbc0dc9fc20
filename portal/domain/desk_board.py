"""The day board's free gaps (front-desk.md: "book" in each free gap). Pure."""
from __future__ import annotations

from datetime import datetime

MIN_GAP_MINUTES = 15  # shorter holes between bookings are not offered as gaps


def free_gaps(opens: datetime, closes: datetime, busy: list[tuple[datetime, datetime]],
              not_before: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """The parts of [opens, closes) no busy interval covers, from ``not_before`` on,
    each at least MIN_GAP_MINUTES long, in time order."""
    cursor = max(opens, not_before) if not_before else opens
    gaps = []
    for start, end in sorted(busy):
        if start > cursor:
            gaps.append((cursor, min(start, closes)))
        cursor = max(cursor, end)
        if cursor >= closes:
            break
    if cursor < closes:
        gaps.append((cursor, closes))
    return [(a, b) for a, b in gaps if (b - a).total_seconds() >= MIN_GAP_MINUTES * 60]
