"""The outbox delivered to a local Sparrow server and a local SMTP server (messages.md):
nothing lost, nothing doubled; retries, pauses and permanent failures."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.actor import Actor
from portal.extensions import db
from portal.models import BookingLink, Customer, OutboundMessage
from portal.services.appointments.followup import cancel_bookings
from portal.services.messaging import message_delivery
from portal.services.messaging.link_tokens import token_hash
from tests.messages.conftest import sparrow_config

UTC = timezone.utc
ADMIN = Actor(user_id=None, name="test admin")


@pytest.fixture
def app_config(sparrow):
    return sparrow_config(sparrow)


@pytest.fixture
def salon(factory):
    stylist = factory.stylist()
    service = factory.service(duration=60)
    factory.offer(stylist, service)
    return stylist, service


SLOTS = itertools.count()


def _booking(factory, salon, phone="+9779841000001", **fields):
    stylist, service = salon  # each booking an hour after the previous one: no overlap
    start = (datetime.now(UTC) + timedelta(hours=30 + next(SLOTS))).replace(microsecond=0)
    return factory.booking(stylist, service, start, customer_name="Sita Sharma", customer_phone=phone, **fields)


def _cancel(app, *bookings):
    with app.app_context():
        cancel_bookings(db.session, ADMIN, [b.id for b in bookings], "closed for Tihar")


def _deliver(app) -> int:
    with app.app_context():
        return message_delivery.deliver_due(db.session)


def _messages(app) -> list[OutboundMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.queued_at)))
        db.session.expunge_all()
        return rows


def test_cancellation_reaches_sparrow_once_with_a_working_link(app, factory, salon, sparrow):
    booking = _booking(factory, salon)
    _cancel(app, booking)
    [message] = _messages(app)
    assert (message.kind, message.state, message.channel, message.language) == ("cancellation", "queued", "sms", "ne")
    assert message.segments >= 1
    assert _deliver(app) == 1
    assert _deliver(app) == 0  # nothing twice
    [sms] = sparrow.received
    assert (sms["to"], sms["from"], sms["token"]) == ("9841000001", "KBStylish", "test-token")
    assert "https://book.example.test/b/" in sms["text"] and "रद्द" in sms["text"]
    token = sms["text"].split("/b/")[1].split()[0]
    [message] = _messages(app)
    assert (message.state, message.attempts, message.maybe_twice) == ("sent", 1, False)
    assert token not in message.body and "{link}" in message.body
    with app.app_context():
        link = db.session.get(BookingLink, token_hash(token))
        assert link is not None and link.booking_id == booking.id
        assert db.session.scalar(select(BookingLink).where(BookingLink.token_hash == token)) is None


def test_a_rolled_back_cause_leaves_no_message(app, factory, salon):
    booking = _booking(factory, salon)
    other = _booking(factory, salon, status="cancelled")
    with app.app_context(), pytest.raises(Exception):
        cancel_bookings(db.session, ADMIN, [booking.id, other.id], "closed")  # one is not active: all refused
    assert _messages(app) == []


def test_english_customer_and_one_message_per_event(app, factory, salon, sparrow):
    with app.app_context():
        db.session.add(Customer(name="John", phone="+9779841000002", language="en"))
        db.session.commit()
    booking = _booking(factory, salon, phone="9841000002")
    _cancel(app, booking)
    with app.app_context():  # the same event again: no second message
        from portal.services.messaging.message_outbox import queue_message
        row = db.session.get(type(booking), booking.id)
        assert queue_message(db.session, "cancellation", row, "") is None
    _deliver(app)
    [sms] = sparrow.received
    assert "is cancelled" in sms["text"]


def test_opted_out_and_no_contact_are_skipped(app, factory, salon, sparrow):
    with app.app_context():
        db.session.add(Customer(name="Ram", phone="+9779841000003", messages_enabled=False))
        db.session.commit()
    quiet = _booking(factory, salon, phone="+9779841000003")
    landline = _booking(factory, salon, phone="+97714412345")
    _cancel(app, quiet, landline)
    _deliver(app)
    assert sparrow.received == []
    assert sorted((m.state, m.reason) for m in _messages(app)) == [("skipped", "no_contact"), ("skipped", "opted_out")]


def test_http_500_and_timeouts_are_retried_and_a_timeout_is_marked(app, factory, salon, sparrow):
    sparrow.script = [(500, 0), ("hang", 1.0, (200, 200))]
    booking = _booking(factory, salon)
    _cancel(app, booking)
    for _ in range(50):
        _deliver(app)
        if _messages(app)[0].state == "sent":
            break
    [message] = _messages(app)
    assert message.state == "sent" and message.attempts == 3
    assert message.maybe_twice  # the timed-out request may have reached the customer
    assert message.retry_deadline is not None


def test_403_1012_pauses_the_channel_and_resumes_with_nothing_lost(app, factory, salon, sparrow):
    sparrow.script = [(403, 1012)]
    sparrow.credits = 0
    bookings = [_booking(factory, salon, phone=f"+97798410000{i:02d}") for i in range(3)]
    _cancel(app, *bookings)
    _deliver(app)
    assert {m.state for m in _messages(app)} == {"queued"}  # nothing failed
    with app.app_context():
        from portal.services.messaging.message_channels import paused_channels
        assert paused_channels(db.session) == ["sms"]
    _deliver(app)  # still no credits: still paused, nothing sent
    assert sparrow.received == []
    sparrow.credits = 50
    with app.app_context():  # the admin's "try again" (the worker checks every MESSAGE_PAUSE_CHECK_SECONDS)
        from portal.services.messaging.messages import try_again
        assert try_again(db.session) == ["sms"]
    _deliver(app)
    assert [m.state for m in _messages(app)] == ["sent"] * 3
    assert len(sparrow.received) == 3


def test_1007_fails_that_message_only(app, factory, salon, sparrow):
    sparrow.script = [(403, 1007)]
    bookings = [_booking(factory, salon, phone=f"+97798410001{i:02d}") for i in range(3)]
    _cancel(app, *bookings)
    _deliver(app)
    states = sorted((m.state, m.reason or "") for m in _messages(app))
    assert states == [("failed", "invalid_receiver"), ("sent", ""), ("sent", "")]


def test_a_worker_dying_mid_send_leaves_the_message_to_be_taken_over(app, factory, salon, sparrow):
    booking = _booking(factory, salon)
    _cancel(app, booking)
    with app.app_context():
        [(message_id, lease)] = message_delivery.claim(db.session)
        ready = message_delivery.prepare(db.session, message_id, lease)
        assert ready is not None  # ... and the worker dies here, after the provider call
    sparrow.received.append({"to": "9841000001", "text": ready[3]})  # it had reached the customer
    assert _deliver(app) == 0  # the lease still stands
    with app.app_context():
        late = datetime.now(UTC) + timedelta(seconds=1)
        db.session.execute(OutboundMessage.__table__.update().values(lease_until=late - timedelta(seconds=5)))
        db.session.commit()
    assert _deliver(app) == 1
    [message] = _messages(app)
    assert (message.state, message.attempts, message.maybe_twice) == ("sent", 2, True)
    assert len(sparrow.received) == 2  # at most the in-flight one twice, and marked so


def test_email_goes_through_smtp(app_config, database_url, factory, salon, smtp_server, app):
    app.config.update({"EMAIL_PROVIDER": "smtp", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port,
                       "SMTP_STARTTLS": False, "MAIL_FROM": "salon@example.test"})
    booking = _booking(factory, salon, phone="+14155550100", customer_email="sita@example.test")
    _cancel(app, booking)
    _deliver(app)
    [mail] = smtp_server.mails
    assert mail["To"] == "sita@example.test" and "/b/" in mail.get_payload(decode=True).decode()
    assert _messages(app)[0].state == "sent"
