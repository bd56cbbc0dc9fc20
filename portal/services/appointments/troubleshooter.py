"""Why is this slot not offered? (bookings.md) — read-only.

The rows come from the slots endpoint's own loader (`load_day_rows`, `load_occupancies`
over the same window ± buffer), and the verdicts from the engine's
`portal.domain.slot_verdicts.explain_day`, which runs the endpoint's functions. This
module only adds the words.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.domain.availability import local_instant
from portal.domain.schedule_layers import day_window
from portal.domain.slot_verdicts import BookingRef, DayExplanation, SlotVerdict, explain_day
from portal.models import Booking, Service, StylistProfile, StylistSchedule
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.slots.plan import HORIZON_CAP_DAYS
from portal.slots.loading import (
    FIRST_DAY, LAST_DAY, load_day_rows, load_occupancies,
)
from portal.domain.schedule_changes import override_label
from portal.domain.translatable import N_, Msg, PluralMsg

UTC = timezone.utc

HEADINGS = {
    "available": N_("Available"),
    "booked": N_("Booked"),
    "buffer": N_("Buffer"),
    "held": N_("Held"),
    "break": N_("Break"),
    "outside_hours": N_("Outside hours"),
    "too_soon": N_("Too soon"),
    "past_horizon": N_("Too far ahead"),
    "past_day": N_("Day is over"),
    "not_offered": N_("Not offered"),
    "inactive": N_("Inactive"),
}


@dataclass(frozen=True)
class Line:
    slot: SlotVerdict
    heading: str
    reason: str
    booking_id: uuid.UUID | None


@dataclass(frozen=True)
class Run:
    """Consecutive slots with one verdict and one reason, read as one line
    ("9:00 AM – 1:30 PM · Closed: …" rather than fifteen identical rows)."""
    first: Line
    last: Line
    count: int


@dataclass(frozen=True)
class Troubleshooting:
    stylist: StylistProfile
    service: Service
    day: date
    zone: str
    explanation: DayExplanation | None  # None: the day cannot be explained (see summary)
    lines: tuple[Line, ...]
    summary: str
    no_weekly_hours: bool = False  # the stylist has no weekly hours at all (yet)

    @property
    def runs(self) -> tuple[Run, ...]:
        return runs_of(self.lines)


def runs_of(lines: tuple[Line, ...]) -> tuple[Run, ...]:
    """Group consecutive lines that say the same thing about the same appointment."""
    runs: list[Run] = []
    for line in lines:
        previous = runs[-1] if runs else None
        if previous is not None and (previous.last.slot.verdict, previous.last.reason, previous.last.booking_id) == (
                line.slot.verdict, line.reason, line.booking_id):
            runs[-1] = Run(first=previous.first, last=line, count=previous.count + 1)
        else:
            runs.append(Run(first=line, last=line, count=1))
    return tuple(runs)


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _offer_problem(stylist: StylistProfile, service: Service, offered: bool) -> tuple[str | None, str]:
    if offered:
        return None, ""
    if not stylist.is_active:
        return "inactive", Msg("%(stylist)s is not active, so nothing is offered.", stylist=stylist.display_name)
    if not service.is_active:
        return "inactive", Msg("%(service)s is switched off for the whole salon.", service=service.name)
    return "not_offered", Msg("%(stylist)s does not offer %(service)s.", stylist=stylist.display_name,
                              service=service.name)


def _reason(v: SlotVerdict, ex: DayExplanation, zone: str, buffer: int, offer_text: str,
            horizon: int, advance: int) -> str:
    """The verdict's reason, a `Msg` (times in the stylist's zone, read in the page's language)."""
    t = lambda value: value.astimezone(ZoneInfo(zone)).time()  # noqa: E731
    if v.verdict == "available":
        return N_("A customer can book this time.")
    if v.verdict == "booked":
        if v.booking is None:
            return N_("An appointment takes this time.")
        return Msg("The appointment %(start)s–%(end)s takes this time.", start=t(v.booking.start), end=t(v.booking.end))
    if v.verdict == "buffer":
        if v.booking is None:
            return Msg("Within the stylist's %(minutes)s-minute buffer around an appointment.", minutes=buffer)
        return Msg("Within the stylist's %(minutes)s-minute buffer around the appointment at %(start)s–%(end)s.",
                   minutes=buffer, start=t(v.booking.start), end=t(v.booking.end))
    if v.verdict == "held":
        return Msg("Held for a customer who is paying, until %(until)s; free again after that if unpaid.",
                   until=t(v.held_until))
    if v.verdict == "break":
        brk = ex.window.break_
        return Msg("Overlaps the break %(start)s–%(end)s.", start=brk[0], end=brk[1]) if brk else N_(
            "Overlaps the break.")
    if v.verdict == "outside_hours":
        w = ex.window
        if w.winner is not None:
            return Msg("Outside the day's hours, set by %(winner)s.", winner=override_label(w.winner))
        return N_("Outside the day's hours (weekly hours).")
    if v.verdict == "too_soon":
        return PluralMsg("Before the booking cut-off: this service needs %(num)s hour’s notice, so the first "
                         "bookable time is %(time)s.",
                         "Before the booking cut-off: this service needs %(num)s hours’ notice, so the first "
                         "bookable time is %(time)s.", advance, time=t(ex.cutoff))
    if v.verdict == "past_horizon":
        return Msg("Past the booking horizon: this service can be booked up to %(days)s days ahead.", days=horizon)
    if v.verdict == "past_day":
        return N_("The day is over.")
    return offer_text


def troubleshoot(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date,
                 interval_minutes: int, now: datetime | None = None) -> Troubleshooting:
    """Every candidate slot of the day with its verdict and reason (raises the loader's
    `NotFound` for an unknown stylist or service)."""
    now = now or clock.now()
    offer, base_rows, overrides = load_day_rows(session, stylist_id, service_id, day)
    stylist = session.get(StylistProfile, stylist_id)
    service = session.get(Service, service_id)
    zone = offer.timezone
    if not (FIRST_DAY <= day <= LAST_DAY) or not _known_zone(zone):
        # the endpoint offers nothing here either (its loader returns an empty plan)
        return Troubleshooting(stylist=stylist, service=service, day=day, zone=zone, explanation=None, lines=(),
                               summary=Msg("Nothing can be booked: the date is out of range or the stylist's "
                                           "time zone (%(zone)s) is unknown; fix the stylist's profile.", zone=zone))
    window = day_window(day, base_rows, overrides)
    occupancies, refs = [], []
    if window.window is not None:
        buffer = timedelta(minutes=offer.buffer_minutes)
        lo = local_instant(day, window.window[0], zone) - buffer
        hi = local_instant(day, window.window[1], zone) + buffer
        occupancies = load_occupancies(session, stylist_id, lo, hi)
        refs = [
            BookingRef(ref=str(b.id), start=b.start_time, end=b.end_time)
            for b in session.scalars(select(Booking).where(
                Booking.stylist_user_id == stylist_id, Booking.status.in_(OCCUPYING_BOOKING_STATUSES),
                Booking.start_time < hi, Booking.end_time > lo))
        ]
    problem, offer_text = _offer_problem(stylist, service, offer.offered)
    horizon = min(offer.max_advance_days, HORIZON_CAP_DAYS)
    ex = explain_day(
        day, zone, base_rows, overrides, occupancies, refs, offer_problem=problem,
        duration_minutes=offer.duration_minutes, buffer_minutes=offer.buffer_minutes,
        min_advance_hours=offer.min_advance_hours, max_advance_days=horizon, now=now,
        interval_minutes=interval_minutes,
    )
    lines = tuple(
        Line(slot=v, heading=HEADINGS[v.verdict],
             reason=_reason(v, ex, zone, offer.buffer_minutes, offer_text, horizon, offer.min_advance_hours),
             booking_id=uuid.UUID(v.booking.ref) if v.booking else None)
        for v in ex.slots
    )
    no_weekly_hours = _has_no_weekly_hours(session, stylist_id)
    summary = _summary(ex, offer_text)
    if no_weekly_hours and ex.window.window is None and ex.day_verdict not in ("inactive", "not_offered"):
        summary = Msg("No weekly hours set yet for %(stylist)s, so no time can be booked. Add them on the "
                      "schedules page.", stylist=stylist.display_name)
    return Troubleshooting(stylist=stylist, service=service, day=day, zone=zone, explanation=ex,
                           lines=lines, summary=summary, no_weekly_hours=no_weekly_hours)


def _has_no_weekly_hours(session: Session, stylist_id: uuid.UUID) -> bool:
    """No active weekly-hours row at all: the day is off because nothing was set up,
    not because salon-wide hours cannot open a day off."""
    return session.scalar(select(StylistSchedule.id).where(
        StylistSchedule.stylist_user_id == stylist_id, StylistSchedule.is_active.is_(True)).limit(1)) is None


def _summary(ex: DayExplanation, offer_text: str) -> str:
    """One sentence (a `Msg`); the page follows it with the day's hours and why (`day_reason`)."""
    free = sum(1 for v in ex.slots if v.verdict == "available")
    if ex.day_verdict in ("inactive", "not_offered"):
        return offer_text
    if not ex.slots:
        w = ex.window
        if w.verdict == "closed" and w.winner is not None:
            return Msg("No hours this day: %(winner)s closes it.", winner=override_label(w.winner))
        return N_("No hours this day: a day off (no weekly hours on this weekday).") if w.winner is None else (
            N_("No hours this day."))
    if ex.window.window is None:
        return N_("No time can be booked this day.")
    return Msg("%(free)s of %(total)s times can be booked.", free=free, total=len(ex.slots))
