"""Pages showing a customer's phone or email are sent `Cache-Control: no-store` (issue 22):
the booking's details (admin, and the stylist within two days) and the follow-up list;
so is every other page, signed in or not, while static files keep their own caching."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.bookings.helpers import at, email_of, salon
from tests.helpers import sign_in
from tests.test_route_access import routes

PHONE, EMAIL = "9841234567", "sarita@example.com"


def test_pages_with_a_customers_phone_or_email_are_not_stored(client, auth, factory, raw):
    s = salon(factory, days_ahead=1)
    booking = factory.booking(s.stylist, s.colour, at(s.day, 10), customer_name="Sarita Adhikari",
                              customer_phone=PHONE, customer_email=EMAIL)
    raw.execute(text("UPDATE stylist_services SET is_available = false WHERE service_id = :v"),
                {"v": str(s.colour.id)})  # on the follow-up list, with its phone
    sign_in(auth, s.admin.email)
    pages = [f"/bookings/{booking.id}", "/bookings/follow-up"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200 and PHONE in response.get_data(as_text=True), url
        assert response.headers["Cache-Control"] == "no-store", url
    with client.session_transaction() as session:
        session.clear()
    sign_in(auth, email_of(raw, s.stylist.user_id))
    response = client.get(f"/bookings/{booking.id}")
    assert EMAIL in response.get_data(as_text=True) and response.headers["Cache-Control"] == "no-store"


@pytest.mark.walk
def test_every_page_is_no_store_and_static_files_are_cached_as_before(app, client, auth, factory):
    for url in ("/login", "/static/css/portal.css"):
        response = client.get(url)
        assert response.status_code == 200
        assert ("no-store" in response.headers.get("Cache-Control", "")) == (url == "/login"), url
        response.close()
    sign_in(auth, factory.user("admin").email)
    for route in routes(app):
        if route.method != "GET":
            continue
        response = client.get(route.url)
        assert "no-store" in response.headers.get("Cache-Control", ""), (route.url, response.status_code)
