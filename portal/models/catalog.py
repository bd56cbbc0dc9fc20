"""Stylists and what they offer: profiles, services, offers, weekly schedules."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean, CheckConstraint, Date, ForeignKey, Integer, SmallInteger, Text,
    UniqueConstraint, text, true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import clock
from portal.domain.catalogue import SERVICE_CATEGORIES
from portal.extensions import db
from portal.models.people import UserProfile
from portal.models.types import GUID, JSONDoc, LocalTime, UTCDateTime, current_day, new_uuid, utc_now


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK's `column IN ('a', 'b')` for a vocabulary of the domain."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class StylistProfile(db.Model):
    __tablename__ = "stylist_profiles"
    __table_args__ = (
        CheckConstraint("booking_buffer_minutes BETWEEN 0 AND 120", name="buffer_range"),
        CheckConstraint("years_experience IS NULL OR years_experience >= 0", name="years_nonnegative"),
        CheckConstraint(
            "(is_active AND deactivated_at IS NULL) OR (NOT is_active AND deactivated_at IS NOT NULL)",
            name="active_matches_deactivated",
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    bio: Mapped[str | None] = mapped_column(Text)
    years_experience: Mapped[int | None] = mapped_column(Integer)
    specialties: Mapped[list] = mapped_column(JSONDoc, nullable=False, default=list, server_default=text("'[]'"))
    timezone: Mapped[str] = mapped_column(Text, nullable=False, server_default=text("'Asia/Kathmandu'"))
    booking_buffer_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=15, server_default=text("15"))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_by: Mapped[uuid.UUID | None] = mapped_column(GUID())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )

    user: Mapped[UserProfile] = relationship(lazy="joined")


class Service(db.Model):
    __tablename__ = "services"
    __table_args__ = (
        CheckConstraint(one_of("category", SERVICE_CATEGORIES), name="category_known"),
        CheckConstraint("duration_minutes BETWEEN 1 AND 480", name="duration_range"),
        CheckConstraint("base_price_cents >= 0", name="price_nonnegative"),
        CheckConstraint("min_advance_hours >= 0", name="min_advance_nonnegative"),
        CheckConstraint("max_advance_days >= 1", name="max_advance_positive"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    name: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    name_ne: Mapped[str | None] = mapped_column(Text)  # shown on Nepali pages; None: the English name
    slug: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    category: Mapped[str] = mapped_column(Text, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    base_price_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    min_advance_hours: Mapped[int] = mapped_column(Integer, nullable=False, default=2, server_default=text("2"))
    max_advance_days: Mapped[int] = mapped_column(Integer, nullable=False, default=30, server_default=text("30"))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )

    def name_in(self, language: str) -> str:
        """The name people read in `language`: the Nepali name on Nepali pages when it is set."""
        return self.name_ne if language == "ne" and self.name_ne else self.name


class StylistService(db.Model):
    __tablename__ = "stylist_services"
    __table_args__ = (
        UniqueConstraint("stylist_user_id", "service_id"),
        CheckConstraint("custom_price_cents IS NULL OR custom_price_cents >= 0", name="price_nonnegative"),
        CheckConstraint(
            "custom_duration_minutes IS NULL OR custom_duration_minutes BETWEEN 1 AND 480",
            name="duration_range",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE"), nullable=False
    )
    service_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("services.id", ondelete="CASCADE"), nullable=False, index=True
    )
    custom_price_cents: Mapped[int | None] = mapped_column(Integer)
    custom_duration_minutes: Mapped[int | None] = mapped_column(Integer)
    is_available: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())

    service: Mapped[Service] = relationship(lazy="joined")


class StylistSchedule(db.Model):
    """A weekly base-schedule row; times are wall-clock times in the stylist's zone."""

    __tablename__ = "stylist_schedules"
    __table_args__ = (
        UniqueConstraint("stylist_user_id", "day_of_week", "effective_from"),
        CheckConstraint("day_of_week BETWEEN 0 AND 6", name="day_of_week_range"),
        CheckConstraint("end_time_local > start_time_local", name="shift_in_order"),
        CheckConstraint(
            "(break_start_time_local IS NULL) = (break_end_time_local IS NULL)", name="break_both_or_neither"
        ),
        CheckConstraint(
            "break_start_time_local IS NULL OR (break_start_time_local >= start_time_local"
            " AND break_end_time_local <= end_time_local"
            " AND break_end_time_local > break_start_time_local)",
            name="break_inside_shift",
        ),
        CheckConstraint("effective_until IS NULL OR effective_until >= effective_from", name="effective_in_order"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE"), nullable=False
    )
    day_of_week: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    start_time_local: Mapped[time] = mapped_column(LocalTime(), nullable=False)
    end_time_local: Mapped[time] = mapped_column(LocalTime(), nullable=False)
    break_start_time_local: Mapped[time | None] = mapped_column(LocalTime())
    break_end_time_local: Mapped[time | None] = mapped_column(LocalTime())
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())
    effective_from: Mapped[date] = mapped_column(Date, nullable=False, default=date.today, server_default=current_day())
    effective_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )
