"""The customer's link /b/<token> (messages.md): keep, cancel, move, stop messages;
a wrong, expired or other booking's token is a plain 404; CSRF and rate limit."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from portal.actor import Actor
from portal.extensions import db
from portal.models import Booking, BookingFollowUp, BookingLink, Customer, ServiceManagementLog
from portal.services.messaging import message_delivery
from portal.services.messaging.messages import tell_customers
from tests.messages.conftest import sparrow_config
from tests.web import CSRF_RE

UTC = timezone.utc
KTM = ZoneInfo("Asia/Kathmandu")


@pytest.fixture
def app_config(sparrow):
    return sparrow_config(sparrow, BOOKING_LINK_RATE_LIMIT="100 per minute")


@pytest.fixture
def salon(factory):
    stylist, other = factory.stylist(), factory.stylist()
    service = factory.service(duration=60, min_advance_hours=2)
    for s in (stylist, other):
        factory.offer(s, service)
        factory.week(s, "09:00", "17:00")
    return stylist, other, service


def _day_at(days, hour):
    day = datetime.now(KTM).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=KTM).astimezone(UTC)


def _told(app, sparrow, *bookings) -> dict:
    """Tell the customers, deliver, and read each customer's link from the SMS."""
    with app.app_context():
        tell_customers(db.session, Actor(None, "admin"), [b.id for b in bookings])
        message_delivery.deliver_due(db.session)
    links = {}
    for sms in sparrow.received:
        links[sms["to"]] = "/b/" + re.search(r"/b/([A-Za-z0-9_-]+)", sms["text"]).group(1)
    return links


def _csrf(client, url):
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    return match.group(1) or match.group(2)


def test_the_link_shows_the_booking_in_nepali_and_keeps_it(app, client, factory, salon, sparrow):
    stylist, _, service = salon
    booking = factory.booking(stylist, service, _day_at(3, 10), customer_name="Sita", customer_phone="9841000020")
    url = _told(app, sparrow, booking)["9841000020"]
    page = client.get(url)
    assert page.status_code == 200 and 'lang="ne"' in page.get_data(as_text=True)
    assert "तपाईंको बुकिङ" in page.get_data(as_text=True)
    assert "Your booking" in client.get(url + "?lang=en").get_data(as_text=True)
    assert (page.headers["Cache-Control"], page.headers["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert client.post(url + "/keep").status_code == 400  # no CSRF token
    done = client.post(url + "/keep", data={"csrf_token": _csrf(client, url)})
    assert done.status_code == 302 and "done=kept" in done.headers["Location"]
    with app.app_context():
        [record] = db.session.scalars(select(BookingFollowUp).where(BookingFollowUp.booking_id == booking.id))
        assert (record.action, record.recorded_by) == ("contacted", None)
        [row] = db.session.scalars(select(ServiceManagementLog).where(
            ServiceManagementLog.action == "customer_link_kept"))
        assert row.admin_user_id is None and row.details["customer"].startswith("+97798")
        assert url.split("/b/")[1] not in str(row.details)


def test_wrong_expired_and_stored_tokens(app, client, factory, salon, sparrow):
    stylist, _, service = salon
    booking = factory.booking(stylist, service, _day_at(3, 11), customer_phone="9841000021")
    url = _told(app, sparrow, booking)["9841000021"]
    token = url.split("/b/")[1]
    assert client.get("/b/" + "A" * 22).status_code == 404
    wrong = client.get("/b/" + token[:-1] + ("A" if token[-1] != "A" else "B"))
    assert wrong.status_code == 404 and "Sita" not in wrong.get_data(as_text=True)
    with app.app_context():  # only the hash is stored, anywhere
        assert db.session.scalar(select(BookingLink).where(BookingLink.token_hash == token)) is None
        bodies = " ".join(db.session.scalars(text("SELECT body FROM messages")))
        assert token not in bodies
        db.session.execute(BookingLink.__table__.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    assert client.get(url).status_code == 404


def test_cancel_until_min_advance_then_call_the_salon(app, client, factory, salon, sparrow):
    stylist, _, service = salon
    later = factory.booking(stylist, service, _day_at(3, 12), customer_phone="9841000022")
    soon = factory.booking(stylist, service, datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1),
                           customer_phone="9841000023")
    links = _told(app, sparrow, later, soon)
    done = client.post(links["9841000022"] + "/cancel", data={"csrf_token": _csrf(client, links["9841000022"])})
    assert done.status_code == 302
    assert "Cancel this booking" not in client.get(links["9841000023"] + "?lang=en").get_data(as_text=True)
    refused = client.post(links["9841000023"] + "/cancel", data={"csrf_token": _csrf(client, links["9841000023"])})
    assert refused.status_code == 409
    with app.app_context():
        assert db.session.get(Booking, later.id).status == "cancelled"
        assert db.session.get(Booking, soon.id).status == "confirmed"


def test_choose_another_time_moves_the_booking_and_a_taken_time_is_refused(app, client, factory, salon, sparrow):
    stylist, other, service = salon
    booking = factory.booking(stylist, service, _day_at(3, 10), customer_phone="9841000024")
    url = _told(app, sparrow, booking)["9841000024"]
    page = client.get(url + "?lang=en").get_data(as_text=True)
    choices = re.findall(r'name="choice" value="([^"]+)"', page)
    assert choices and all(c.startswith(str(stylist.user_id)) for c in choices)  # the same stylist first
    anyone = re.findall(r'name="choice" value="([^"]+)"', client.get(url + "?any=1").get_data(as_text=True))
    assert any(c.startswith(str(other.user_id)) for c in anyone)
    taken = choices[0]
    start = datetime.fromisoformat(taken.split("|")[1])
    factory.booking(stylist, service, start, customer_phone="9841000099")  # someone else takes it meanwhile
    refused = client.post(url + "/move", data={"csrf_token": _csrf(client, url), "choice": taken})
    assert refused.status_code == 409 and taken not in refused.get_data(as_text=True)  # the fresh list
    chosen = re.findall(r'name="choice" value="([^"]+)"', refused.get_data(as_text=True))[0]
    moved = client.post(url + "/move", data={"csrf_token": _csrf(client, url), "choice": chosen})
    assert moved.status_code == 302
    with app.app_context():
        row = db.session.get(Booking, booking.id)
        assert row.start_time == datetime.fromisoformat(chosen.split("|")[1]) and row.status == "confirmed"


def test_stop_messages_and_rate_limit(app, client, factory, salon, sparrow):
    stylist, _, service = salon
    booking = factory.booking(stylist, service, _day_at(3, 13), customer_name="Hari", customer_phone="9841000025")
    url = _told(app, sparrow, booking)["9841000025"]
    assert client.post(url + "/stop", data={"csrf_token": _csrf(client, url)}).status_code == 302
    with app.app_context():
        customer = db.session.scalar(select(Customer).where(Customer.phone == "+9779841000025"))
        assert customer is not None and customer.messages_enabled is False
    app.config["BOOKING_LINK_RATE_LIMIT"] = "2 per minute"
    answers = [client.get("/b/" + "Z" * 22).status_code for _ in range(4)]
    assert answers[:2] == [404, 404] and answers[-1] == 429
