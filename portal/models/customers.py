"""The portal's own customers (front-desk.md): one row per normalised phone number.

The public site neither reads nor writes this table; a row's `phone` is the E.164
form of `bookings.customer_phone` (portal/domain/phones.py).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.customers import CUSTOMER_LANGUAGES, DEFAULT_CUSTOMER_LANGUAGE
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now


class Customer(db.Model):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(one_of("language", CUSTOMER_LANGUAGES), name="language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    name: Mapped[str] = mapped_column(Text, nullable=False)
    phone: Mapped[str] = mapped_column(Text, nullable=False, unique=True)  # E.164
    email: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(
        Text, nullable=False, default=DEFAULT_CUSTOMER_LANGUAGE, server_default=text(f"'{DEFAULT_CUSTOMER_LANGUAGE}'"))
    messages_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )


class CustomerPhone(db.Model):
    """A phone as some booking typed it, and the customer it normalises to.

    The public site writes `bookings.customer_phone` as typed; the portal meets each new
    text once (services/desk/customers.py `link_new_phones`) and records here which customer
    it is — or none, when the text is not a valid number (an "unmatched" phone). A
    customer's bookings are those whose `customer_phone` is one of their texts.
    """

    __tablename__ = "customer_phones"

    phone_text: Mapped[str] = mapped_column(Text, primary_key=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID(), ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
