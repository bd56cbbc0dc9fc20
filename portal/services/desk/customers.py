"""Customers (front-desk.md): one row per normalised phone; the customers page and a
customer's page; linking the phones the public site typed on its bookings.

Where the public site's phones become customers: `link_new_phones` meets every
`bookings.customer_phone` text the portal has not met yet, once — run by the customers
page and the day board before they read, and by `flask link-customers` (meant for every
minute, so a row exists within a minute even when nobody opens a page). Texts that do
not parse are recorded with no customer ("unmatched") and listed on the customers page.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import case, func, literal_column, or_, select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import insert_ignoring_conflicts, use_case
from portal.domain.customers import CUSTOMER_LANGUAGES
from portal.domain.phones import masked_phone, normalise_phone, phone_or_none
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.translatable import N_
from portal.models import Booking, Customer, CustomerPhone, Service, StylistProfile
from portal.services.audit import audit_exempt, audited, log_event

UTC = timezone.utc
PAGE_SIZE = 50
MAX_NOTES = 2000
NO_CUSTOMER = N_("That customer does not exist.")


@dataclass(frozen=True)
class LinkResult:
    linked: int
    unmatched: int


@dataclass(frozen=True)
class Counts:
    visits: int = 0
    no_shows: int = 0
    cancellations: int = 0
    spent_cents: int = 0
    last_visit: datetime | None = None
    next_visit: datetime | None = None


@dataclass(frozen=True)
class ListedCustomer:
    customer: Customer
    masked_phone: str
    counts: Counts


@dataclass(frozen=True)
class CustomerPage:
    customer: Customer
    counts: Counts
    upcoming: list[tuple[Booking, StylistProfile, Service]]
    past: list[tuple[Booking, StylistProfile, Service]]


def _customer_for(session: Session, phone: str, name: str | None, email: str | None) -> uuid.UUID:
    found = session.scalar(select(Customer.id).where(Customer.phone == phone))
    if found is not None:
        return found
    insert_ignoring_conflicts(session, Customer, {
        "id": uuid.uuid4(), "phone": phone, "name": (name or "").strip() or masked_phone(phone),
        "email": (email or "").strip() or None})
    return session.scalar(select(Customer.id).where(Customer.phone == phone))


@audit_exempt("bookkeeping: customer rows for phones the public site wrote; nobody acts, nothing is decided")
def link_new_phones(session: Session) -> LinkResult:
    """Give every booking phone text the portal has not met its customer (or record it
    as unmatched). Cheap when nothing is new: one anti-join on an indexed column."""
    linked = unmatched = 0
    with use_case(session, lock=True):
        known = select(CustomerPhone.phone_text).where(CustomerPhone.phone_text == Booking.customer_phone)
        rows = session.execute(
            select(Booking.customer_phone, Booking.customer_name, Booking.customer_email)
            .where(Booking.customer_phone.is_not(None), ~known.exists())
            .order_by(Booking.created_at.desc())).all()
        seen: set[str] = set()
        for text, name, email in rows:  # newest first: the latest name a phone was booked under
            if text in seen:
                continue
            seen.add(text)
            phone = phone_or_none(text)
            customer_id = _customer_for(session, phone, name, email) if phone else None
            insert_ignoring_conflicts(session, CustomerPhone, {"phone_text": text, "customer_id": customer_id})
            linked += phone is not None
            unmatched += phone is None
    return LinkResult(linked, unmatched)


def remember_customer(session: Session, phone_text: str, name: str, email: str | None) -> Customer:
    """Inside a desk use-case: the customer of ``phone_text`` (E.164 or typed), created or
    updated with the name and email just given; the text is linked to them."""
    phone = normalise_phone(phone_text)
    customer = session.scalar(select(Customer).where(Customer.phone == phone))
    if customer is None:
        customer = Customer(phone=phone, name=name.strip())
        session.add(customer)
        session.flush()
    else:
        customer.name = name.strip() or customer.name
    if email:
        customer.email = email.strip()
    insert_ignoring_conflicts(session, CustomerPhone, {"phone_text": phone, "customer_id": customer.id})
    return customer


def customer_by_phone(session: Session, phone_text: str) -> tuple[Customer | None, str]:
    """The customer a typed phone belongs to (None when new) and its E.164 form
    (`Refused` on the `phone` field when it is not a number)."""
    phone = normalise_phone(phone_text)
    return session.scalar(select(Customer).where(Customer.phone == phone)), phone


def _bookings_of(customer_ids):
    return (select(Booking, CustomerPhone.customer_id)
            .join(CustomerPhone, CustomerPhone.phone_text == Booking.customer_phone)
            .where(CustomerPhone.customer_id.in_(customer_ids)))


def counts_for(session: Session, customer_ids: list[uuid.UUID], now: datetime | None = None) -> dict:
    """customer id → Counts (visits = completed, total spent on completed bookings)."""
    if not customer_ids:
        return {}
    now = now or clock.now()
    status = Booking.status
    rows = session.execute(
        select(CustomerPhone.customer_id,
               func.sum(case((status == "completed", 1), else_=0)),
               func.sum(case((status == "no_show", 1), else_=0)),
               func.sum(case((status == "cancelled", 1), else_=0)),
               func.sum(case((status == "completed", Booking.price_cents), else_=0)),
               func.max(case((status == "completed", Booking.start_time))),
               func.min(case((status.in_(("pending", "confirmed")) & (Booking.start_time >= now),
                              Booking.start_time))))
        .join(Booking, Booking.customer_phone == CustomerPhone.phone_text)
        .where(CustomerPhone.customer_id.in_(customer_ids))
        .group_by(CustomerPhone.customer_id)).all()
    column = Booking.__table__.c.start_time.type
    dialect = session.get_bind().dialect

    def when(value):
        return column.process_result_value(value, dialect) if isinstance(value, str) else value

    return {r[0]: Counts(int(r[1] or 0), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), when(r[5]), when(r[6]))
            for r in rows}


def search_customers(session: Session, query: str | None, limit: int = PAGE_SIZE) -> list[ListedCustomer]:
    """Customers whose name or phone contains ``query`` (any part of the number, typed
    with or without spaces and dashes), by name; the list never carries the full phone."""
    words = (query or "").strip().lower()
    statement = select(Customer).order_by(func.lower(Customer.name), Customer.id).limit(limit)
    if words:
        digits = "".join(ch for ch in words if ch.isdigit())
        phone_like = digits and all(ch.isdigit() or ch in " -+()" for ch in words)
        # exactly the trigram index's expression (0012b), the space a literal so PostgreSQL uses the index
        haystack = func.lower(Customer.name).concat(literal_column("' '")).concat(Customer.phone)
        pattern = "%" + (digits if phone_like else _escape(words)) + "%"
        statement = statement.where(or_(haystack.like(pattern, escape="\\")))
    customers = list(session.scalars(statement))
    counts = counts_for(session, [c.id for c in customers])
    return [ListedCustomer(c, masked_phone(c.phone), counts.get(c.id, Counts())) for c in customers]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def unmatched_phones(session: Session, limit: int = PAGE_SIZE) -> list[tuple[str, list[Booking]]]:
    """Phone texts on bookings that are not numbers, each with its bookings (newest first)."""
    texts = list(session.scalars(select(CustomerPhone.phone_text).where(CustomerPhone.customer_id.is_(None))
                                 .order_by(CustomerPhone.seen_at.desc()).limit(limit)))
    if not texts:
        return []
    found: dict[str, list[Booking]] = {t: [] for t in texts}
    for booking in session.scalars(select(Booking).where(Booking.customer_phone.in_(texts))
                                   .order_by(Booking.start_time.desc())):
        found[booking.customer_phone].append(booking)
    return list(found.items())


@audited(action="customer_viewed", category="data_access")
def open_customer(session: Session, actor: Actor, customer_id: uuid.UUID,
                  now: datetime | None = None) -> CustomerPage:
    """A customer's page (admins): contact data, bookings and counts; writes `customer_viewed`."""
    now = now or clock.now()
    with use_case(session):
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("NOT_FOUND", NO_CUSTOMER)
        log_event(session, actor, action="customer_viewed", category="data_access", target_type="customer",
                  target_id=customer.id)
        rows = session.execute(
            select(Booking, StylistProfile, Service)
            .join(CustomerPhone, CustomerPhone.phone_text == Booking.customer_phone)
            .join(StylistProfile, StylistProfile.user_id == Booking.stylist_user_id)
            .join(Service, Service.id == Booking.service_id)
            .where(CustomerPhone.customer_id == customer.id)
            .order_by(Booking.start_time.desc()).limit(500)).all()
        counts = counts_for(session, [customer.id], now).get(customer.id, Counts())
    upcoming = sorted((tuple(r) for r in rows if r[0].start_time >= now), key=lambda r: r[0].start_time)
    past = [tuple(r) for r in rows if r[0].start_time < now]
    return CustomerPage(customer, counts, upcoming, past)


@audited(action="customer_updated", category="configuration")
def update_customer(session: Session, actor: Actor, customer_id: uuid.UUID, *, name: str, email: str | None,
                    language: str, messages_enabled: bool, notes: str | None) -> Customer:
    """Edit a customer's name, email, language, messages on/off and staff notes."""
    name, notes = (name or "").strip(), (notes or "").strip() or None
    errors = {}
    if not name:
        errors["name"] = N_("Give the customer's name.")
    if language not in CUSTOMER_LANGUAGES:
        errors["language"] = N_("Choose Nepali or English.")
    if notes and len(notes) > MAX_NOTES:
        errors["notes"] = N_("Keep the notes under 2,000 characters.")
    if errors:
        raise Refused(INVALID, fields=errors)
    with use_case(session, lock=True):
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound("NOT_FOUND", NO_CUSTOMER)
        after = {"name": name, "email": (email or "").strip() or None, "language": language,
                 "messages_enabled": bool(messages_enabled), "notes": notes}
        changed = sorted(k for k, v in after.items() if getattr(customer, k) != v)
        for key, value in after.items():
            setattr(customer, key, value)
        log_event(session, actor, action="customer_updated", category="configuration", target_type="customer",
                  target_id=customer.id, details={"changed": changed})  # which fields, never their values
    return customer
