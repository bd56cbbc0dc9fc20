"""The pages: a stylist asks and withdraws through the form; an admin finds the request on
the home page, opens it (bookings and cover), approves, declines, cancels; the stylist's
home page shows the decision."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import TimeOffRequest
from portal.services.leave import time_off
from portal.services.scheduling import overrides
from tests.bookings.helpers import at
from tests.helpers import field_errors
from tests.time_off.helpers import actor_of, draft, salon, today_ktm
from tests.web import post_form


@pytest.fixture
def s(app, factory):
    with app.app_context():
        return salon(factory, days_ahead=6)


def _as_admin(auth, s):
    auth.login(s.admin.email)  # with the second step (tests/web.py)


def test_stylist_asks_sees_it_waiting_and_withdraws(app, client, auth, s):
    auth.login(s.stylist.user.email)
    page = client.get("/time-off/mine").get_data(as_text=True)
    assert "Ask for days off" in page and "at most 60 days" in page
    past = post_form(client, "/time-off/mine", {"kind": "leave", "start_date": (today_ktm() - timedelta(days=1)).isoformat(),
                                                "end_date": today_ktm().isoformat()}, page="/time-off/mine")
    assert past.status_code == 400
    assert "in the past" in field_errors(past.get_data(as_text=True), "start_date")[0]
    start = today_ktm() + timedelta(days=10)
    done = post_form(client, "/time-off/mine", {"kind": "festival", "start_date": start.isoformat(),
                                                "end_date": (start + timedelta(days=4)).isoformat(),
                                                "note": "Tihar <at> home"}, page="/time-off/mine",
                     follow_redirects=True)
    body = done.get_data(as_text=True)
    assert "Asked:" in body and 'data-state="waiting"' in body and "Tihar &lt;at&gt; home" in body
    with app.app_context():
        row = db.session.scalars(db.select(TimeOffRequest.id)).one()
    home = client.get("/").get_data(as_text=True)
    assert 'id="time-off-decisions"' in home and 'data-state="waiting"' in home
    withdrawn = post_form(client, f"/time-off/mine/{row}/withdraw", page="/time-off/mine", follow_redirects=True)
    assert 'data-state="withdrawn"' in withdrawn.get_data(as_text=True)
    assert client.get("/time-off/").status_code == 403  # the admins' list is not for stylists


def test_admin_sees_it_on_the_home_page_opens_it_and_approves_once(app, client, auth, factory, s):
    with app.app_context():
        factory.booking(s.stylist, s.cut, at(s.day, 11), customer_name="Sarita Adhikari")
        row = time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(6, 2, note="Wedding")).id
    _as_admin(auth, s)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/time-off/{row}"' in home and 'id="time-off-waiting"' in home
    detail = client.get(f"/time-off/{row}").get_data(as_text=True)
    assert "Sarita Adhikari" in detail and "Wedding" in detail
    assert re.search(r"1 of 2 working on", detail)
    approved = post_form(client, f"/time-off/{row}/approve", page=f"/time-off/{row}", follow_redirects=True)
    body = approved.get_data(as_text=True)
    assert "Approved:" in body and 'data-state="approved"' in body and 'id="vacation-link"' in body
    assert 'id="tell-customers"' not in body  # until the messages feature exists
    again = post_form(client, f"/time-off/{row}/approve", page=f"/time-off/{row}", follow_redirects=True)
    assert "already approved" in again.get_data(as_text=True)
    assert "Sarita" in client.get("/bookings/follow-up").get_data(as_text=True)
    cancelled = post_form(client, f"/time-off/{row}/cancel", page=f"/time-off/{row}", follow_redirects=True)
    assert 'data-state="cancelled"' in cancelled.get_data(as_text=True)


def test_decline_needs_a_reason_and_the_stylist_reads_it_at_home(app, client, auth, s):
    with app.app_context():
        row = time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(8, 1)).id
    _as_admin(auth, s)
    empty = post_form(client, f"/time-off/{row}/decline", {"reason": ""}, page=f"/time-off/{row}")
    assert empty.status_code == 400
    assert "Give the reason" in field_errors(empty.get_data(as_text=True), "reason")[0]
    post_form(client, f"/time-off/{row}/decline", {"reason": "Two others are off that day"},
              page=f"/time-off/{row}")
    listing = client.get("/time-off/?state=declined").get_data(as_text=True)
    assert str(row) in listing
    auth.logout()
    auth.login(s.stylist.user.email)
    home = client.get("/").get_data(as_text=True)
    assert 'data-state="declined"' in home and "Two others are off that day" in home


def test_a_deleted_vacation_shows_on_the_request(app, client, auth, s):
    with app.app_context():
        row = time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(8, 1)).id
        time_off.approve(db.session, actor_of(s.admin), row)
        vacation = db.session.get(TimeOffRequest, row).vacation_override_id
        overrides.delete_override(db.session, actor_of(s.admin), vacation)
    _as_admin(auth, s)
    assert 'id="vacation-deleted"' in client.get(f"/time-off/{row}").get_data(as_text=True)
    assert "vacation deleted" in client.get("/time-off/").get_data(as_text=True)


def test_unknown_or_someone_elses_request_is_not_found(app, client, auth, s):
    import uuid
    with app.app_context():
        theirs = time_off.ask(db.session, actor_of(s.other), s.other.user_id, draft(8, 1)).id
    auth.login(s.stylist.user.email)
    assert post_form(client, f"/time-off/mine/{theirs}/withdraw", page="/time-off/mine").status_code == 404
    auth.logout()
    _as_admin(auth, s)
    assert client.get(f"/time-off/{uuid.uuid4()}").status_code == 404
    assert post_form(client, f"/time-off/{uuid.uuid4()}/approve").status_code == 404
    with app.app_context():
        assert db.session.get(TimeOffRequest, theirs).status == "waiting"


def test_tell_the_customers_is_offered_once_the_messages_endpoint_exists(app, client, auth, factory, s):
    # the messages branch's endpoint, stood in for here (its name is TELL_CUSTOMERS_ENDPOINT)
    app.add_url_rule("/messages/tell", "messages.tell_customers", lambda: "", methods=["POST"])
    with app.app_context():
        booking = factory.booking(s.stylist, s.cut, at(s.day, 11), customer_name="Sarita Adhikari").id
        row = time_off.ask(db.session, actor_of(s.stylist), s.stylist.user_id, draft(6, 1)).id
        time_off.approve(db.session, actor_of(s.admin), row)
    _as_admin(auth, s)
    page = client.get(f"/time-off/{row}").get_data(as_text=True)
    assert 'id="tell-customers"' in page and f'name="booking_ids" value="{booking}"' in page
