"""Reports (time-off-and-reports.md "Reports"): the period, the vocabulary of the figures,
and their arithmetic. Pure: no Flask, no session.

- a `Period` is a BS month (the default), a Gregorian month or a range of at most
  `MAX_RANGE_DAYS` days, always as salon dates `[first, last]`;
- who cancelled a booking (`CANCELLED_BY`) is read from the portal's log: see
  `cancelled_by` below and docs/reports.md;
- `working_intervals` turns one day of the effective schedule (`DayWindow`, from the
  same layering as every other page) into the instants a stylist works.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.domain import bikram_sambat
from portal.domain.bookings import BOOKING_SOURCES, DESK_SOURCES
from portal.domain.refusals import INVALID, Refused
from portal.domain.schedule_layers import DayWindow
from portal.domain.translatable import N_

BS_MONTH, GREGORIAN_MONTH, DATE_RANGE = "bs_month", "month", "range"
PERIOD_KINDS = (BS_MONTH, GREGORIAN_MONTH, DATE_RANGE)
PERIOD_LABELS = {
    BS_MONTH: N_("Bikram Sambat month"),
    GREGORIAN_MONTH: N_("Gregorian month"),
    DATE_RANGE: N_("Dates from … to …"),
}
MAX_RANGE_DAYS = 366
CHOOSE_BS_MONTH = N_("Choose a Bikram Sambat month from the list.")

# Who cancelled (the figures' order). Known from the portal's log; the rest were
# cancelled by the public site, which writes no log row of ours.
CUSTOMER_LINK, STAFF, PUBLIC_SITE = "customer_link", "staff", "public_site"
CANCELLED_BY = (CUSTOMER_LINK, STAFF, PUBLIC_SITE)
CANCELLED_BY_LABELS = {
    CUSTOMER_LINK: N_("By the customer, through their link"),
    STAFF: N_("By staff"),
    PUBLIC_SITE: N_("By the public site"),
}
# The log rows that say a booking was cancelled in the portal: (action, the `details.to`
# it must carry, or None). The follow-up list writes `booking_cancelled`; the front desk's
# Cancel step writes `booking_status_changed` with `to = "cancelled"`. A row with a
# signed-in person (`admin_user_id`) is staff; one without is the customer's own link
# (messages.md: the link has no signed-in person; it is expected to mark its rows with
# `details.via = "customer_link"`, which is not relied on). A cancelled booking without
# such a row was cancelled elsewhere: the public site, which writes no row of ours.
# the log rows that say a booking was cancelled: by staff (a page, a desk step) or by the customer
# through their link (`services/messaging/link_actions.cancel`, a row without a signed-in person)
CANCELLATION_ROWS = (("booking_cancelled", None), ("booking_status_changed", "cancelled"),
                     ("customer_link_cancelled", None))

# Where a booking came from (bookings.source, `domain.bookings`), in the report's two groups.
ONLINE, DESK = "online", "desk"
SOURCE_GROUPS = {source: DESK if source in DESK_SOURCES else ONLINE for source in BOOKING_SOURCES}
SOURCE_GROUP_LABELS = {ONLINE: N_("From the public site"), DESK: N_("Taken at the desk")}

# Statuses as the figures count them.
COMPLETED, NO_SHOW, CANCELLED = "completed", "no_show", "cancelled"
TOP_SERVICES = 10

TABLES = ("summary", "revenue", "utilisation", "busy_hours", "services")  # the CSV downloads


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date
    year: int | None = None   # of a month (BS or Gregorian)
    month: int | None = None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def bounds(self, zone: str) -> tuple[datetime, datetime]:
        """The period's instants `[start, end)` in `zone` (its first and the day after its last midnight)."""
        tz = ZoneInfo(zone)
        return (datetime.combine(self.first, time(), tz).astimezone(timezone.utc),
                datetime.combine(self.last + timedelta(days=1), time(), tz).astimezone(timezone.utc))


def bs_month_period(year: int, month: int) -> Period:
    bounds = bikram_sambat.month_bounds(year, month) if 1 <= month <= 12 else None
    if bounds is None:
        raise Refused(INVALID, fields={"bs_month": CHOOSE_BS_MONTH})
    return Period(BS_MONTH, bounds[0], bounds[1], year, month)


def gregorian_month_period(year: int, month: int) -> Period:
    if not (1 <= month <= 12 and 1900 <= year <= 9998):
        raise Refused(INVALID, fields={"month": N_("Choose a month from the list.")})
    first = date(year, month, 1)
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(GREGORIAN_MONTH, first, after - timedelta(days=1), year, month)


def range_period(first: date | None, last: date | None) -> Period:
    errors = {}
    if first is None:
        errors["start"] = N_("Give the first date.")
    if last is None:
        errors["end"] = N_("Give the last date.")
    elif first is not None and last < first:
        errors["end"] = N_("The last date must not be before the first date.")
    elif first is not None and (last - first).days + 1 > MAX_RANGE_DAYS:
        errors["end"] = N_("A report covers at most 366 days; choose a shorter range.")
    if errors:
        raise Refused(INVALID, fields=errors)
    return Period(DATE_RANGE, first, last)


def current_bs_month(today: date) -> tuple[int, int] | None:
    bs = bikram_sambat.to_bs(today)
    return None if bs is None else (bs.year, bs.month)


def recent_bs_months(today: date, count: int = 24) -> list[tuple[int, int]]:
    """The BS month of `today` and the `count - 1` before it, newest first (the period's menu)."""
    here = current_bs_month(today)
    months = []
    while here is not None and len(months) < count:
        months.append(here)
        here = bikram_sambat.month_before(*here)
    return months


def recent_months(today: date, count: int = 24) -> list[tuple[int, int]]:
    year, month, months = today.year, today.month, []
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def cancelled_by(has_staff_row: bool, has_link_row: bool) -> str:
    """Who cancelled, from the portal's log rows for the booking (staff wins a tie)."""
    if has_staff_row:
        return STAFF
    return CUSTOMER_LINK if has_link_row else PUBLIC_SITE


def no_show_rate(completed: int, no_shows: int) -> float | None:
    """no-shows ÷ (completed + no-shows); None when neither happened."""
    seen = completed + no_shows
    return None if seen == 0 else no_shows / seen


def average_ticket(revenue_cents: int, completed: int) -> int | None:
    """Revenue ÷ completed bookings, in paisa rounded half up; None without a completed booking."""
    return None if completed == 0 else (revenue_cents * 2 + completed) // (2 * completed)


def utilisation(booked_minutes: float, working_minutes: float) -> float | None:
    """Booked ÷ working minutes, never above 1; None when the stylist did not work."""
    if working_minutes <= 0:
        return None
    return min(1.0, max(0.0, booked_minutes / working_minutes))


def working_intervals(window: DayWindow, zone: str) -> list[tuple[datetime, datetime]]:
    """The day's working time as UTC instants: its window less its break (0, 1 or 2 pieces)."""
    if window.window is None:
        return []
    start, end = window.window
    pieces = [(start, end)]
    if window.break_ is not None:
        b0, b1 = max(window.break_[0], start), min(window.break_[1], end)
        if b0 < b1:
            pieces = [(start, b0), (b1, end)]
    tz = ZoneInfo(zone)
    found = []
    for a, b in pieces:
        if a < b:
            found.append((datetime.combine(window.day, a, tz).astimezone(timezone.utc),
                          datetime.combine(window.day, b, tz).astimezone(timezone.utc)))
    return found


def minutes(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 60
