"""Bookings and holds, written mostly by the public booking site."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.bookings import (
    BOOKING_SOURCES, BOOKING_STATUSES, CANCELLED, FOLLOWUP_ACTIONS, MISSED_STATUSES, MOVABLE_STATUSES,
    OCCUPYING_BOOKING_STATUSES,
)  # the statuses are the domain's; services still import them from here too
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now, utc_now_plus_minutes

# Occupancies longer than 24 hours: a partial index per table lets the slots loader
# find them without scanning the stylist's history (migration 0003a).
LONG_OCCUPANCY_WHERE = {
    "postgresql_where": text("end_time - start_time > interval '24 hours'"),
    "sqlite_where": text("julianday(end_time) - julianday(start_time) > 1"),
}
HOLD_STATUSES = ("reserved", "confirmed", "expired", "cancelled")


class Booking(db.Model):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="times_in_order"),
        CheckConstraint("price_cents >= 0", name="price_nonnegative"),
        CheckConstraint(one_of("status", BOOKING_STATUSES), name="status_known"),
        CheckConstraint(one_of("source", BOOKING_SOURCES), name="source_known"),
        Index("ix_bookings_stylist_start", "stylist_user_id", "start_time"),
        Index("ix_bookings_stylist_long", "stylist_user_id", "end_time", **LONG_OCCUPANCY_WHERE),
        Index("ix_bookings_start", "start_time"),  # a period's bookings, every stylist (reports, migration 0016)
        Index("ix_bookings_customer_phone", "customer_phone"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    customer_user_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="SET NULL"), index=True
    )
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("stylist_profiles.user_id"), nullable=False)
    service_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("services.id"), nullable=False, index=True)
    start_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    end_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="confirmed", server_default=text("'confirmed'"))
    customer_name: Mapped[str | None] = mapped_column(Text)
    customer_phone: Mapped[str | None] = mapped_column(Text)
    customer_email: Mapped[str | None] = mapped_column(Text)
    customer_notes: Mapped[str | None] = mapped_column(Text)
    # The portal's columns (front-desk.md, migration 0012): who wrote the booking —
    # 'online' (the public site, the default), or the desk ('phone', 'walk_in') and who.
    source: Mapped[str] = mapped_column(Text, nullable=False, default="online", server_default=text("'online'"))
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )

    @property
    def occupies(self) -> bool:
        """Holds its slot (pending, confirmed or in progress)."""
        return self.status in OCCUPYING_BOOKING_STATUSES

    @property
    def movable(self) -> bool:
        """The desk may still move it to another time."""
        return self.status in MOVABLE_STATUSES

    @property
    def missed(self) -> bool:
        """Cancelled or a no-show: the visit did not happen."""
        return self.status in MISSED_STATUSES

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED


class BookingReservation(db.Model):
    """A short hold while a customer pays; occupies while reserved and unexpired."""

    __tablename__ = "booking_reservations"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="times_in_order"),
        CheckConstraint("price_cents >= 0", name="price_nonnegative"),
        CheckConstraint(one_of("status", HOLD_STATUSES), name="status_known"),
        Index("ix_booking_reservations_stylist_start", "stylist_user_id", "start_time"),
        Index("ix_booking_reservations_stylist_long", "stylist_user_id", "end_time", **LONG_OCCUPANCY_WHERE),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    customer_user_id: Mapped[uuid.UUID | None] = mapped_column(GUID())
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("stylist_profiles.user_id"), nullable=False)
    service_id: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("services.id"), nullable=False, index=True)
    start_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    end_time: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    price_cents: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    status: Mapped[str] = mapped_column(Text, nullable=False, default="reserved", server_default=text("'reserved'"))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, server_default=utc_now_plus_minutes(15))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())


class BookingFollowUp(db.Model):
    """What an admin recorded about a booking a schedule change left outside the hours.

    The portal's own table (bookings stay the public site's): the follow-up history
    shown on the booking's page; a `kept` row takes the booking off the follow-up list.
    """

    __tablename__ = "booking_followups"
    __table_args__ = (
        CheckConstraint(one_of("action", FOLLOWUP_ACTIONS), name="action_known"),
        Index("ix_booking_followups_booking", "booking_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    # No foreign key on purpose: `bookings` is the public site's table, and a reference
    # from the portal's own table would stop its clients from truncating it. Every read
    # goes through a booking, so rows of a deleted booking are simply never shown.
    booking_id: Mapped[uuid.UUID] = mapped_column(GUID(), nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
