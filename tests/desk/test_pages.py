"""The desk's pages over HTTP: taking a phone and a walk-in booking, the day board's steps
and undo, moving, the customers page (masked phones, search, unmatched) and a customer's
page (`customer_viewed`), stylists refused what is the admins'."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.bookings.helpers import NO_LIMIT, at, log_rows, salon, today_ktm
from tests.helpers import sign_in
from tests.web import post_form


@pytest.fixture
def app_config():
    return NO_LIMIT


def _choice(page: str, hh_mm: str) -> str:
    """The radio value of the free time starting at hh:mm (local, 12-hour label)."""
    for value, label in re.findall(r'value="([0-9a-f-]{36}\|[^"]+)"[^>]*>\s*<label[^>]*>([^<]+)<', page):
        if label.strip().startswith(hh_mm):
            return value
    raise AssertionError(f"no free time {hh_mm}")


def test_take_a_phone_booking_then_step_and_undo(client, auth, factory, raw):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 9), customer_name="Sita Rai", customer_phone="984-1234567",
                    status="no_show")
    sign_in(auth, s.admin.email)
    query = {"phone": "9841234567", "service": str(s.cut.id), "stylist": str(s.stylist.user_id),
             "date": s.day.isoformat(), "source": "phone"}
    page = client.get("/desk/book", query_string=query).get_data(as_text=True)
    assert "Known customer: Sita Rai" in page and 'data-no-shows="1"' in page  # no-shows beside the name
    start = _choice(page, "10:00 AM")
    saved = post_form(client, "/desk/book", {"phone": "9841234567", "name": "Sita Rai", "email": "",
                                             "service": str(s.cut.id), "source": "phone", "start": start,
                                             "stylist": str(s.stylist.user_id)})
    assert saved.status_code == 302 and "/bookings/day" in saved.headers["Location"]
    board = client.get(saved.headers["Location"]).get_data(as_text=True)
    booking_id = raw.execute(text("SELECT id FROM bookings WHERE source = 'phone'")).scalar()
    assert f'data-booking="{booking_id}"' in board and 'data-step="arrived"' in board and "data-gap" in board
    back = f"/bookings/day?date={s.day.isoformat()}"
    assert post_form(client, f"/desk/bookings/{booking_id}/step", {"step": "arrived", "next": back}).status_code == 302
    board = client.get(back).get_data(as_text=True)
    assert "data-undo" in board and 'data-step="done"' in board
    post_form(client, f"/desk/bookings/{booking_id}/undo", {"next": back})
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(booking_id)}).scalar() == "confirmed"
    # the same time again: refused plainly, with the fresh list
    again = post_form(client, "/desk/book", {"phone": "9800000001", "name": "Ram", "service": str(s.cut.id),
                                             "source": "phone", "start": start})
    body = again.get_data(as_text=True)
    assert again.status_code == 409 and "Anjali was just booked" in body and 'id="free-times"' in body
    # an invalid phone: a field error, nothing saved
    bad = post_form(client, "/desk/book", {"phone": "12345", "name": "Ram", "service": str(s.cut.id),
                                           "source": "phone", "start": _choice(body, "11:00 AM")})
    assert bad.status_code == 400 and "Give a valid phone number" in bad.get_data(as_text=True)
    assert raw.execute(text("SELECT count(*) FROM bookings WHERE source <> 'online'")).scalar() == 1


def test_walk_in_preselects_the_next_start(client, auth, factory):
    s = salon(factory, days_ahead=0)
    sign_in(auth, s.admin.email)
    page = client.get("/desk/book", query_string={"source": "walk_in", "service": str(s.cut.id),
                                                  "date": today_ktm().isoformat()}).get_data(as_text=True)
    assert 'id="free-times"' in page
    if "no-free-times" not in page:  # late in the day there may be none left
        assert " checked" in page


def test_move_page_moves_the_booking(client, auth, factory, raw):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Puja")
    sign_in(auth, s.admin.email)
    own = client.get(f"/desk/bookings/{booking.id}/move").get_data(as_text=True)
    assert _choice(own, "10:30 AM") and _choice(own, "10:00 AM")  # its own time does not block a shift
    page = client.get(f"/desk/bookings/{booking.id}/move",
                      query_string={"stylist": str(s.other.user_id), "date": s.day.isoformat()}).get_data(as_text=True)
    moved = post_form(client, f"/desk/bookings/{booking.id}/move", {"stylist": str(s.other.user_id),
                                                                    "start": _choice(page, "2:00 PM")})
    assert moved.status_code == 302
    row = raw.execute(text("SELECT stylist_user_id FROM bookings WHERE id = :i"), {"i": str(booking.id)}).scalar()
    assert str(row) == str(s.other.user_id)


def test_customers_page_and_a_customers_page(client, auth, factory, raw):
    s = salon(factory)
    factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari", customer_phone="9841234567")
    factory.booking(s.stylist, s.cut, at(s.day, 12), customer_name="Sarita A.", customer_phone="+977 984-1234567",
                    status="completed")
    factory.booking(s.stylist, s.cut, at(s.day, 14), customer_name="Nobody", customer_phone="call me")
    sign_in(auth, s.admin.email)
    listed = client.get("/desk/customers").get_data(as_text=True)  # meets the public site's phones
    assert listed.count("data-customer=") == 1 and "98•••••567" in listed and "9841234567" not in listed
    assert "call me" in listed  # unmatched
    assert client.get("/desk/customers", query_string={"q": "1234-567"}).get_data(as_text=True).count("data-customer=") == 1
    assert client.get("/desk/customers", query_string={"q": "sarita"}).get_data(as_text=True).count("data-customer=") == 1
    assert client.get("/desk/customers", query_string={"q": "nobody"}).get_data(as_text=True).count("data-customer=") == 0
    customer_id = raw.execute(text("SELECT id FROM customers")).scalar()
    page = client.get(f"/desk/customers/{customer_id}").get_data(as_text=True)
    assert "+9779841234567" in page and "Visits: 1" in page and page.count("data-booking=") == 2
    assert len(log_rows(raw, "customer_viewed", "data_access")) == 1
    saved = post_form(client, f"/desk/customers/{customer_id}", {"name": "Sarita Adhikari", "email": "",
                                                                 "language": "en", "notes": "Prefers mornings"})
    assert saved.status_code == 302
    assert raw.execute(text("SELECT language, messages_enabled, notes FROM customers")).one() == (
        "en", False, "Prefers mornings")


def test_stylists_step_their_own_and_never_see_customers(client, auth, factory, raw):
    s = salon(factory, days_ahead=0)
    own = factory.booking(s.stylist, s.cut, at(s.day, 10))
    sign_in(auth, s.stylist.user.email if hasattr(s.stylist, "user") else
            raw.execute(text("SELECT email FROM user_profiles WHERE id = :i"), {"i": str(s.stylist.user_id)}).scalar())
    assert client.get("/desk/customers").status_code == 403
    assert client.get("/desk/book").status_code == 403
    post_form(client, f"/desk/bookings/{own.id}/step", {"step": "cancel", "reason": "x"})
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(own.id)}).scalar() == "confirmed"
    post_form(client, f"/desk/bookings/{own.id}/step", {"step": "arrived"})
    assert raw.execute(text("SELECT status FROM bookings WHERE id = :i"), {"i": str(own.id)}).scalar() == "in_progress"


def test_the_desk_may_untick_the_customers_confirmation(client, auth, factory, raw):
    """front-desk.md: a confirmation is queued unless the desk unticks it (taking and moving)."""
    s = salon(factory)
    sign_in(auth, s.admin.email)
    query = {"phone": "9841234567", "service": str(s.cut.id), "stylist": str(s.stylist.user_id),
             "date": s.day.isoformat(), "source": "phone"}
    page = client.get("/desk/book", query_string=query).get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="tell"|name="tell"[^>]*checked', page)
    base = {"phone": "9841234567", "name": "Sita Rai", "email": "", "service": str(s.cut.id), "source": "phone",
            "stylist": str(s.stylist.user_id)}
    assert post_form(client, "/desk/book", {**base, "start": _choice(page, "10:00 AM")}).status_code == 302
    messages = "SELECT count(*) FROM messages WHERE kind = 'confirmation'"
    assert raw.execute(text(messages)).scalar() == 0  # unticked (the box is not sent): nobody told
    page = client.get("/desk/book", query_string=query).get_data(as_text=True)
    assert post_form(client, "/desk/book", {**base, "start": _choice(page, "2:00 PM"), "tell": "y"}).status_code == 302
    assert raw.execute(text(messages)).scalar() == 1
    booking_id = raw.execute(text("SELECT id FROM bookings WHERE source = 'phone' ORDER BY start_time")).scalar()
    moving = client.get(f"/desk/bookings/{booking_id}/move").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="tell"|name="tell"[^>]*checked', moving)
