"""What a customer does through their booking link (messages.md "The customer's link").

No portal user acts: each action's log row (`configuration`) has an empty actor and
`details` naming the customer (masked phone) and the link (the first characters of the
token's hash, never the token). Every action changes the booking or the customer row
in one transaction and frees or takes slots at once (the cache's triggers):

- keep: a follow-up record `contacted` with the `LINK_KEPT` note — the booking stays
  on the admins' follow-up list (the salon still decides), which shows the answer;
- cancel: until the service's min-advance hours before the start; the booking leaves
  the follow-up list by itself;
- choose another time: the front desk's one-step move (`move_booking`), the customer's
  free times being the public endpoint's (min-advance applies);
- stop messages: the customer row (created from the booking when missing) has
  `messages_enabled` off; waiting messages are then skipped at delivery.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain.messages import DEFAULT_LANGUAGE, LINK_CANCELLED, LINK_KEPT, masked_phone
from portal.domain.phones import phone_or_none
from portal.domain.refusals import NotFound, Refused
from portal.domain.translatable import N_
from portal.models import Booking, BookingFollowUp, Customer, Service, StylistProfile
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audited, log_event
from portal.services.desk import front_desk
from portal.services.desk.desk_free_times import FreeTime, free_times, stylists_offering
from portal.services.messaging.link_tokens import booking_for_token, token_hash
from portal.zones import is_time_zone

UTC = timezone.utc
CHOICE_DAYS = 14
GONE = N_("This link is not valid any more.")


@dataclass(frozen=True)
class LinkView:
    booking: Booking
    stylist: StylistProfile
    service: Service
    zone: str
    language: str  # the customer's stored language
    can_change: bool  # occupying and not started
    can_cancel: bool  # … and before the min-advance cut-off
    cancel_until: datetime
    messages_allowed: bool
    kept: bool  # the customer already said keep


def _customer(session: Session, booking: Booking) -> Customer | None:
    phone = phone_or_none(booking.customer_phone)
    return session.scalar(select(Customer).where(Customer.phone == phone)) if phone else None


def view(session: Session, token: str, now: datetime | None = None) -> LinkView | None:
    """What the link shows; None for a wrong or expired token (a plain 404)."""
    now = now or clock.now()
    booking = booking_for_token(session, token, now)
    if booking is None:
        return None
    stylist = session.get(StylistProfile, booking.stylist_user_id)
    service = session.get(Service, booking.service_id)
    customer = _customer(session, booking)
    zone = stylist.timezone if stylist and is_time_zone(stylist.timezone) else "Asia/Kathmandu"
    occupying = booking.status in OCCUPYING_BOOKING_STATUSES and booking.start_time > now
    cancel_until = booking.start_time - timedelta(hours=service.min_advance_hours)
    kept = session.scalar(select(BookingFollowUp.id).where(
        BookingFollowUp.booking_id == booking.id, BookingFollowUp.note == LINK_KEPT).limit(1)) is not None
    return LinkView(booking, stylist, service, zone, customer.language if customer else DEFAULT_LANGUAGE,
                    occupying and booking.status in ("pending", "confirmed"), occupying and now < cancel_until,
                    cancel_until, customer.messages_enabled if customer else True, kept)


def choices(session: Session, link: LinkView, any_stylist: bool, now: datetime | None = None) -> list[FreeTime]:
    """Free times of the next 14 days for the booking's service (the customer's rules:
    the service's min-advance applies): the same stylist's, or every offering stylist's."""
    now = now or clock.now()
    earliest = now + timedelta(hours=link.service.min_advance_hours)
    stylists = ([s.user_id for s in stylists_offering(session, link.service.id)] if any_stylist
                else [link.stylist.user_id])
    today = now.astimezone(ZoneInfo(link.zone)).date()
    found = []
    for stylist_id in stylists:
        for offset in range(CHOICE_DAYS):
            day: date = today + timedelta(days=offset)
            found += [t for t in free_times(session, stylist_id, link.service.id, day, now)
                      if t.start >= earliest and not (t.stylist_id == link.booking.stylist_user_id
                                                      and t.start == link.booking.start_time)]
    return sorted(found, key=lambda t: (t.start, str(t.stylist_id)))


def _actor(ip: str | None, user_agent: str | None) -> Actor:
    return Actor(user_id=None, name="customer link", ip=ip, user_agent=user_agent)


def _details(booking: Booking, token: str, **extra) -> dict:
    return {"customer": masked_phone(phone_or_none(booking.customer_phone) or booking.customer_phone),
            "link": token_hash(token)[:12], "start": booking.start_time.isoformat(), **extra}


def _locked(session: Session, token: str, now: datetime) -> Booking:
    booking = booking_for_token(session, token, now)
    if booking is None:
        raise NotFound("NOT_FOUND", GONE)
    return session.scalar(select(Booking).where(Booking.id == booking.id).with_for_update())


def _must_occupy(booking: Booking, now: datetime) -> None:
    if booking.status not in OCCUPYING_BOOKING_STATUSES or booking.start_time <= now:
        raise Refused("NOT_CHANGEABLE", N_("This booking can no longer be changed here; please call the salon."))


@audited(action="customer_link_kept", category="configuration")
def keep(session: Session, token: str, ip: str | None = None, user_agent: str | None = None) -> Booking:
    now = clock.now()
    with use_case(session, lock=True):
        booking = _locked(session, token, now)
        _must_occupy(booking, now)
        session.add(BookingFollowUp(booking_id=booking.id, action="contacted", note=LINK_KEPT, recorded_by=None))
        log_event(session, _actor(ip, user_agent), action="customer_link_kept", category="configuration",
                  target_type="booking", target_id=booking.id, details=_details(booking, token))
    return booking


@audited(action="customer_link_cancelled", category="configuration")
def cancel(session: Session, token: str, ip: str | None = None, user_agent: str | None = None) -> Booking:
    now = clock.now()
    with use_case(session, lock=True):
        booking = _locked(session, token, now)
        _must_occupy(booking, now)
        service = session.get(Service, booking.service_id)
        if now >= booking.start_time - timedelta(hours=service.min_advance_hours):
            raise Refused("TOO_LATE", N_("It is too late to cancel here; please call the salon."))
        booking.status, booking.updated_at = "cancelled", now
        session.add(BookingFollowUp(booking_id=booking.id, action="cancelled", note=LINK_CANCELLED,
                                    recorded_by=None))
        log_event(session, _actor(ip, user_agent), action="customer_link_cancelled", category="configuration",
                  target_type="booking", target_id=booking.id, details=_details(booking, token))
    return booking


@audited(action="customer_link_stopped_messages", category="configuration")
def stop_messages(session: Session, token: str, ip: str | None = None, user_agent: str | None = None) -> Customer:
    now = clock.now()
    with use_case(session, lock=True):
        booking = _locked(session, token, now)
        phone = phone_or_none(booking.customer_phone)
        if phone is None:
            raise Refused("NO_PHONE", N_("This booking has no phone number to stop messages to."))
        customer = session.scalar(select(Customer).where(Customer.phone == phone).with_for_update())
        if customer is None:
            customer = Customer(name=(booking.customer_name or "").strip() or phone, phone=phone,
                                email=booking.customer_email)
            session.add(customer)
        customer.messages_enabled, customer.updated_at = False, now
        log_event(session, _actor(ip, user_agent), action="customer_link_stopped_messages",
                  category="configuration", target_type="booking", target_id=booking.id,
                  details=_details(booking, token))
    return customer


def move(session: Session, token: str, stylist_id: uuid.UUID, start: datetime, ip: str | None = None,
         user_agent: str | None = None) -> Booking:
    """Choose another time: the front desk's one-step move (its log row, no portal user);
    a time taken meanwhile is refused with the fresh free times (`Refused.details`)."""
    now = clock.now()
    booking = booking_for_token(session, token, now)
    if booking is None:
        raise NotFound("NOT_FOUND", GONE)
    _must_occupy(booking, now)
    service = session.get(Service, booking.service_id)
    if start < now + timedelta(hours=service.min_advance_hours):
        raise Refused("TOO_SOON", N_("That time is too soon; choose a later one."), {"start": N_("Too soon.")})
    return front_desk.move_booking(session, _actor(ip, user_agent), booking.id, stylist_id=stylist_id, start=start,
                                   followup=True, now=now, tell=False)
