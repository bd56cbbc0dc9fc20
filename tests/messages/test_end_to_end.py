"""A closure over booked days, told to the customers from the follow-up list; each
customer answers through their link (messages.md, bookings.md)."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.actor import Actor
from portal.extensions import db
from portal.models import Customer, OutboundMessage
from portal.services.messaging import message_delivery
from portal.services.scheduling import overrides
from tests.bookings.helpers import KTM, NO_LIMIT, at, get_slots, salon
from tests.helpers import sign_in
from tests.messages.conftest import sparrow_config
from tests.web import CSRF_RE, post_form


@pytest.fixture
def app_config(sparrow):
    return {**NO_LIMIT, **sparrow_config(sparrow)}


def _csrf(client, url):
    match = CSRF_RE.search(client.get(url).get_data(as_text=True))
    return match.group(1) or match.group(2)


def test_closure_tell_the_customers_and_their_answers(app, client, auth, factory, sparrow):
    s = salon(factory)
    with app.app_context():
        db.session.add(Customer(name="John Smith", phone="+9779841000033", language="en"))
        db.session.commit()
    mover, canceller, keeper = (
        factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=f"Customer {h}", customer_phone=phone)
        for h, phone in ((10, "9841000031"), (12, "9841000032"), (14, "9841000033")))
    with app.app_context():
        overrides.create_override(db.session, Actor(s.admin.id, "admin"), overrides.OverrideDraft(
            "stylist_vacation", s.stylist.user_id, s.day, s.day, reason="Tihar"))

    sign_in(auth, s.admin.email)
    ids = [str(b.id) for b in (mover, canceller, keeper)]
    preview = post_form(client, "/messages/tell", {"booking_ids": ids}, page="/bookings/follow-up")
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert text.count('name="booking_ids"') == 3 and "SMS" in text and "/b/xxxxxxxx" in text
    sent = post_form(client, "/messages/tell", {"booking_ids": ids, "confirmed": "yes"}, page="/bookings/follow-up")
    assert sent.status_code == 302
    again = post_form(client, "/messages/tell", {"booking_ids": ids, "confirmed": "yes"}, page="/bookings/follow-up")
    assert again.status_code == 302  # told twice: still one notice per booking and cause
    with app.app_context():
        message_delivery.deliver_due(db.session)
        assert db.session.scalar(select(db.func.count()).select_from(OutboundMessage)) == 3

    by_phone = {}
    for sms in sparrow.received:
        by_phone.setdefault(sms["to"], []).append(sms["text"])
    assert sorted(by_phone) == ["9841000031", "9841000032", "9841000033"]
    assert all(len(texts) == 1 for texts in by_phone.values())  # each once
    assert "choose another time" in by_phone["9841000033"][0] and "अर्को समय" in by_phone["9841000031"][0]
    link = {p: "/b/" + re.search(r"/b/([A-Za-z0-9_-]+)", t[0]).group(1) for p, t in by_phone.items()}

    page = client.get("/bookings/follow-up").get_data(as_text=True)
    assert page.count('data-message-state="sent"') == 3

    customer = app.test_client()  # the customers have no account
    url = link["9841000031"]
    choice = re.findall(r'name="choice" value="([^"]+)"', customer.get(url + "?any=1").get_data(as_text=True))
    other_stylist = [c for c in choice if c.startswith(str(s.other.user_id))][0]
    local = datetime.fromisoformat(other_stylist.split("|")[1]).astimezone(ZoneInfo(KTM))
    day, hhmm = local.date(), local.strftime("%H:%M")

    def status():
        return {x["slotStartLocal"][11:16]: x["status"] for x in get_slots(customer, s.other, s.cut, day).json}[hhmm]

    assert status() == "available"
    assert customer.post(url + "/move", data={"csrf_token": _csrf(customer, url), "choice": other_stylist}
                         ).status_code == 302
    assert status() == "booked"  # the slot is taken at once
    url = link["9841000032"]
    assert customer.post(url + "/cancel", data={"csrf_token": _csrf(customer, url)}).status_code == 302
    url = link["9841000033"]
    assert customer.post(url + "/keep", data={"csrf_token": _csrf(customer, url)}).status_code == 302

    page = client.get("/bookings/follow-up").get_data(as_text=True)
    assert str(mover.id) not in page and str(canceller.id) not in page  # moved and cancelled leave the list
    assert f'data-booking="{keeper.id}"' in page and 'data-answer="kept"' in page
