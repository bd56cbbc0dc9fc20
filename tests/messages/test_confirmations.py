"""Confirmations (messages.md): a booking taken or moved at the desk is confirmed to its
customer in the same transaction, unless unticked; a refused write leaves no message."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.actor import Actor
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import OutboundMessage
from portal.services.desk import front_desk
from tests.bookings.helpers import NO_LIMIT, at, salon


@pytest.fixture
def app_config():
    return NO_LIMIT


def _take(s, start, phone, tell=True):
    return front_desk.take_booking(db.session, Actor(s.admin.id, "Admin"), phone=phone, name="Sita Rai", email=None,
                                   service_id=s.cut.id, stylist_id=s.stylist.user_id, start=start, source="phone",
                                   tell=tell)


def _messages():
    return list(db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.queued_at)))


def test_taken_and_moved_bookings_are_confirmed_once_per_time(app, factory):
    s = salon(factory)
    with app.app_context():
        booking = _take(s, at(s.day, 10), "9841234567")
        [confirmation] = _messages()
        assert (confirmation.kind, confirmation.channel, confirmation.state) == ("confirmation", "sms", "queued")
        front_desk.move_booking(db.session, Actor(s.admin.id, "Admin"), booking.id, stylist_id=s.stylist.user_id,
                                start=at(s.day, 11))
        assert [m.kind for m in _messages()] == ["confirmation", "confirmation"]  # one per booking and time
        _take(s, at(s.day, 13), "9841234568", tell=False)  # unticked
        assert len(_messages()) == 2


def test_a_refused_booking_leaves_no_message(app, factory):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 10))
    with app.app_context():
        with pytest.raises(Refused):
            _take(s, at(s.day, 10), "9841234567")
        assert _messages() == []
