"""Writing messages into the outbox (messages.md): inside the caller's transaction.

`queue_message` adds one message row to the session of the use-case that causes it
(a cancellation, a booking, an admin's "tell the customers", the reminders job), so
the message exists exactly when its cause commits. It never commits. The text is
written now in the customer's language from the kind's template, with the link's
mark where the link goes (a token is minted at each send, never stored).

A customer is found by the booking's phone (customers table, front-desk.md) for the
language and the opt-out; a booking without a customer row is in Nepali and allowed.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import clock as portal_clock  # `clock` here is the domain's time-of-day words
from portal.domain import message_templates as templates
from portal.domain.bikram_sambat import bs_date, devanagari_digits
from portal.domain.bookings import clock, day_text
from portal.domain.messages import DEFAULT_LANGUAGE, channel_for, dedupe_key, sms_size
from portal.domain.phones import phone_or_none
from portal.message_settings import public_base_url
from portal.models import Booking, Customer, MessageTemplate, OutboundMessage, Service, StylistProfile

UTC = timezone.utc


@dataclass(frozen=True)
class Recipient:
    channel: str | None  # None: no contact
    address: str | None
    language: str
    allowed: bool  # False: the customer asked for no messages
    customer: Customer | None


def _remembered(memo: dict | None, key: tuple, load):
    """``load()``, kept in ``memo`` (a batch's lookups: the reminders job) when one is given."""
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def recipient_of(session: Session, booking: Booking, memo: dict | None = None) -> Recipient:
    """Where and in which language a message about ``booking`` goes."""
    phone = phone_or_none(booking.customer_phone)
    customer = _remembered(memo, ("customer", phone), lambda: session.scalar(
        select(Customer).where(Customer.phone == phone))) if phone else None
    email = booking.customer_email or (customer.email if customer else None)
    found = channel_for(phone, email)
    language = customer.language if customer else DEFAULT_LANGUAGE
    allowed = customer.messages_enabled if customer else True
    return Recipient(found[0] if found else None, found[1] if found else None, language, allowed, customer)


def template_text(session: Session, kind: str, language: str, memo: dict | None = None) -> tuple[str, str]:
    """(subject, body) of a kind in a language: the admins' edit, else the default."""
    def load():
        row = session.get(MessageTemplate, (kind, language))
        return (row.subject, row.body) if row else templates.DEFAULTS[(kind, language)]
    return _remembered(memo, ("template", kind, language), load)


def booking_values(session: Session, booking: Booking, language: str, memo: dict | None = None) -> dict[str, str]:
    """The placeholders' values for one booking, written for ``language``."""
    stylist = _remembered(memo, ("stylist", booking.stylist_user_id),
                          lambda: session.get(StylistProfile, booking.stylist_user_id))
    service = _remembered(memo, ("service", booking.service_id), lambda: session.get(Service, booking.service_id))
    zone = ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])
    local = booking.start_time.astimezone(zone)
    name = (booking.customer_name or "").strip()
    nepali = language == "ne"
    price = f"{booking.price_cents / 100:,.0f}"
    values = {
        "first_name": name.split()[0] if name else ("ग्राहक" if nepali else "Customer"),
        "date": day_text(local.date()),
        "bs_date": bs_date(local.date(), language) or "",
        "time": clock(local),
        "stylist": stylist.display_name if stylist else "",
        "service": service.name if service else "",
        "price": f"रु. {price}" if nepali else f"NPR {price}",
        "salon_name": current_app.config["SALON_NAME"],
        "salon_phone": current_app.config["SALON_PHONE"] or "",
    }
    if nepali:
        values["time"] = devanagari_digits(values["time"])
        values["price"] = devanagari_digits(values["price"])
    return values


def render(session: Session, kind: str, booking: Booking, language: str,
           subject: str | None = None, body: str | None = None, memo: dict | None = None) -> tuple[str, str, int]:
    """(subject, body with the link's mark, SMS segments with a real-length link)."""
    default_subject, default_body = template_text(session, kind, language, memo)
    values = booking_values(session, booking, language, memo)
    subject_text = templates.fill(subject if subject is not None else default_subject, values)
    body_text = templates.fill(body if body is not None else default_body, values)
    sample = templates.with_link(body_text, templates.sample_link(public_base_url(current_app.config)))
    return subject_text, body_text, sms_size(sample).segments


def queue_message(session: Session, kind: str, booking: Booking, qualifier: str, *,
                  created_by: uuid.UUID | None = None, resend: bool = False,
                  now: datetime | None = None, memo: dict | None = None) -> OutboundMessage | None:
    """Add ``kind``'s message about ``booking`` to the caller's transaction.

    One per event: a second message with the same (kind, booking, qualifier) is not
    written (None) unless ``resend`` (an admin's explicit resend). A customer without
    contact or who opted out gets a row in state `skipped`, so the page says why.
    ``memo``: a batch's cache of lookups; the batch has checked the keys itself and
    holds the only writer of its kind (the reminders job), so no savepoint is taken.
    """
    now = now or portal_clock.now()
    key = None if resend else dedupe_key(kind, booking.id, qualifier)
    if memo is None and key is not None and session.scalar(
            select(OutboundMessage.id).where(OutboundMessage.dedupe_key == key)):
        return None
    who = recipient_of(session, booking, memo)
    subject, body, segments = render(session, kind, booking, who.language, memo=memo)
    message = OutboundMessage(
        id=uuid.uuid4(), kind=kind, booking_id=booking.id, dedupe_key=key, channel=who.channel,
        recipient=who.address, language=who.language, subject=subject, body=body,
        segments=segments if who.channel == "sms" else 0, state="queued", attempts=0,
        next_attempt_at=now, queued_at=now, created_by=created_by,
    )
    if not who.allowed or who.channel is None:
        message.state, message.finished_at = "skipped", now
        message.reason = "opted_out" if not who.allowed else "no_contact"
    if key is None or memo is not None:  # an admin's resend, or a batch that checked its keys
        session.add(message)
        return message
    try:
        with session.begin_nested():  # a concurrent writer of the same event wins; the cause still commits
            session.add(message)
    except IntegrityError:
        return None
    return message
