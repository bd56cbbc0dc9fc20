"""The one place that turns dates, times and instants into text (spec/ui.md, "Dates and times").

One entry point per format, each a Jinja filter of the same name (`register_filters`):

| filter        | example                              |
|---------------|--------------------------------------|
| `date`        | Mon 7 Dec 2026 (an instant: its day in a zone) |
| `date_short`  | Mon 7 Dec (a list inside one month)  |
| `month`       | December 2026                        |
| `time`        | 10:00 AM (an instant: in a zone)     |
| `time_range`  | 10:00 AM – 6:00 PM                   |
| `date_range`  | 7–9 Dec 2026, or "from 7 Dec 2026"   |
| `datetime`    | Mon 7 Dec 2026, 10:00 AM (in a zone) |

Instants (aware datetimes) are shown in the zone given, else the salon's
(`DEFAULT_TIMEZONE`); never with seconds.

The functions below write English without the Bikram Sambat date (messages, logs, tests).
The pages' filters (`page_filters`) add the BS date beside the Gregorian one and write
Nepali month names and Devanagari digits on a Nepali page, through
`portal.i18n.formatting` (`dual_date`, `clock`, `datetime_in`) with the page's locale:
`Mon 7 Dec 2026 · 21 Mangsir 2083` / `सोम ७ डिसेम्बर २०२६ · २१ मंसिर २०८३`.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Callable
from zoneinfo import ZoneInfo

from portal.domain.translatable import N_, Msg

NOTHING = "—"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day(value: date | datetime, zone: str | None = None) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone:
            value = value.astimezone(ZoneInfo(zone))
        return value.date()
    return value


def format_date(value: date | datetime | None, zone: str | None = None) -> str:
    """`Mon 7 Dec 2026`."""
    if value is None:
        return NOTHING
    d = _day(value, zone)
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def format_date_short(value: date | None) -> str:
    """`Mon 7 Dec` (where the year is plain from the page)."""
    if value is None:
        return NOTHING
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]}"


def format_time(value: time | datetime | None, zone: str | None = None) -> str:
    """`10:00 AM` (12-hour, no seconds)."""
    if value is None:
        return NOTHING
    if isinstance(value, datetime):
        if value.tzinfo is not None and zone:
            value = value.astimezone(ZoneInfo(zone))
        value = value.time()
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def format_time_range(start: time | None, end: time | None) -> str:
    """`10:00 AM – 6:00 PM`."""
    return f"{format_time(start)} – {format_time(end)}"


def format_date_range(start: date | None, end: date | None, open_ended: bool = True) -> str:
    """`7–9 Dec 2026`, `30 Nov – 2 Dec 2026`, `30 Dec 2026 – 2 Jan 2027`; one day as
    `format_date`; no end as `from 7 Dec 2026` (when `open_ended`)."""
    if start is None:
        return NOTHING
    if end is None:
        return f"from {start.day} {MONTHS[start.month - 1]} {start.year}" if open_ended else format_date(start)
    if end == start:
        return format_date(start)
    tail = f"{end.day} {MONTHS[end.month - 1]} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{tail}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {tail}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} – {tail}"


def format_datetime(value: datetime | None, zone: str | None = None) -> str:
    """`Mon 7 Dec 2026, 10:00 AM` in `zone` (an aware instant)."""
    if value is None:
        return NOTHING
    if value.tzinfo is not None and zone:
        value = value.astimezone(ZoneInfo(zone))
    return f"{format_date(value.date())}, {format_time(value.time())}"


def iso_date(value: date | datetime | None, zone: str | None = None) -> str:
    """`2026-12-07`: for machine-read attributes (`data-*`, form values, URLs), never for people;
    with a `zone`, an instant's day there (a datetime without one stays whole, ISO 8601)."""
    if value is None:
        return ""
    return (_day(value, zone) if zone else value).isoformat()


def hhmm(value: time | None) -> str:
    """`18:30`: for machine-read attributes only."""
    return f"{value.hour:02d}:{value.minute:02d}" if value is not None else ""


def date_input_hint() -> str:
    """What a date box expects, whatever the browser's language (ui.md); marked `N_`,
    translated whole where it is shown."""
    return N_("Year-month-day, e.g. 2026-12-07, or a BS date with “BS” before it, e.g. BS 2083-08-21.")


def page_filters(locale_of: Callable[[], str], salon_zone_of: Callable[[], str]) -> dict[str, Callable]:
    """The filters of the pages, in the locale `locale_of()` returns; instants default to
    the salon's zone (`salon_zone_of()`)."""
    from portal.i18n import formatting as f  # the locale-aware text (BS dates, Nepali digits)
    from portal.i18n import translate

    def date_(value, zone: str | None = None) -> str:
        if value is None:
            return NOTHING
        return f.dual_date(_day(value, zone or salon_zone_of()), locale_of())

    def date_short(value) -> str:
        if value is None:
            return NOTHING
        locale = locale_of()
        if not f.is_nepali(locale):
            return format_date_short(value)
        return f"{f.weekday_short((value.weekday() + 1) % 7, locale)} {f.day_month(value, locale)}"

    def time_(value, zone: str | None = None) -> str:
        if value is None:
            return NOTHING
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(ZoneInfo(zone or salon_zone_of()))
        return f.clock(value, locale_of())

    def time_range(start, end, zone: str | None = None) -> str:
        """`10:00 AM – 11:45 AM` / `बिहान १०:०० – ११:४५` (datetimes shown in `zone`)."""
        start, end = (v.astimezone(ZoneInfo(zone)) if zone and isinstance(v, datetime) else v for v in (start, end))
        return f.clock_range(start, end, locale_of())

    def date_range(start, end, open_ended: bool = True) -> str:
        locale = locale_of()
        if not f.is_nepali(locale):
            return format_date_range(start, end, open_ended)
        if start is None:
            return NOTHING
        if end is None or end == start:
            text = f.long_date(start, locale)
            return translate(Msg("from %(start)s", start=text)) if end is None and open_ended else text
        return f"{f.long_date(start, locale)} – {f.long_date(end, locale)}"

    def datetime_(value, zone: str | None = None) -> str:
        if value is None:
            return NOTHING
        if value.tzinfo is None:
            return f"{f.dual_date(value.date(), locale_of())}, {f.clock(value.time(), locale_of())}"
        return f.datetime_in(value, zone or salon_zone_of(), locale_of())

    def in_locale(function):
        """`function(value, *args, locale)` as a filter of the page's locale."""
        return lambda value, *args: function(value, *args, locale_of())

    # one filter per format: `date` is also an instant's day in a zone (`|date(zone)`),
    # `time` an instant's time of day in a zone (`|time(zone)`)
    return {**FILTERS, "date": date_, "date_short": date_short, "time": time_, "time_range": time_range,
            "date_range": date_range, "datetime": datetime_,
            "bs_date": in_locale(f.bs_text), "bs_day": in_locale(f.bs_day), "day_month": in_locale(f.day_month)}


FILTERS: dict[str, Callable] = {
    "date": format_date,
    "date_short": format_date_short,
    "time": format_time,
    "time_range": format_time_range,
    "date_range": format_date_range,
    "datetime": format_datetime,
    "iso_date": iso_date,  # machine-read attributes only
    "hhmm": hhmm,
}
