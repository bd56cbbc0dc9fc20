"""A channel paused by an account problem (messages.md): nothing fails, everything waits.

Sparrow's token, account, sender or credit codes (or an SMTP sign-in refused) pause
the channel: `claim` takes none of its messages, the admins' home page and `/metrics`
say so, and the account is checked again every `MESSAGE_PAUSE_CHECK_SECONDS` (or at
once on an admin's "try again"); once it works the channel resumes, and the time
paused does not count towards a message's 24 hours of retries.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.database import use_case
from portal.models import MessageChannel, OutboundMessage
from portal.services.audit import audit_exempt
from portal.services.messaging import message_providers

UTC = timezone.utc


def paused_channels(session: Session) -> list[str]:
    return list(session.scalars(select(MessageChannel.channel).where(MessageChannel.paused_at.is_not(None))))


def channel_states(session: Session) -> list[MessageChannel]:
    """The channels with a pause or an alert (for the home page, the messages page, /metrics)."""
    return list(session.scalars(select(MessageChannel).where(
        (MessageChannel.paused_at.is_not(None)) | (MessageChannel.alert.is_not(None)))
        .order_by(MessageChannel.channel)))


def _row(session: Session, channel: str) -> MessageChannel:
    row = session.get(MessageChannel, channel, with_for_update=True)
    if row is None:
        row = MessageChannel(channel=channel)
        session.add(row)
    return row


def _interval() -> timedelta:
    return timedelta(seconds=float(current_app.config["MESSAGE_PAUSE_CHECK_SECONDS"]))


def pause(session: Session, channel: str, reason: str, now: datetime) -> None:
    """Pause ``channel`` (inside the caller's transaction)."""
    row = _row(session, channel)
    if row.paused_at is None:
        row.paused_at = now
    row.reason, row.next_check_at = reason, now + _interval()


def raise_alert(session: Session, channel: str, answer: str, now: datetime) -> None:
    """The provider called a message the portal's own fault (Sparrow 1000/1010)."""
    _row(session, channel).alert = answer


@audit_exempt("a channel's pause state follows the provider's answers; the messages record them")
def check_paused(session: Session, force: bool = False) -> list[str]:
    """Check every paused channel whose check is due (all with ``force``); the ones resumed."""
    now = clock.now()
    due = [row.channel for row in session.scalars(select(MessageChannel).where(MessageChannel.paused_at.is_not(None)))
           if force or row.next_check_at is None or row.next_check_at <= now]
    resumed = []
    for channel in due:
        works, answer = _account_works(channel)
        with use_case(session, lock=True):
            row = _row(session, channel)
            if row.paused_at is None:
                continue
            checked = clock.now()
            if not works:
                row.reason, row.next_check_at = answer, checked + _interval()
                continue
            paused_for = checked - row.paused_at
            row.paused_at, row.next_check_at, row.reason = None, None, None
            for message in session.scalars(select(OutboundMessage).where(
                    OutboundMessage.channel == channel, OutboundMessage.state == "queued",
                    OutboundMessage.retry_deadline.is_not(None))):
                message.retry_deadline += paused_for  # time paused does not count
            resumed.append(channel)
    return resumed


def _account_works(channel: str) -> tuple[bool, str]:
    try:
        return message_providers.account_works(current_app.config, channel)
    except OSError as error:
        return False, f"check failed: {error}"
