"""Taking and moving bookings at the desk (front-desk.md), each one transaction.

- The free times offered come from `desk_free_times` (the public endpoint's engine and
  cache). Saving re-checks the chosen start in the transaction, under the stylist's
  lock (`FOR UPDATE` on the stylist's profile on PostgreSQL, `BEGIN IMMEDIATE` on
  SQLite), from fresh rows: hours, breaks, closures, other bookings, live holds and
  buffers. The database's no-overlap rule (0012b) guards booking against booking
  whoever writes; when it refuses, the desk gets a plain message with fresh free times.
- The booking is `confirmed`, priced and timed from the catalogue (the stylist's custom
  price and duration), carries the customer's name, E.164 phone and email, its source
  (`phone` / `walk_in`) and who took it; the customer row is created or updated in the
  same transaction; `booking_created` is logged. The cache's triggers take the slot
  off the public endpoint at once.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import fresh_snapshot, use_case
from portal.domain.availability import slot_status
from portal.domain.bookings import DESK_SOURCES, RESCHEDULED_REASON, clock as clock_text
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.translatable import N_, Msg
from portal.models import Booking, BookingFollowUp, StylistProfile
from portal.models.booking_rules import is_overlap_refusal
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audited, log_event
from portal.services.desk import customers
from portal.services.messaging.message_outbox import queue_message
from portal.slots.loading import NotFound as EngineNotFound, load_day, load_offer
from portal.services.desk.desk_free_times import free_times
from portal import clock

UTC = timezone.utc
CONFLICT = N_("That could not be saved: someone changed the same data. Reload the page and try again.")
SLOT_TAKEN = "SLOT_TAKEN"
NOT_FREE = "NOT_FREE"
NOT_FREE_MESSAGE = N_("That time is not free any more — choose another time.")


class NotFree(Refused):
    """Inside the transaction: the start is not free (turned into the fresh-times refusal
    once the transaction has rolled back, so no lock is held while the cache is read)."""

    default_code = NOT_FREE


def _interval() -> int:
    return int(current_app.config["SLOT_INTERVAL_MINUTES"])


def lock_stylist(session: Session, stylist_id: uuid.UUID) -> StylistProfile:
    """The stylist's lock for a desk write (PostgreSQL row lock; SQLite holds the write lock)."""
    locked = session.scalar(select(StylistProfile.user_id).where(StylistProfile.user_id == stylist_id)
                            .with_for_update())
    if locked is None:
        raise Refused("NO_STYLIST", N_("Choose a stylist."), ("stylist",))
    return session.get(StylistProfile, locked)


def free_slot(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, start: datetime,
              now: datetime):
    """The fresh plan's slot at ``start`` when it is free now (read in the transaction,
    not from the cache): hours, break, closures, bookings, live holds, buffers."""
    day = start.astimezone(ZoneInfo(session.get(StylistProfile, stylist_id).timezone)).date()
    try:
        plan = load_day(session, stylist_id, service_id, day, _interval()).plan
    except EngineNotFound:
        return None, None
    if not plan.bookable_on(day, now) or start < now:
        return None, plan
    for slot in plan.slots:
        if slot.start == start and slot_status(slot, now) == "available":
            return slot, plan
    return None, plan


def _taken_refusal(session: Session, stylist_id: uuid.UUID, service_id: uuid.UUID, start: datetime,
                   now: datetime) -> Refused:
    """"Anjali was just booked 10:00–11:00 AM — choose another time", with fresh free times."""
    stylist = session.get(StylistProfile, stylist_id)
    zone = stylist.timezone if stylist else "UTC"
    try:
        end = start + timedelta(minutes=load_offer(session, stylist_id, service_id).duration_minutes)
    except EngineNotFound:
        end = start
    clash = session.scalar(
        select(Booking).where(Booking.stylist_user_id == stylist_id,
                              Booking.status.in_(OCCUPYING_BOOKING_STATUSES),
                              Booking.end_time > start, Booking.start_time < end)
        .order_by(Booking.start_time).limit(1))
    day = start.astimezone(ZoneInfo(zone)).date()
    fresh = free_times(session, stylist_id, service_id, day, now, fresh=True)
    fresh_snapshot(session)  # end the read (SQLite: the next write starts from the latest commit)
    if clash is None:
        return Refused(SLOT_TAKEN, NOT_FREE_MESSAGE, {"start": NOT_FREE_MESSAGE}, {"free_times": fresh})
    message = Msg("%(stylist)s was just booked %(begin)s–%(end)s — choose another time.",
                  stylist=stylist.display_name, begin=clock_text(clash.start_time, zone),
                  end=clock_text(clash.end_time, zone))
    return Refused(SLOT_TAKEN, message, {"start": message}, {"free_times": fresh})


def _on_overlap(session, stylist_id, service_id, start, now):
    def convert(error: IntegrityError) -> Refused:
        if not is_overlap_refusal(error):
            return Refused("CONFLICT", CONFLICT)
        return _taken_refusal(session, stylist_id, service_id, start, now)
    return convert


@audited(action="booking_created", category="configuration")
def take_booking(session: Session, actor: Actor, *, phone: str, name: str, email: str | None,
                 service_id: uuid.UUID, stylist_id: uuid.UUID, start: datetime, source: str,
                 now: datetime | None = None, tell: bool = True) -> Booking:
    """A phone or walk-in booking at a free start of the stylist (see the module)."""
    now = now or clock.now()
    errors = {}
    if source not in DESK_SOURCES:
        errors["source"] = N_("Choose phone or walk-in.")
    if not (name or "").strip():
        errors["name"] = N_("Give the customer's name.")
    try:
        customers.customer_by_phone(session, phone)
    except Refused as refused:
        errors.update(refused.fields)
    if errors:
        raise Refused(INVALID, fields=errors)
    try:
        return _take(session, actor, phone, name, email, service_id, stylist_id, start, source, now, tell=tell)
    except NotFree:
        raise _taken_refusal(session, stylist_id, service_id, start, now) from None


def _take(session, actor, phone, name, email, service_id, stylist_id, start, source, now, tell=True) -> Booking:
    with use_case(session, lock=True, on_conflict=_on_overlap(session, stylist_id, service_id, start, now)):
        lock_stylist(session, stylist_id)
        slot, plan = free_slot(session, stylist_id, service_id, start, now)
        if slot is None:
            raise NotFree()
        customer = customers.remember_customer(session, phone, name, email)
        booking = Booking(
            stylist_user_id=stylist_id, service_id=service_id, start_time=slot.start, end_time=slot.end,
            price_cents=plan.price_cents, status="confirmed", customer_name=customer.name,
            customer_phone=customer.phone, customer_email=customer.email, source=source,
            created_by_user_id=actor.user_id)
        session.add(booking)
        session.flush()
        log_event(session, actor, action="booking_created", category="configuration", target_type="booking",
                  target_id=booking.id, details={
                      "stylist_user_id": str(stylist_id), "service_id": str(service_id), "source": source,
                      "start": slot.start.isoformat(), "end": slot.end.isoformat(),
                      "price_cents": plan.price_cents, "customer_id": str(customer.id)})
        if tell:  # messages.md: the confirmation, in this transaction
            queue_message(session, "confirmation", booking, booking.start_time.isoformat(), created_by=actor.user_id)
    return booking


@audited(action="booking_moved", category="configuration")
def move_booking(session: Session, actor: Actor, booking_id: uuid.UUID, *, stylist_id: uuid.UUID,
                 start: datetime, followup: bool = False, now: datetime | None = None, tell: bool = True) -> Booking:
    """Move an occupying booking to a free start of the same or another stylist who offers
    its service, any day within the horizon, in one transaction: the old time is freed
    and the new one taken together. The booking keeps its id, history and booked price;
    the log row has old and new stylist and times. ``followup``: recorded as the
    follow-up list's "moved" (bookings.md)."""
    now = now or clock.now()
    service = {}  # filled once the booking is read: the refusal lists that service's free times

    def on_conflict(error: IntegrityError) -> Refused:
        if not is_overlap_refusal(error):
            return Refused("CONFLICT", CONFLICT)
        return _taken_refusal(session, stylist_id, service["id"], start, now)

    try:
        return _move(session, actor, booking_id, stylist_id, start, followup, now, service, on_conflict, tell=tell)
    except NotFree:
        raise _taken_refusal(session, stylist_id, service["id"], start, now) from None


def _move(session, actor, booking_id, stylist_id, start, followup, now, service, on_conflict, tell=True) -> Booking:
    with use_case(session, lock=True, on_conflict=on_conflict):
        current = session.scalar(select(Booking.stylist_user_id).where(Booking.id == booking_id))
        if current is None:
            raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
        for locked in sorted({current, stylist_id}, key=str):  # one order: two moves never deadlock
            lock_stylist(session, locked)
        booking = session.scalar(select(Booking).where(Booking.id == booking_id).with_for_update())
        if booking is None:
            raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
        service_id = service["id"] = booking.service_id
        if booking.status not in ("pending", "confirmed"):
            raise Refused("NOT_MOVABLE", N_("Only pending or confirmed bookings can be moved."))
        before = {"stylist_user_id": str(booking.stylist_user_id), "start": booking.start_time.isoformat(),
                  "end": booking.end_time.isoformat()}
        status = booking.status
        booking.status = "cancelled"  # its own time does not block the new one (same transaction)
        session.flush()
        slot, _plan = free_slot(session, stylist_id, service_id, start, now)
        if slot is None:
            raise NotFree()
        booking.stylist_user_id, booking.start_time, booking.end_time = stylist_id, slot.start, slot.end
        booking.status, booking.updated_at = status, clock.now()
        session.flush()
        after = {"stylist_user_id": str(stylist_id), "start": slot.start.isoformat(), "end": slot.end.isoformat()}
        if followup:
            session.add(BookingFollowUp(booking_id=booking.id, action="moved", note=RESCHEDULED_REASON,
                                        recorded_by=actor.user_id))
        log_event(session, actor, action="booking_moved", category="configuration", target_type="booking",
                  target_id=booking.id, details={"before": before, "after": after, "followup": followup})
        if tell:  # messages.md: the confirmation of the new time, in this transaction
            queue_message(session, "confirmation", booking, booking.start_time.isoformat(), created_by=actor.user_id)
    return booking


def booking_day(booking: Booking, stylist: StylistProfile) -> date:
    return booking.start_time.astimezone(ZoneInfo(stylist.timezone)).date()
