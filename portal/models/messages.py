"""Messages to customers (messages.md): the outbox, the templates, the customers' links,
the channels' pause state and the periodic jobs' runs. All the portal's own tables.

`booking_id` columns have no foreign key on purpose (as `booking_followups`): bookings
are the public site's table and must stay free to be truncated by its clients.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.domain.messages import CHANNELS, KINDS, LANGUAGES, QUEUED, RETRYABLE_STATES, STATES
from portal.extensions import db
from portal.models.catalog import one_of
from portal.models.types import GUID, UTCDateTime, new_uuid, utc_now


class OutboundMessage(db.Model):
    """One message to one customer: written in the transaction of its cause, then
    moved queued → sending → sent / failed / skipped / cancelled by the workers."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("state", STATES), name="state_known"),
        CheckConstraint(f"channel IS NULL OR {one_of('channel', CHANNELS)}", name="channel_known"),
        CheckConstraint(one_of("language", LANGUAGES), name="language_known"),
        CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        Index("ix_messages_due", "state", "next_attempt_at"),
        Index("ix_messages_booking", "booking_id", "queued_at"),
        Index("ix_messages_queued", "queued_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(GUID(), primary_key=True, default=uuid.uuid4, server_default=new_uuid())
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    booking_id: Mapped[uuid.UUID] = mapped_column(GUID(), nullable=False)
    # one message per event (reminder per booking and day, …); NULL for an admin's resend
    dedupe_key: Mapped[str | None] = mapped_column(Text, unique=True)
    channel: Mapped[str | None] = mapped_column(Text)  # None: no contact (skipped)
    recipient: Mapped[str | None] = mapped_column(Text)  # E.164 phone or email address
    language: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # with the link's mark, never a token
    segments: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    state: Mapped[str] = mapped_column(Text, nullable=False, default="queued", server_default=text("'queued'"))
    reason: Mapped[str | None] = mapped_column(Text)  # why skipped or failed (a key)
    provider_answer: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    maybe_twice: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                      server_default=utc_now())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    retry_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set by the first temporary failure
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now,
                                                 server_default=utc_now())
    created_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))

    @property
    def can_retry(self) -> bool:
        return self.state in RETRYABLE_STATES

    @property
    def can_cancel(self) -> bool:
        return self.state == QUEUED


class MessageTemplate(db.Model):
    """An admin's edited text for one kind and language (the defaults live in the domain)."""

    __tablename__ = "message_templates"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind_known"),
        CheckConstraint(one_of("language", LANGUAGES), name="language_known"),
    )

    kind: Mapped[str] = mapped_column(Text, primary_key=True)
    language: Mapped[str] = mapped_column(Text, primary_key=True)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(GUID(), ForeignKey("user_profiles.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now,
                                                 server_default=utc_now())


class BookingLink(db.Model):
    """A customer's link to one booking: only the token's SHA-256 is kept."""

    __tablename__ = "booking_links"
    __table_args__ = (Index("ix_booking_links_booking", "booking_id"),)

    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    booking_id: Mapped[uuid.UUID] = mapped_column(GUID(), nullable=False)
    message_id: Mapped[uuid.UUID | None] = mapped_column(GUID())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, server_default=utc_now())


class MessageChannel(db.Model):
    """A channel's account state: paused after an account problem until it works again."""

    __tablename__ = "message_channels"
    __table_args__ = (CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),)

    channel: Mapped[str] = mapped_column(Text, primary_key=True)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(Text)
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert: Mapped[str | None] = mapped_column(Text)  # the portal's own fault (Sparrow 1000/1010), until seen
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now, onupdate=clock.now,
                                                 server_default=utc_now())


class PeriodicRun(db.Model):
    """A periodic job's run for one period: the primary key makes it once per period,
    however many workers' schedules fire."""

    __tablename__ = "periodic_runs"

    job: Mapped[str] = mapped_column(Text, primary_key=True)
    period: Mapped[str] = mapped_column(Text, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=clock.now,
                                                 server_default=utc_now())
