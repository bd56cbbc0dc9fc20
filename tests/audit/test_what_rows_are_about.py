""""Who cancelled this booking?" answered from the audit log (issue 25, point 5): each row
names what it is about — a booking by the customer's first name, the stylist and the
start; a closure by its reason; a person by name — the viewer searches by it, and the
CSV carries the same words."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from portal.actor import Actor
from portal.extensions import db
from portal.services.appointments import followup
from portal.services.audit.audit_entries import first_name
from tests.factories import Factory

START = datetime(2030, 3, 4, 5, 15, tzinfo=timezone.utc)  # 11:00 AM in Kathmandu


def _cancelled_booking(app, people):
    admin = people("admin", email="sita@example.test", name="Sita Sharma")
    with app.app_context():
        factory = Factory(db.session)
        stylist = factory.stylist(display_name="Anjali Shrestha")
        service = factory.service(name="Haircut", slug="haircut")
        booking = factory.booking(stylist, service, START, customer_name="Sarita Adhikari")
        other = factory.booking(stylist, service, START.replace(day=5), customer_name="Bimala Rai")
        followup.cancel_bookings(db.session, Actor(user_id=admin.id, name=admin.name),
                                 [booking.id, other.id], "Salon closed for Holi")
    return admin


def test_a_cancelled_booking_reads_as_its_customer_stylist_and_time(app, client, people, auth):
    admin = _cancelled_booking(app, people)
    auth.login(admin.email)
    page = client.get("/audit/?action=booking_cancelled").get_data(as_text=True)
    assert "Booking: Sarita · Anjali Shrestha · Mon 4 Mar 2030, 11:00 AM" in page


def test_the_log_is_searched_by_what_rows_are_about(app, client, people, auth):
    admin = _cancelled_booking(app, people)
    auth.login(admin.email)
    found = client.get("/audit/?about=sarita").get_data(as_text=True)
    assert "Booking: Sarita · Anjali Shrestha" in found and "Booking: Bimala" not in found
    by_stylist = client.get("/audit/?about=Anjali").get_data(as_text=True)
    assert "Booking: Sarita" in by_stylist and "Booking: Bimala" in by_stylist
    assert "Booking:" not in client.get("/audit/?about=nobody-by-this-name").get_data(as_text=True)
    refused = client.get("/audit/?about=a%01b")
    assert refused.status_code == 400


def test_the_csv_names_the_same_things(app, client, people, auth):
    admin = _cancelled_booking(app, people)
    auth.login(admin.email)
    response = client.get("/audit/export.csv?action=booking_cancelled")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True)[1:])))
    assert sorted(r["about"] for r in rows) == [
        "Bimala · Anjali Shrestha · 2030-03-05 11:00", "Sarita · Anjali Shrestha · 2030-03-04 11:00"]
    only = client.get("/audit/export.csv?about=Bimala")
    assert [r["about"] for r in csv.DictReader(io.StringIO(only.get_data(as_text=True)[1:]))] == [
        "Bimala · Anjali Shrestha · 2030-03-05 11:00"]


def test_a_first_name_is_the_first_word_or_a_dash():
    assert first_name("Sarita Adhikari") == "Sarita" and first_name(None) == "—" and first_name("") == "—"
