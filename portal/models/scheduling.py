"""The service engine's own tables: overrides, budgets, promotions."""
from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Text, false, func, text,
)
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.override_kinds import OVERRIDE_TYPES
from portal.domain.promotion import BACKGROUND_VALUES, FINAL_STATES, ID_VALUES, OPEN_SEQUENCE, STATES, SUBMITTED_STATES
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, JSONDoc, LocalTime, UTCDateTime, new_uuid, next_month_start, utc_now

# Vocabularies live in portal/domain/ (override_kinds, promotion); the checks read them.


class ScheduleOverride(db.Model):
    __tablename__ = "schedule_overrides"
    __table_args__ = (
        CheckConstraint(one_of("override_type", OVERRIDE_TYPES), name="type_known"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint(
            "is_closed OR (override_start_time IS NOT NULL AND override_end_time IS NOT NULL)",
            name="hours_unless_closed",
        ),
        CheckConstraint(
            "(applies_to_all_stylists AND stylist_user_id IS NULL)"
            " OR (NOT applies_to_all_stylists AND stylist_user_id IS NOT NULL)",
            name="one_scope",
        ),
        CheckConstraint(
            "override_end_time IS NULL OR override_end_time > override_start_time", name="times_in_order"
        ),
        CheckConstraint("priority BETWEEN 0 AND 100", name="priority_range"),
        Index("ix_schedule_overrides_lookup", "stylist_user_id", "start_date", "end_date"),
        Index(
            "ix_schedule_overrides_all_stylists", "start_date", "end_date",
            postgresql_where=text("applies_to_all_stylists"), sqlite_where=text("applies_to_all_stylists"),
        ),
        Index("ix_schedule_overrides_priority", "priority", "start_date"),
        Index(
            "ix_schedule_overrides_daterange",
            func.daterange(text("start_date"), text("end_date"), text("'[]'")),
            postgresql_using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    override_type: Mapped[str] = mapped_column(Text, nullable=False)
    applies_to_all_stylists: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    stylist_user_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE")
    )
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    override_start_time: Mapped[time | None] = mapped_column(LocalTime())
    override_end_time: Mapped[time | None] = mapped_column(LocalTime())
    is_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )


class StylistOverrideBudget(db.Model):
    __tablename__ = "stylist_override_budgets"
    __table_args__ = (
        CheckConstraint("monthly_override_limit > 0", name="limit_positive"),
        CheckConstraint("current_month_overrides >= 0", name="used_nonnegative"),
        CheckConstraint("emergency_overrides_remaining >= 0", name="emergency_nonnegative"),
        Index("ix_stylist_override_budgets_reset", "budget_reset_at"),
    )

    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    monthly_override_limit: Mapped[int] = mapped_column(Integer, nullable=False, default=10, server_default=text("10"))
    current_month_overrides: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    emergency_overrides_remaining: Mapped[int] = mapped_column(
        Integer, nullable=False, default=3, server_default=text("3")
    )
    budget_reset_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, server_default=next_month_start())
    last_override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )


class StylistPromotion(db.Model):
    __tablename__ = "stylist_promotions"
    __table_args__ = (
        CheckConstraint(one_of("background_check_status", BACKGROUND_VALUES), name="background_known"),
        CheckConstraint(one_of("id_verification_status", ID_VALUES), name="id_verification_known"),
        CheckConstraint(one_of("status", STATES), name="status_known"),
        CheckConstraint("approved_at IS NULL OR status = 'approved'", name="approved_at_only_approved"),
        CheckConstraint("rejected_at IS NULL OR status = 'rejected'", name="rejected_at_only_rejected"),
        CheckConstraint("rejection_reason IS NULL OR status = 'rejected'", name="rejection_reason_only_rejected"),
        CheckConstraint("revocation_reason IS NULL OR status = 'revoked'", name="revocation_reason_only_revoked"),
        Index(
            "uq_stylist_promotions_open_user", "user_id", unique=True,
            postgresql_where=text(one_of("status", OPEN_SEQUENCE)),
            sqlite_where=text(one_of("status", OPEN_SEQUENCE)),
        ),
        Index(
            "ix_stylist_promotions_open_status", "status",
            postgresql_where=text(one_of("status", SUBMITTED_STATES)),
            sqlite_where=text(one_of("status", SUBMITTED_STATES)),
        ),
        Index("ix_stylist_promotions_created", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("user_profiles.id", ondelete="CASCADE"), nullable=False, index=True
    )
    requested_by: Mapped[uuid.UUID] = mapped_column(GUID(), ForeignKey("user_profiles.id"), nullable=False)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    background_check_status: Mapped[str] = mapped_column(
        Text, nullable=False, default="pending", server_default=text("'pending'")
    )
    id_verification_status: Mapped[str] = mapped_column(
        Text, nullable=False, default="pending", server_default=text("'pending'")
    )
    training_completed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    mfa_enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    status: Mapped[str] = mapped_column(Text, nullable=False, default="draft", server_default=text("'draft'"))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[list] = mapped_column(JSONDoc, nullable=False, default=list, server_default=text("'[]'"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now()
    )
    # Beyond the seed: who revoked and when (approved_at must be cleared on revoke by the
    # seed's check), and a version counter for exactly-once transitions.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_final(self) -> bool:
        """Approved, rejected or revoked: nothing more happens to it."""
        return self.status in FINAL_STATES
