"""Bookings hit by a schedule change: the follow-up list and what admins record (bookings.md).

The list is *computed*: every occupying booking from today on is checked against its
stylist's current effective hours (`day_window`, the slots' own layering), the offer
and the activity of stylist and service. So a change that is undone takes its bookings
off the list by itself. What admins record lives in `booking_followups` (the portal's
own table): `contacted` keeps a booking on the list with the note shown, `kept` takes it
off for good, `moved`/`cancelled` set `status = 'cancelled'` (the slot frees at once
through the cache triggers). Every record writes one `configuration` log row per booking.
Nothing is ever cancelled automatically.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import for_update, use_case
from portal.domain import override_kinds
from portal.domain.availability import local_instant
from portal.domain.bookings import CAUSES, FOLLOWUP_LABELS, RESCHEDULED_REASON
from portal.domain.refusals import NotFound, Refused
from portal.domain.schedule_layers import OverrideRow, day_window
from portal.domain.translatable import N_, Msg
from portal.models import Booking, BookingFollowUp, Service, StylistProfile, StylistService
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audited, log_event
from portal.services.messaging.message_outbox import queue_message
from portal.services.scheduling.schedule_rows import override_row
from portal.domain.schedule_changes import override_label
from portal.services.scheduling.schedules import base_rows, overrides_in_scope
from portal.zones import is_time_zone

UTC = timezone.utc
MAX_NOTE = 500


@dataclass(frozen=True)
class Hit:
    """An occupying booking outside its stylist's current hours, and why."""

    booking: Booking
    stylist: StylistProfile
    service: Service
    cause: str  # a key of CAUSES
    cause_text: str
    override_id: uuid.UUID | None  # the winning schedule change, when one is the cause
    since: datetime | None  # when the cause was made
    contacted: BookingFollowUp | None  # the latest "contacted" record, if any

    @property
    def zone(self) -> str:
        """The stylist's zone for showing times (UTC when another client wrote a bad one)."""
        return self.stylist.timezone if is_time_zone(self.stylist.timezone) else "UTC"


def occupying_rows(session: Session, since: datetime, stylist_id: uuid.UUID | None = None,
          until: datetime | None = None, include_kept: bool = False, ids: list[uuid.UUID] | None = None):
    stmt = (
        select(Booking, StylistProfile, Service, StylistService)
        .join(StylistProfile, StylistProfile.user_id == Booking.stylist_user_id)
        .join(Service, Service.id == Booking.service_id)
        .outerjoin(StylistService, (StylistService.stylist_user_id == Booking.stylist_user_id)
                   & (StylistService.service_id == Booking.service_id))
        .where(Booking.status.in_(OCCUPYING_BOOKING_STATUSES), Booking.end_time > since)
        .order_by(Booking.start_time, Booking.id)
    )
    if not include_kept:
        stmt = stmt.where(~exists().where(BookingFollowUp.booking_id == Booking.id,
                                          BookingFollowUp.action == "kept"))
    if stylist_id is not None:
        stmt = stmt.where(Booking.stylist_user_id == stylist_id)
    if until is not None:
        stmt = stmt.where(Booking.start_time < until)
    if ids is not None:
        stmt = stmt.where(Booking.id.in_(ids))
    return session.execute(stmt).all()


def kept_ids(session: Session, ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """Those of ``ids`` an admin chose to keep (they left the follow-up list for good)."""
    if not ids:
        return set()
    return set(session.scalars(select(BookingFollowUp.booking_id).where(
        BookingFollowUp.booking_id.in_(ids), BookingFollowUp.action == "kept")))


def _judge(booking: Booking, stylist: StylistProfile, service: Service, offer: StylistService | None,
           bases, overrides: list[OverrideRow]) -> tuple[str, str, OverrideRow | None] | None:
    """(cause, words, winning override) when the booking lies outside the hours, else None."""
    if not stylist.is_active:
        return "stylist_inactive", CAUSES["stylist_inactive"], None
    if not service.is_active:
        return "service_inactive", CAUSES["service_inactive"], None
    if offer is None or not offer.is_available:
        return "service_not_offered", CAUSES["service_not_offered"], None
    if not is_time_zone(stylist.timezone):  # another client wrote it; the slots offer nothing
        return "zone_unknown", CAUSES["zone_unknown"], None
    zone = ZoneInfo(stylist.timezone)
    local = booking.start_time.astimezone(zone)
    w = day_window(local.date(), bases, overrides)
    if w.window is not None:
        w0, w1 = (local_instant(local.date(), t, zone) for t in w.window)
        if w0 <= booking.start_time and booking.end_time <= w1:
            if w.break_ is None:
                return None
            b0, b1 = (local_instant(local.date(), t, zone) for t in w.break_)
            if not (booking.start_time < b1 and b0 < booking.end_time):
                return None
            return "break", CAUSES["break"], None
    if w.winner is not None and w.verdict != "day off":  # the change set (or closed) the hours
        return "override", override_label(w.winner), w.winner
    return "weekly_hours", CAUSES["weekly_hours"], None


def _zone(stylist: StylistProfile) -> ZoneInfo:
    return ZoneInfo(stylist.timezone if is_time_zone(stylist.timezone) else "UTC")


def _latest_contacts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, BookingFollowUp]:
    if not ids:
        return {}
    found: dict[uuid.UUID, BookingFollowUp] = {}
    for row in session.scalars(select(BookingFollowUp).where(
            BookingFollowUp.booking_id.in_(ids), BookingFollowUp.action == "contacted")
            .order_by(BookingFollowUp.created_at, BookingFollowUp.id)):
        found[row.booking_id] = row
    return found


def judge_rows(session: Session, rows, extra: dict[uuid.UUID, list[OverrideRow]] | None = None) -> list[Hit]:
    """The rows of `occupying_rows` that lie outside their stylist's hours, with the cause.
    `extra`: overrides not saved yet, per stylist (the self-service warning's candidate)."""
    by_stylist: dict[uuid.UUID, tuple] = {}
    hits = []
    for booking, stylist, service, offer in rows:
        sid = stylist.user_id
        if sid not in by_stylist:
            days = [b.start_time.astimezone(_zone(s)).date() for b, s, _, _ in rows if s.user_id == sid]
            found = overrides_in_scope(session, sid, min(days), max(days))
            by_stylist[sid] = (base_rows(session, sid), [override_row(o) for o in found]
                               + list((extra or {}).get(sid, [])), {o.id: o for o in found})
        bases, overrides, rows_by_id = by_stylist[sid]
        judged = _judge(booking, stylist, service, offer, bases, overrides)
        if judged is None:
            continue
        cause, words, winner = judged
        since = None
        override_id = None
        if winner is not None and uuid.UUID(winner.id) in rows_by_id:
            row = rows_by_id[uuid.UUID(winner.id)]
            override_id, since = row.id, row.updated_at or row.created_at
        elif cause == "stylist_inactive":
            since = stylist.deactivated_at
        elif cause == "service_inactive":
            since = service.updated_at
        hits.append(Hit(booking, stylist, service, cause, words, override_id, since, None))
    contacts = _latest_contacts(session, [h.booking.id for h in hits])
    return [replace(h, contacted=contacts.get(h.booking.id)) for h in hits]


def _start_of_today(now: datetime, zone: str) -> datetime:
    today = now.astimezone(ZoneInfo(zone)).date()
    return datetime.combine(today, time(), ZoneInfo(zone)).astimezone(UTC)


def followup_list(session: Session, salon_zone: str, now: datetime | None = None,
                  stylist_id: uuid.UUID | None = None) -> list[Hit]:
    """Every occupying booking from today (salon's zone) on that awaits follow-up."""
    now = now or clock.now()
    return judge_rows(session, occupying_rows(session, _start_of_today(now, salon_zone), stylist_id))


def outside_hours(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of these active bookings that lie outside their stylist's hours (kept ones too):
    cancelling them frees no time the public site could sell."""
    if not ids:
        return set()
    rows = occupying_rows(session, datetime.min.replace(tzinfo=UTC), include_kept=True, ids=ids)
    return {h.booking.id for h in judge_rows(session, rows)}


def followup_count(session: Session, salon_zone: str, now: datetime | None = None) -> int:
    return len(followup_list(session, salon_zone, now))


def outside_after(session: Session, stylist_id: uuid.UUID, day: date, closed: bool,
                  start: time | None, end: time | None, priority: int,
                  now: datetime | None = None) -> list[Hit]:
    """The stylist's occupying bookings on ``day`` that a self-service change (day off or
    these hours, at ``priority``) would leave outside the hours — the warning before spending."""
    now = now or clock.now()
    profile = session.get(StylistProfile, stylist_id)
    if profile is None or day is None or (not closed and (start is None or end is None or end <= start)):
        return []  # the request itself is refused later, with its own message
    zone = ZoneInfo(profile.timezone)
    lo = datetime.combine(day, time(), zone).astimezone(UTC)
    hi = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    candidate = OverrideRow(
        id="ffffffff-ffff-ffff-ffff-ffffffffffff",
        override_type=override_kinds.STYLIST_VACATION if closed else override_kinds.SPECIAL_EVENT,
        is_stylist_specific=True, start_date=day, end_date=day, is_closed=closed,
        start=None if closed else start, end=None if closed else end, priority=priority, created_at=now,
    )
    rows = occupying_rows(session, max(lo, now), stylist_id, until=hi)
    return [h for h in judge_rows(session, rows, {stylist_id: [candidate]})
            if h.booking.start_time.astimezone(zone).date() == day]


# --------------------------------------------------------------------------- recording

def _note(text: str | None, *, required: bool, field: str, missing: str) -> str | None:
    value = (text or "").strip()
    if required and not value:
        raise Refused("REASON_REQUIRED", missing, {field: missing})
    if len(value) > MAX_NOTE:
        too_long = Msg("Keep it under %(max)s characters.", max=MAX_NOTE)
        raise Refused("TOO_LONG", too_long, {field: too_long})
    return value or None


def _booking_for_update(session: Session, booking_id: uuid.UUID) -> Booking:
    booking = session.scalar(for_update(select(Booking).where(Booking.id == booking_id)))
    if booking is None:
        raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
    return booking


def _details(booking: Booking, **extra) -> dict:
    return {"stylist_user_id": str(booking.stylist_user_id), "start": booking.start_time.isoformat(),
            "status": booking.status, **extra}


@audited(action="booking_followup_recorded", category="configuration")
def record_followup(session: Session, actor: Actor, booking_id: uuid.UUID, action: str,
                    note: str | None = None) -> BookingFollowUp:
    """`contacted` (with a note) or `kept` (the booking stays and leaves the list)."""
    if action not in ("contacted", "kept"):  # cancelling is cancel_bookings
        raise Refused("UNKNOWN_ACTION", N_("Choose contacted or kept."))
    with use_case(session, lock=True):
        text = _note(note, required=False, field="note", missing=N_("Give a note."))
        booking = _booking_for_update(session, booking_id)
        if booking.status not in OCCUPYING_BOOKING_STATUSES:
            raise Refused("NOT_OCCUPYING", N_("This booking is no longer active; nothing to follow up."))
        row = BookingFollowUp(booking_id=booking.id, action=action, note=text, recorded_by=actor.user_id)
        session.add(row)
        log_event(session, actor, action="booking_followup_recorded", category="configuration",
                  target_type="booking", target_id=booking.id,
                  details=_details(booking, followup=action, label=FOLLOWUP_LABELS[action], note=text))
    return row


@audited(action="booking_cancelled", category="configuration", rows=None)  # one row per booking
def cancel_bookings(session: Session, actor: Actor, booking_ids: list[uuid.UUID], reason: str | None,
                    moved: bool = False, tell: bool = True) -> list[Booking]:
    """Cancel the bookings (all or none) with one reason; `moved`: the customer rebooked
    (reason "rescheduled"). Each gets a follow-up record and a log row, and unless
    ``tell`` is off its customer a cancellation message (messages.md)."""
    ids = list(dict.fromkeys(booking_ids))
    if not ids:
        raise Refused("NOTHING_CHOSEN", N_("Choose at least one booking."),
                      {"booking_ids": N_("Choose at least one booking.")})
    with use_case(session, lock=True):
        text = RESCHEDULED_REASON if moved else _note(reason, required=True, field="reason",
                                                      missing=N_("Give the reason for cancelling."))
        # one statement, rows locked in id order: two bulk cancels never deadlock; the
        # statuses are the locked rows' (for_update refreshes what the page had loaded)
        bookings = list(session.scalars(for_update(select(Booking).where(Booking.id.in_(ids))
                                                   .order_by(Booking.id))))
        if len(bookings) != len(ids):
            raise NotFound("NOT_FOUND", N_("One of these bookings no longer exists; nothing was changed."))
        ended = [b for b in bookings if b.status not in OCCUPYING_BOOKING_STATUSES]
        if ended:
            raise Refused("NOT_OCCUPYING", Msg("%(count)s of these bookings are no longer active (already "
                                               "cancelled or done); nothing was changed. Reload the list.",
                                               count=len(ended)))
        now = clock.now()
        for booking in bookings:
            previous = booking.status
            booking.status = "cancelled"
            booking.updated_at = now
            session.add(BookingFollowUp(booking_id=booking.id, action="moved" if moved else "cancelled",
                                        note=text, recorded_by=actor.user_id))
            log_event(session, actor, action="booking_cancelled", category="configuration",
                      target_type="booking", target_id=booking.id,
                      details=_details(booking, previous_status=previous, reason=text, moved=moved))
            if not moved and tell:  # messages.md: the customer is told in the same transaction
                queue_message(session, "cancellation", booking, "", created_by=actor.user_id, now=now)
    return bookings
