"""A booking's day (front-desk.md "Arrivals and outcomes"): Confirm, Arrived, Done,
No-show, Cancel, and the 10-minute undo — each one transaction with its
`configuration` row (old and new status).

Two people stepping the same booking at once: the change is a conditional UPDATE
(`… WHERE id = :id AND status = :from`), so exactly one wins; the other is refused
plainly ("no longer allowed"). An undo is the reverse step, allowed for UNDO_MINUTES
after the step by whoever could take the step, and refused plainly when the booking has
moved on or the old status would now overlap another booking (the database's rule).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.database import use_case
from portal.domain.bookings import STEPS, STYLIST_STEPS, UNDO_MINUTES
from portal.domain.refusals import NotFound, Refused
from portal.domain.translatable import N_
from portal.models import Booking, ServiceManagementLog
from portal.models.booking_rules import is_overlap_refusal
from portal.services.audit import audited, log_event
from portal import clock

UTC = timezone.utc
CONFLICT = N_("That could not be saved: someone changed the same data. Reload the page and try again.")
STEPPED, UNDONE = "booking_status_changed", "booking_status_undone"
MAX_REASON = 500
NO_LONGER = N_("That step is no longer allowed: someone changed this booking first. Reload the page.")
NOT_YOURS = N_("Stylists may mark only their own bookings as arrived or done.")


@dataclass(frozen=True)
class Undoable:
    """A booking's latest step that may still be undone, and until when."""

    booking_id: uuid.UUID
    step: str
    from_status: str
    to_status: str
    until: datetime


def _allowed(actor_is_admin: bool, actor: Actor, booking: Booking, step: str) -> None:
    if actor_is_admin:
        return
    if step not in STYLIST_STEPS or booking.stylist_user_id != actor.user_id:
        raise Refused("NOT_ALLOWED", NOT_YOURS)


def _switch(session: Session, booking: Booking, old: str, new: str) -> None:
    """The conditional UPDATE: only from ``old`` (one of two simultaneous steps wins)."""
    done = session.execute(update(Booking).where(Booking.id == booking.id, Booking.status == old)
                           .values(status=new, updated_at=clock.now()).execution_options(
                               synchronize_session=False))
    if done.rowcount != 1:
        raise Refused("STALE", NO_LONGER)


@audited(action=STEPPED, category="configuration")
def step_booking(session: Session, actor: Actor, booking_id: uuid.UUID, step: str, *, as_admin: bool,
                 reason: str | None = None, now: datetime | None = None) -> Booking:
    """Take ``step`` (confirm, arrived, done, no_show, cancel) on the booking."""
    now = now or clock.now()
    if step not in STEPS:
        raise Refused("UNKNOWN_STEP", N_("Choose a step."))
    reason = (reason or "").strip() or None
    if step == "cancel" and not reason:
        raise Refused("REASON_REQUIRED", N_("Give the reason for cancelling."), ("reason",))
    if reason and len(reason) > MAX_REASON:
        raise Refused("TOO_LONG", N_("Keep the reason under 500 characters."), ("reason",))
    sources, target = STEPS[step]
    with use_case(session, lock=True):
        booking = session.get(Booking, booking_id)
        if booking is None:
            raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
        _allowed(as_admin, actor, booking, step)
        old = booking.status
        if old not in sources:
            raise Refused("STALE", NO_LONGER)
        if step == "no_show" and booking.start_time > now:
            raise Refused("TOO_EARLY", N_("A no-show can be marked only once the start time has passed."))
        _switch(session, booking, old, target)
        log_event(session, actor, action=STEPPED, category="configuration", target_type="booking",
                  target_id=booking.id, details={"step": step, "from": old, "to": target, "reason": reason,
                                                 "stylist_user_id": str(booking.stylist_user_id)})
    session.refresh(booking)
    return booking


def undoable_steps(session: Session, booking_ids: list[uuid.UUID], now: datetime | None = None) -> dict:
    """booking id → Undoable, for the bookings whose latest step is still undoable (the
    window is measured on the log's own clock, the database's time of the step)."""
    now = now or datetime.now(UTC)  # the instant log rows are stamped with, not the salon's clock
    if not booking_ids:
        return {}
    since = now - timedelta(minutes=UNDO_MINUTES)
    rows = session.scalars(
        select(ServiceManagementLog)
        .where(ServiceManagementLog.target_type == "booking", ServiceManagementLog.target_id.in_(booking_ids),
               ServiceManagementLog.action.in_((STEPPED, UNDONE)), ServiceManagementLog.created_at >= since)
        .order_by(ServiceManagementLog.created_at, ServiceManagementLog.id))
    latest = {}
    for row in rows:
        latest[row.target_id] = row
    return {bid: Undoable(bid, row.details["step"], row.details["from"], row.details["to"],
                          row.created_at + timedelta(minutes=UNDO_MINUTES))
            for bid, row in latest.items() if row.action == STEPPED}


@audited(action=UNDONE, category="configuration")
def undo_step(session: Session, actor: Actor, booking_id: uuid.UUID, *, as_admin: bool,
              now: datetime | None = None) -> Booking:
    """Put the booking back to the status before its latest step (within UNDO_MINUTES)."""
    now = now or datetime.now(UTC)  # the log's clock, as `undoable_steps`

    def overlap(error: IntegrityError) -> Refused:
        if not is_overlap_refusal(error):
            return Refused("CONFLICT", CONFLICT)
        return Refused("OVERLAP", N_("This cannot be undone: the time has been booked since. "
                                     "Take a new booking instead."))

    with use_case(session, lock=True, on_conflict=overlap):
        booking = session.get(Booking, booking_id)
        if booking is None:
            raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
        last = undoable_steps(session, [booking.id], now).get(booking.id)
        if last is None:
            raise Refused("TOO_LATE", N_("Only a step taken in the last 10 minutes can be undone."))
        _allowed(as_admin, actor, booking, last.step)
        old, back = last.to_status, last.from_status
        if booking.status != old:
            raise Refused("STALE", NO_LONGER)
        _switch(session, booking, old, back)
        session.flush()  # the database's no-overlap rule answers here
        log_event(session, actor, action=UNDONE, category="configuration", target_type="booking",
                  target_id=booking.id, details={"step": last.step, "from": old, "to": back,
                                                 "stylist_user_id": str(booking.stylist_user_id)})
    session.refresh(booking)
    return booking
