"""Delivering the outbox (messages.md): claim with a lease, check, send, record.

One message is delivered by one worker at a time, however many run: a worker
*claims* due messages in one statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the
write lock on SQLite), setting `state = 'sending'` and a lease. A claim of a message
whose lease ran out while its provider call was under way (its worker died mid-send)
takes it over and marks it "may have been sent twice". Before calling the provider the worker checks the message still
applies (opt-out, booking started or no longer occupying, quiet hours, a paused
channel) and commits the hash of a fresh link token; after the call it records the
outcome — only while its own lease still stands, so a taken-over message is recorded
once. Each step is a short transaction of its own; none holds a lock over the network.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from portal import clock
from portal.database import use_case
from portal.domain import message_templates as templates
from portal.domain.messages import (
    FAILED, FAILED_ALERT, IN_FLIGHT, PAUSE, RETRY, RETRY_WINDOW, SENT, parse_window, quiet_until, retry_delay,
)
from portal.message_settings import public_base_url
from portal.models import Booking, OutboundMessage
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audit_exempt
from portal.services.messaging import message_channels, message_providers
from portal.services.messaging.link_tokens import mint_link
from portal.services.messaging.message_outbox import recipient_of

UTC = timezone.utc
logger = logging.getLogger("portal.messages")
BATCH = 20
URGENT_KINDS = ("change_notice", "cancellation")  # go in quiet hours when the booking starts before they end


def _now() -> datetime:
    return clock.now()


@audit_exempt("outbox bookkeeping: the message row records each step with its time")
def claim(session: Session, limit: int = BATCH) -> list[tuple[uuid.UUID, datetime]]:
    """Take up to ``limit`` due messages: [(id, this claim's lease end)]."""
    now = _now()
    lease = now + timedelta(seconds=float(current_app.config["MESSAGE_LEASE_SECONDS"]))
    with use_case(session, lock=True):
        paused = message_channels.paused_channels(session)
        due = (select(OutboundMessage.id)
               .where(or_(and_(OutboundMessage.state == "queued", OutboundMessage.next_attempt_at <= now),
                          and_(OutboundMessage.state == "sending", OutboundMessage.lease_until < now)))
               .order_by(OutboundMessage.next_attempt_at).limit(limit))
        if paused:
            due = due.where(OutboundMessage.channel.not_in(paused))
        due = due.with_for_update(skip_locked=True)  # PostgreSQL; SQLite has no row locks (its write lock serialises)
        ids = list(session.scalars(due))
        if not ids:
            return []
        session.execute(
            update(OutboundMessage).where(OutboundMessage.id.in_(ids)).values(
                maybe_twice=OutboundMessage.maybe_twice | ((OutboundMessage.state == "sending")
                                                           & (func.coalesce(OutboundMessage.provider_answer, "") == IN_FLIGHT)),
                state="sending", lease_until=lease, attempts=OutboundMessage.attempts + 1, updated_at=now,
            ).execution_options(synchronize_session=False))
    return [(i, lease) for i in ids]


def _ours(message_id: uuid.UUID, lease: datetime):
    return (OutboundMessage.id == message_id, OutboundMessage.state == "sending",
            OutboundMessage.lease_until == lease)


@audit_exempt("outbox bookkeeping: the message row records each step with its time")
def prepare(session: Session, message_id: uuid.UUID, lease: datetime) -> tuple[str, str, str | None, str, datetime] | None:
    """(channel, address, subject, text with a fresh link, the renewed lease) to send now, or
    None when the message was skipped, put back to wait (quiet hours, paused channel) or is
    not ours. The lease is renewed here, so it covers the provider call (longer than its timeout)."""
    config = current_app.config
    now = _now()
    with use_case(session, lock=True):
        message = session.scalar(select(OutboundMessage).where(*_ours(message_id, lease)))
        if message is None:
            return None
        booking = session.get(Booking, message.booking_id)
        skip = _skip_reason(session, message, booking, now)
        if skip is not None:
            message.state, message.reason, message.finished_at, message.lease_until = "skipped", skip, now, None
            return None
        wait_until = _quiet_end(message, booking, now, config)
        if wait_until is not None or message.channel in message_channels.paused_channels(session):
            message.state, message.lease_until = "queued", None
            message.attempts -= 1  # not an attempt
            message.next_attempt_at = wait_until or now
            return None
        token = mint_link(session, booking, message.kind, message.id, now)
        link = f"{public_base_url(config)}/b/{token}"
        message.lease_until = now + timedelta(seconds=float(config["MESSAGE_LEASE_SECONDS"]))
        message.provider_answer = IN_FLIGHT
        return (message.channel, message.recipient, message.subject, templates.with_link(message.body, link),
                message.lease_until)


def _skip_reason(session: Session, message: OutboundMessage, booking: Booking | None, now: datetime) -> str | None:
    if booking is None:
        return "booking_gone"
    if message.kind != "cancellation" and booking.start_time <= now:
        return "started"
    if message.kind in ("reminder", "confirmation") and booking.status not in OCCUPYING_BOOKING_STATUSES:
        return "not_occupying"
    if not recipient_of(session, booking).allowed:
        return "opted_out"
    return None


def _quiet_end(message: OutboundMessage, booking: Booking, now: datetime, config) -> datetime | None:
    zone = ZoneInfo(config["DEFAULT_TIMEZONE"])
    end = quiet_until(now.astimezone(zone), parse_window(config["QUIET_HOURS"]))
    if end is None:
        return None
    if message.kind in URGENT_KINDS and booking.start_time < end:
        return None
    return end.astimezone(UTC)


@audit_exempt("outbox bookkeeping: the message row records each step with its time")
def record(session: Session, message_id: uuid.UUID, lease: datetime, outcome: message_providers.Outcome) -> str:
    """Write the provider's answer onto the message (while the lease is ours); the new state."""
    now = _now()
    config = current_app.config
    with use_case(session, lock=True):
        message = session.scalar(select(OutboundMessage).where(*_ours(message_id, lease)))
        if message is None:  # taken over meanwhile: the other worker records it
            logger.warning("message %s: answer after the lease ran out (%s)", message_id, outcome.answer)
            return "lost"
        message.provider_answer, message.lease_until = outcome.answer, None
        if outcome.verdict == SENT:
            message.state, message.sent_at, message.finished_at = "sent", now, now
        elif outcome.verdict in (FAILED, FAILED_ALERT):
            message.state, message.finished_at = "failed", now
            message.reason = ("refused_text" if outcome.verdict == FAILED_ALERT
                              else "invalid_receiver" if message.channel == "sms" else "invalid_address")
            if outcome.verdict == FAILED_ALERT:
                message_channels.raise_alert(session, message.channel, outcome.answer, now)
        elif outcome.verdict == PAUSE:
            message.state, message.next_attempt_at = "queued", now
            message_channels.pause(session, message.channel, outcome.answer, now)
        else:  # RETRY: a temporary failure
            message.maybe_twice = message.maybe_twice or outcome.maybe_delivered
            message.retry_deadline = message.retry_deadline or now + RETRY_WINDOW
            if now >= message.retry_deadline:
                message.state, message.reason, message.finished_at = "failed", "expired", now
            else:
                message.state = "queued"
                message.next_attempt_at = now + retry_delay(
                    message.attempts, float(config["MESSAGE_RETRY_BASE_SECONDS"]))
        return message.state


@audit_exempt("outbox bookkeeping: the message row records each step with its time")
def deliver(session: Session, message_id: uuid.UUID, lease: datetime) -> str:
    """Prepare, send and record one claimed message."""
    ready = prepare(session, message_id, lease)
    if ready is None:
        return "waiting"
    channel, address, subject, text, lease = ready
    try:
        outcome = message_providers.send(current_app.config, channel, address, subject, text)
    except Exception as error:  # noqa: BLE001 (a provider's bug must not lose the message)
        logger.exception("message %s: the %s provider failed", message_id, channel)
        outcome = message_providers.Outcome(RETRY, f"error: {type(error).__name__}", maybe_delivered=True)
    return record(session, message_id, lease, outcome)


@audit_exempt("outbox bookkeeping: the message row records each step with its time")
def deliver_due(session: Session, limit: int | None = None) -> int:
    """Check paused channels, then deliver every due message; how many were handled."""
    message_channels.check_paused(session)
    handled = 0
    while limit is None or handled < limit:
        batch = claim(session, BATCH if limit is None else min(BATCH, limit - handled))
        if not batch:
            break
        for message_id, lease in batch:
            deliver(session, message_id, lease)
            handled += 1
    return handled


def next_wake(session: Session) -> datetime | None:
    """When the earliest waiting message falls due (for the worker's next run)."""
    queued = session.scalar(select(OutboundMessage.next_attempt_at)
                            .where(OutboundMessage.state == "queued").order_by(OutboundMessage.next_attempt_at))
    leased = session.scalar(select(OutboundMessage.lease_until)
                            .where(OutboundMessage.state == "sending").order_by(OutboundMessage.lease_until))
    found = [t for t in (queued, leased) if t is not None]
    return min(found) if found else None


def has_backlog(session: Session) -> bool:
    """More than one batch is due now (the worker then asks another thread to join)."""
    due = session.scalars(select(OutboundMessage.id).where(
        OutboundMessage.state == "queued", OutboundMessage.next_attempt_at <= _now()).limit(BATCH + 1)).all()
    return len(due) > BATCH
