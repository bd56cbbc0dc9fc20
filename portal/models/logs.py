"""The append-only logs and the availability cache (schema `private` on PostgreSQL)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text,
    UniqueConstraint, false, text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.database import PRIVATE_SCHEMA
from portal.domain.audit_vocabulary import CATEGORIES, SEVERITIES, TARGET_TYPES
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, JSONDoc, UTCDateTime, utc_now, utc_now_plus_minutes

PRIVATE = {"schema": PRIVATE_SCHEMA}  # the table arguments of a private table
BigId = BigInteger().with_variant(Integer(), "sqlite")
IPAddress = String(45).with_variant(postgresql.INET(), "postgresql")

CHANGE_TYPES = ("availability_override", "schedule_update", "emergency_block")


class ScheduleChangeLog(db.Model):
    """Every change to a stylist's availability. Append-only (database trigger)."""

    __tablename__ = "schedule_change_log"
    __table_args__ = (
        CheckConstraint(one_of("change_type", CHANGE_TYPES), name="change_type_known"),
        Index("ix_schedule_change_log_stylist_date", "stylist_user_id", "change_date"),
        Index("ix_schedule_change_log_created", "created_at"),
        Index("ix_schedule_change_log_type", "change_type", "created_at"),
        PRIVATE,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id"), nullable=False
    )
    change_date: Mapped[date] = mapped_column(Date, nullable=False)
    change_type: Mapped[str] = mapped_column(Text, nullable=False)
    old_values: Mapped[dict | None] = mapped_column(JSONDoc)
    new_values: Mapped[dict | None] = mapped_column(JSONDoc)
    reason: Mapped[str | None] = mapped_column(Text)
    is_emergency: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    ip_address: Mapped[str | None] = mapped_column(IPAddress)
    user_agent: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())


class ServiceManagementLog(db.Model):
    """Administrative and security events. Append-only (database trigger)."""

    __tablename__ = "service_management_log"
    __table_args__ = (
        CheckConstraint(f"target_type IS NULL OR {one_of('target_type', TARGET_TYPES)}", name="target_type_known"),
        CheckConstraint(one_of("severity", SEVERITIES), name="severity_known"),
        CheckConstraint(one_of("category", CATEGORIES), name="category_known"),
        Index("ix_service_management_log_category", "category", "created_at"),
        Index("ix_service_management_log_admin", "admin_user_id", "created_at"),
        Index(
            "ix_service_management_log_severity", "severity", "created_at",
            postgresql_where=text("severity IN ('warning', 'critical')"),
            sqlite_where=text("severity IN ('warning', 'critical')"),
        ),
        Index("ix_service_management_log_created", "created_at", "id"),
        Index("ix_service_management_log_target", "target_id", "action"),  # who cancelled a booking (migration 0016)
        PRIVATE,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    admin_user_id: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    action: Mapped[str] = mapped_column(Text, nullable=False)
    target_id: Mapped[uuid.UUID | None] = mapped_column(GUID())
    target_type: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text, nullable=False, default="info", server_default=text("'info'"))
    category: Mapped[str] = mapped_column(Text, nullable=False)
    details: Mapped[dict | None] = mapped_column(JSONDoc)
    ip_address: Mapped[str | None] = mapped_column(IPAddress)
    user_agent: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())


class AvailabilityCache(db.Model):
    """One cached day of slots per (stylist, service, date)."""

    __tablename__ = "availability_cache"
    __table_args__ = (
        UniqueConstraint("stylist_user_id", "service_id", "cache_date"),
        PRIVATE,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE"), nullable=False
    )
    service_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("services.id", ondelete="CASCADE"), nullable=False
    )  # no index: an entry's rewrite changes no indexed column (HOT update, migration 0005)
    cache_date: Mapped[date] = mapped_column(Date, nullable=False)
    available_slots: Mapped[list] = mapped_column(JSONDoc, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, server_default=utc_now_plus_minutes(5))
    # The generations (private.availability_generation) read BEFORE the data the entry
    # was computed from; the entry is served only while both are still current.
    stylist_generation: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    global_generation: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    # The sum of the day counters (availability_day_generation) of the stylist and the
    # global scope over [days_from, days_to], read before the data (migration 0005).
    day_generation: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
    days_from: Mapped[date | None] = mapped_column(Date)
    days_to: Mapped[date | None] = mapped_column(Date)


GLOBAL_SCOPE = uuid.UUID(int=0)


class AvailabilityGeneration(db.Model):
    """Invalidation counters bumped by database triggers (migration 0003b).

    `scope` is a stylist's user id (their bookings, holds, schedules, offers,
    profile, own overrides) or GLOBAL_SCOPE (services, business-wide overrides,
    TRUNCATE). Rows are never deleted (trigger), so a generation never repeats.
    """

    __tablename__ = "availability_generation"
    # WITHOUT ROWID on SQLite: a bump touches one B-tree page, not a table and an index
    __table_args__ = ({**PRIVATE, "sqlite_with_rowid": False},)

    scope: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))


class AvailabilityDayGeneration(db.Model):
    """Invalidation counters per (scope, date), bumped by triggers (migration 0005).

    Bookings and holds bump their stylist's UTC dates; overrides their stylist's (or,
    business-wide, the global scope's) calendar dates. Rows of dates long past are
    deleted by `prune-cache`: no entry that can still be served covers them.
    """

    __tablename__ = "availability_day_generation"
    __table_args__ = ({**PRIVATE, "sqlite_with_rowid": False},)

    scope: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))


class SlotRequestStat(db.Model):
    """Per-minute counts of slot requests by result, flushed in batches by each process."""

    __tablename__ = "slot_request_stats"
    __table_args__ = (PRIVATE,)

    minute: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    result: Mapped[str] = mapped_column(Text, primary_key=True)
    requests: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default=text("0"))
