"""The customers' link tokens (messages.md): random, at least 128 bits, only the hash kept.

A token is minted at each send attempt and its hash committed before the provider is
called; every token minted for a booking stays valid until 24 hours after the
booking's end (a cancellation's: 14 days after it was sent).
"""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.models import Booking, BookingLink

UTC = timezone.utc
VALID_AFTER_END = timedelta(hours=24)
CANCELLATION_VALIDITY = timedelta(days=14)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mint_link(session: Session, booking: Booking, kind: str, message_id: uuid.UUID | None,
              now: datetime) -> str:
    """A new token for ``booking`` (its hash added to the caller's transaction)."""
    token = secrets.token_urlsafe(16)
    expires = now + CANCELLATION_VALIDITY if kind == "cancellation" else booking.end_time + VALID_AFTER_END
    session.add(BookingLink(token_hash=token_hash(token), booking_id=booking.id, message_id=message_id,
                            expires_at=max(expires, now + VALID_AFTER_END), created_at=now))
    return token


def booking_for_token(session: Session, token: str, now: datetime | None = None) -> Booking | None:
    """The booking a valid token opens; None for a wrong or expired one (a plain 404)."""
    if not token or len(token) > 64:
        return None
    now = now or clock.now()
    link = session.scalar(select(BookingLink).where(BookingLink.token_hash == token_hash(token)))
    if link is None or link.expires_at <= now:
        return None
    return session.get(Booking, link.booking_id)
