"""The day board as the desk's main page (front-desk.md): each working stylist's
bookings of the day with their next step (and undo), the customer's no-shows, and the
free gaps where a booking can be taken."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain.availability import local_instant
from portal.domain.bookings import next_steps
from portal.domain.desk_board import free_gaps
from portal.domain.refusals import Refused
from portal.models import CustomerPhone
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.appointments import bookings
from portal.services.appointments.bookings import Appointment, BoardColumn
from portal.services.desk import customers
from portal.services.desk.booking_steps import Undoable, undoable_steps
from portal.services.desk.desk_free_times import FreeTime, any_stylist_free_times, free_times, stylists_offering

UTC = timezone.utc


@dataclass(frozen=True)
class BoardEntry:
    appointment: Appointment
    steps: tuple[str, ...]
    undo: Undoable | None
    no_shows: int
    customer_id: uuid.UUID | None


@dataclass(frozen=True)
class DeskColumn:
    column: BoardColumn
    entries: tuple[BoardEntry, ...]
    gaps: tuple[tuple[datetime, datetime], ...]

    @property
    def stylist(self):
        return self.column.stylist


def _gaps(column: BoardColumn, now: datetime) -> list[tuple[datetime, datetime]]:
    window, zone = column.window, column.stylist.timezone
    if window.window is None:
        return []
    opens, closes = (local_instant(window.day, t, zone) for t in window.window)
    busy = [(a.booking.start_time, a.booking.end_time) for a in column.appointments
            if a.booking.status in OCCUPYING_BOOKING_STATUSES]
    if window.break_ is not None:
        busy.append(tuple(local_instant(window.day, t, zone) for t in window.break_))
    return free_gaps(opens, closes, busy, not_before=now)


def _customers_of(session: Session, phones: set[str]) -> dict[str, uuid.UUID]:
    if not phones:
        return {}
    return {text: cid for text, cid in session.execute(
        select(CustomerPhone.phone_text, CustomerPhone.customer_id).where(CustomerPhone.phone_text.in_(phones)))
        if cid is not None}


def desk_day(session: Session, day: date, now: datetime) -> tuple[list[DeskColumn], list[DeskColumn]]:
    """(working, not working) columns of ``day`` for the desk (links new phones first)."""
    customers.link_new_phones(session)
    working, off = bookings.day_board(session, day)
    every = [a for c in working + off for a in c.appointments]
    undo = undoable_steps(session, [a.booking.id for a in every])
    owners = _customers_of(session, {a.booking.customer_phone for a in every if a.booking.customer_phone})
    counts = customers.counts_for(session, list(set(owners.values())), now)

    def column(c: BoardColumn) -> DeskColumn:
        entries = []
        for a in c.appointments:
            owner = owners.get(a.booking.customer_phone or "")
            entries.append(BoardEntry(a, next_steps(a.booking.status, a.booking.start_time <= now),
                                      undo.get(a.booking.id), counts[owner].no_shows if owner in counts else 0,
                                      owner))
        return DeskColumn(c, tuple(entries), tuple(_gaps(c, now)))

    return [column(c) for c in working], [column(c) for c in off]




@dataclass(frozen=True)
class BookingChoices:
    """What the booking page shows for what was typed so far."""

    customer: object | None  # Customer
    phone: str | None  # E.164 when the typed phone is a number
    phone_error: str | None
    no_shows: int
    times: list[FreeTime]
    stylists: list


def booking_choices(session: Session, phone_text: str | None, service_id: uuid.UUID | None,
                    stylist_id: uuid.UUID | None, day: date | None, now: datetime) -> BookingChoices:
    """The customer a phone belongs to (with their no-shows), and the day's free times of
    one stylist or of anyone who offers the service."""
    customer = phone = error = None
    no_shows = 0
    if (phone_text or "").strip():
        customers.link_new_phones(session)  # a public-site customer is known by the desk at once
        try:
            customer, phone = customers.customer_by_phone(session, phone_text)
        except Refused as refused:
            error = refused.fields.get("phone", refused.message)
        if customer is not None:
            no_shows = customers.counts_for(session, [customer.id], now).get(customer.id, customers.Counts()).no_shows
    stylists = stylists_offering(session, service_id) if service_id else []
    times: list[FreeTime] = []
    if service_id and day:
        if stylist_id:
            times = free_times(session, stylist_id, service_id, day, now)
        else:
            times = any_stylist_free_times(session, service_id, day, now)
    return BookingChoices(customer, phone, error, no_shows, times, stylists)
