"""The database's no-overlap rule for bookings (front-desk.md, schema.md), named once.

Two occupying bookings (pending, confirmed, in_progress) of one stylist never overlap,
whoever writes them: on PostgreSQL the exclusion constraint `bookings_no_overlap`
(GiST over the stylist and `tstzrange(start_time, end_time)`, half-open, so adjacent
bookings are fine; refusal SQLSTATE 23P01), on SQLite two triggers raising
`bookings_no_overlap: …`. Migration 0012b installs them; `flask list-overlaps` and the
migration itself use `overlaps_sql` to list existing conflicts.
"""
from __future__ import annotations

from portal.models.bookings import OCCUPYING_BOOKING_STATUSES

NO_OVERLAP = "bookings_no_overlap"
EXCLUSION_SQLSTATE = "23P01"
OCCUPYING_SQL = "(" + ", ".join(f"'{s}'" for s in OCCUPYING_BOOKING_STATUSES) + ")"


def overlaps_sql(dialect_name: str, limit: int | None = None) -> str:
    """Pairs of occupying bookings of one stylist whose times overlap, earliest first:
    (first id, second id, stylist, first start, first end, second start, second end)."""
    if dialect_name == "postgresql":
        crossing = "tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)"
    else:
        crossing = ("julianday(a.start_time) < julianday(b.end_time) "
                    "AND julianday(b.start_time) < julianday(a.end_time)")
    return (
        "SELECT a.id, b.id, a.stylist_user_id, a.start_time, a.end_time, b.start_time, b.end_time "
        "FROM bookings a JOIN bookings b ON b.stylist_user_id = a.stylist_user_id AND a.id < b.id "
        f"WHERE a.status IN {OCCUPYING_SQL} AND b.status IN {OCCUPYING_SQL} AND {crossing} "
        "ORDER BY a.start_time, a.id, b.id" + (f" LIMIT {int(limit)}" if limit else "")
    )


def is_overlap_refusal(error: BaseException) -> bool:
    """Whether a database error is the no-overlap rule refusing a write."""
    original = getattr(error, "orig", error)
    if getattr(original, "sqlstate", None) == EXCLUSION_SQLSTATE:
        return True
    return NO_OVERLAP in str(original)
