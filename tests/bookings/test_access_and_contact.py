"""Who sees what (bookings.md): stylists only their own appointments, details and
troubleshooter; phone and email only on the details page (stylists: the next 2 days);
each details view writes one `booking_viewed` row."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.bookings.helpers import at, email_of, log_rows, salon, today_ktm
from tests.helpers import sign_in


@pytest.fixture
def setup(factory, auth):
    s = salon(factory, days_ahead=1)
    soon = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sarita Adhikari",
                           customer_phone="9841234567", customer_email="sarita@example.com")
    later = factory.booking(s.stylist, s.cut, at(today_ktm() + timedelta(days=6), 10), customer_name="Maya Rai",
                            customer_phone="9800000001", customer_email="maya@example.com")
    theirs = factory.booking(s.other, s.cut, at(s.day, 11), customer_name="Gita KC", customer_phone="9800000002")
    return s, soon, later, theirs


def test_a_stylist_cannot_open_another_stylists_appointments_details_or_troubleshooter(client, auth, setup, raw):
    s, soon, later, theirs = setup
    sign_in(auth, email_of(raw, s.stylist.user_id))
    assert client.get(f"/bookings/stylists/{s.other.user_id}").status_code == 403
    assert client.get(f"/bookings/{theirs.id}").status_code == 403
    assert client.get(f"/bookings/why?stylist={s.other.user_id}&service={s.cut.id}").status_code == 403
    assert log_rows(raw, "booking_viewed") == []  # a refused view reads nothing, logs no view
    assert client.get(f"/bookings/stylists/{s.stylist.user_id}").status_code == 200
    assert client.get(f"/bookings/why?stylist={s.stylist.user_id}&service={s.cut.id}").status_code == 200
    assert client.get("/bookings/day").status_code == 403
    assert client.get("/bookings/follow-up").status_code == 403


def test_lists_never_show_contact_data_and_details_do_as_allowed(client, auth, setup, raw):
    s, soon, later, theirs = setup
    sign_in(auth, email_of(raw, s.stylist.user_id))
    home = client.get("/").get_data(as_text=True)
    assert "Sarita" in home and "Maya" in home and "Adhikari" not in home  # first names only
    assert "9841234567" not in home and "sarita@example.com" not in home
    near = client.get(f"/bookings/{soon.id}").get_data(as_text=True)
    assert "9841234567" in near and "sarita@example.com" in near
    far = client.get(f"/bookings/{later.id}").get_data(as_text=True)
    assert "Maya Rai" in far and "9800000001" not in far and "maya@example.com" not in far
    rows = log_rows(raw, "booking_viewed")
    assert [(r[0], r[2]) for r in rows] == [("booking", "data_access")] * 2
    assert [str(r[1]).lower() for r in rows] == [str(soon.id), str(later.id)]


def test_admin_sees_contact_on_details_only_and_each_view_is_logged(client, auth, setup, raw):
    s, soon, later, theirs = setup
    sign_in(auth, s.admin.email)
    board = client.get(f"/bookings/day?date={s.day.isoformat()}").get_data(as_text=True)
    assert "Sarita" in board and "Gita" in board and "9841234567" not in board
    for _ in range(3):
        page = client.get(f"/bookings/{later.id}").get_data(as_text=True)
        assert "9800000001" in page and "maya@example.com" in page
    assert len(log_rows(raw, "booking_viewed", "data_access")) == 3
    assert client.get(f"/bookings/stylists/{s.other.user_id}").status_code == 200
