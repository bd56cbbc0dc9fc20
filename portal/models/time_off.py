"""Stylists' time-off requests (time-off-and-reports.md): the portal's own table."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.time_off import APPROVED, CANCELLED, DECLINED, KINDS, STATES, WAITING
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now


class TimeOffRequest(db.Model):
    """One stylist's request for whole days off, and its decision.

    `vacation_override_id` links the vacation made on approval; deleting that vacation
    sets it to NULL (the request then says its vacation was deleted).
    """

    __tablename__ = "time_off_requests"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("status", STATES), name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint("status <> 'declined' OR decision_reason IS NOT NULL", name="declined_has_reason"),
        Index("ix_time_off_requests_stylist_dates", "stylist_user_id", "start_date", "end_date"),
        Index("ix_time_off_requests_status", "status", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    stylist_user_id: Mapped[uuid.UUID] = mapped_column(
        GUID(), ForeignKey("stylist_profiles.user_id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, nullable=False, default=WAITING, server_default=text("'waiting'"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    vacation_override_id: Mapped[uuid.UUID | None] = mapped_column(
        GUID(), ForeignKey("schedule_overrides.id", ondelete="SET NULL"))
    ended_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))  # withdrew/cancelled
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now, server_default=utc_now())

    @property
    def vacation_deleted(self) -> bool:
        """Approved, but its vacation has since been deleted."""
        return self.status == APPROVED and self.vacation_override_id is None

    @property
    def is_waiting(self) -> bool:
        return self.status == WAITING

    @property
    def is_approved(self) -> bool:
        return self.status == APPROVED

    @property
    def is_declined(self) -> bool:
        return self.status == DECLINED

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED
