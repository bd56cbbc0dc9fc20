"""The admins' use-cases on messages (messages.md): tell the customers of bookings on the
follow-up list, retry a failed message, cancel a waiting one, edit a template, and
"try again" on a paused channel. Each is one transaction with its `configuration`
log row(s); the messages themselves are written by `message_outbox.queue_message`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import clock
from portal.actor import Actor
from portal.database import use_case
from portal.domain import message_templates as templates
from portal.domain.messages import KINDS, LANGUAGES
from portal.domain.refusals import INVALID, NotFound, Refused
from portal.domain.translatable import N_, Msg
from portal.models import Booking, MessageTemplate, OutboundMessage
from portal.models.bookings import OCCUPYING_BOOKING_STATUSES
from portal.services.audit import audit_exempt, audited, log_event
from portal.services.messaging.message_channels import check_paused
from portal.services.messaging.message_outbox import queue_message, recipient_of, render

UTC = timezone.utc


@dataclass(frozen=True)
class NoticePreview:
    """One chosen booking's change notice before it is sent: who, which text, how many SMS."""

    booking: Booking
    channel: str | None
    language: str
    allowed: bool
    body: str
    segments: int


def notice_cause(booking: Booking) -> str:
    """One notice per booking and cause: the booking's time is the cause's fingerprint."""
    return booking.start_time.isoformat()


def preview_notices(session: Session, booking_ids: list[uuid.UUID]) -> list[NoticePreview]:
    """What "Tell the customers" would send, booking by booking (nothing is written)."""
    rows = []
    for booking in session.scalars(select(Booking).where(Booking.id.in_(booking_ids)).order_by(Booking.start_time)):
        who = recipient_of(session, booking)
        _, body, segments = render(session, "change_notice", booking, who.language)
        rows.append(NoticePreview(booking, who.channel, who.language, who.allowed, body,
                                  segments if who.channel == "sms" else 0))
    return rows


@audited(action="customers_told", category="configuration", rows=None)  # one row per booking
def tell_customers(session: Session, actor: Actor, booking_ids: list[uuid.UUID]) -> list[OutboundMessage]:
    """Queue a change notice to each chosen booking's customer (once per booking and cause)."""
    ids = list(dict.fromkeys(booking_ids))
    if not ids:
        raise Refused("NOTHING_CHOSEN", N_("Choose at least one booking."),
                      {"booking_ids": N_("Choose at least one booking.")})
    queued = []
    with use_case(session, lock=True):
        bookings = list(session.scalars(select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id)))
        if len(bookings) != len(ids):
            raise NotFound("NOT_FOUND", N_("One of these bookings no longer exists; nothing was sent."))
        for booking in bookings:
            if booking.status not in OCCUPYING_BOOKING_STATUSES:
                continue
            message = queue_message(session, "change_notice", booking, notice_cause(booking), created_by=actor.user_id)
            log_event(session, actor, action="customers_told", category="configuration", target_type="booking",
                      target_id=booking.id, details={"message_id": str(message.id) if message else None,
                                                     "already_told": message is None})
            if message is not None:
                queued.append(message)
        if not any(b.status in OCCUPYING_BOOKING_STATUSES for b in bookings):
            raise Refused("NOT_OCCUPYING", N_("None of these bookings is still active; nothing was sent."))
    return queued


def _message_for_update(session: Session, message_id: uuid.UUID) -> OutboundMessage:
    message = session.get(OutboundMessage, message_id, with_for_update=True)
    if message is None:
        raise NotFound("NOT_FOUND", N_("That message no longer exists."))
    return message


@audited(action="message_retried", category="configuration")
def retry_message(session: Session, actor: Actor, message_id: uuid.UUID) -> OutboundMessage:
    """Send a failed (or skipped) message again: a new message with today's text."""
    with use_case(session, lock=True):
        old = _message_for_update(session, message_id)
        if not old.can_retry:
            raise Refused("NOT_FAILED", Msg("Only a failed, skipped or cancelled message can be sent again "
                                            "(this one is %(state)s).", state=old.state))
        booking = session.get(Booking, old.booking_id)
        if booking is None:
            raise NotFound("NOT_FOUND", N_("That booking no longer exists."))
        message = queue_message(session, old.kind, booking, "", created_by=actor.user_id, resend=True)
        log_event(session, actor, action="message_retried", category="configuration", target_type="booking",
                  target_id=booking.id, details={"message_id": str(old.id), "new_message_id": str(message.id),
                                                 "kind": old.kind})
    return message


@audited(action="message_cancelled", category="configuration")
def cancel_message(session: Session, actor: Actor, message_id: uuid.UUID) -> OutboundMessage:
    """Cancel a message that is still waiting (one being sent cannot be called back)."""
    with use_case(session, lock=True):
        message = _message_for_update(session, message_id)
        if not message.can_cancel:
            raise Refused("NOT_WAITING", N_("Only a waiting message can be cancelled; this one has already gone "
                                            "or is being sent."))
        message.state, message.finished_at = "cancelled", clock.now()
        log_event(session, actor, action="message_cancelled", category="configuration", target_type="booking",
                  target_id=message.booking_id, details={"message_id": str(message.id), "kind": message.kind})
    return message


def check_template(subject: str, body: str) -> dict[str, str]:
    """Form errors of an edited template (empty: it can be saved)."""
    errors = {}
    for field, text, limit in (("subject", subject, templates.MAX_SUBJECT), ("body", body, templates.MAX_BODY)):
        if not text.strip():
            errors[field] = N_("Write the text.")
            continue
        if len(text) > limit:
            errors[field] = Msg("Keep it under %(max)s characters.", max=limit)
            continue
        try:
            unknown = templates.unknown_placeholders(text)
        except ValueError:
            errors[field] = N_("A brace is not closed: write {{ and }} for a brace itself.")
            continue
        if unknown:
            errors[field] = Msg("Unknown placeholder: %(names)s.", names=", ".join("{%s}" % n for n in unknown))
    if "body" not in errors and templates.LINK_MARK not in body:
        errors["body"] = N_("Keep {link}: it is how the customer answers.")
    return errors


@audited(action="message_template_edited", category="configuration")
def save_template(session: Session, actor: Actor, kind: str, language: str, subject: str, body: str) -> MessageTemplate:
    if kind not in KINDS or language not in LANGUAGES:
        raise NotFound("NOT_FOUND", N_("No such template."))
    errors = check_template(subject, body)
    if errors:
        raise Refused(INVALID, fields=errors)
    with use_case(session, lock=True):
        row = session.get(MessageTemplate, (kind, language))
        before = (row.subject, row.body) if row else templates.DEFAULTS[(kind, language)]
        if row is None:
            row = MessageTemplate(kind=kind, language=language, subject=subject, body=body)
            session.add(row)
        row.subject, row.body, row.updated_by = subject.strip(), body.strip(), actor.user_id
        log_event(session, actor, action="message_template_edited", category="configuration",
                  details={"kind": kind, "language": language, "before": {"subject": before[0], "body": before[1]},
                           "after": {"subject": row.subject, "body": row.body}})
    return row


@audit_exempt("checks the provider's account; resuming a channel changes no admin-visible setting")
def try_again(session: Session) -> list[str]:
    """An admin's "try again" on a paused channel: check its account at once."""
    return check_paused(session, force=True)

