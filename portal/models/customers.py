"""The portal's own customers (front-desk.md): one row per normalised phone number.

The public site neither reads nor writes this table; a row's `phone` is the E.164
form of `bookings.customer_phone` (portal/domain/phones.py).
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Text, text, true
from sqlalchemy.orm import Mapped, mapped_column

from portal.domain.customers import CUSTOMER_LANGUAGES, DEFAULT_CUSTOMER_LANGUAGE
from portal.extensions import db
from portal.models.catalog import _in
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now, utcnow


class Customer(db.Model):
    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint(_in("language", CUSTOMER_LANGUAGES), name="language_known"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    name: Mapped[str] = mapped_column(Text, nullable=False)
    phone: Mapped[str] = mapped_column(Text, nullable=False, unique=True)  # E.164
    email: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(
        Text, nullable=False, default=DEFAULT_CUSTOMER_LANGUAGE, server_default=text(f"'{DEFAULT_CUSTOMER_LANGUAGE}'"))
    messages_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow, server_default=utc_now()
    )
