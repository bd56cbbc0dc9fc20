"""The catalogue pages: services, stylists' prices and durations, profiles. Changes
reach the public slots at once (cache warm before); rupees round-trip to paisa."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.domain import catalogue as rules
from portal.extensions import db
from portal.models import Service, ServiceManagementLog, StylistProfile, StylistService
from tests.helpers import field_errors
from tests.web import post_form

SLOTS = "/api/bookings/available-slots"


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def salon(app, factory):
    service = factory.service(name="Haircut", slug="haircut", duration=60, price=150000, min_advance_hours=0)
    stylist = factory.stylist(display_name="Maya")
    factory.week(stylist)
    factory.offer(stylist, service)
    day = datetime.now(ZoneInfo("Asia/Kathmandu")).date() + timedelta(days=3)
    public = app.test_client()
    query = {"stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": day.isoformat()}

    def slots(expect_hit: bool | None = None):
        response = public.get(SLOTS, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        if expect_hit is not None:
            assert response.headers["X-Cache-Hit"] == ("true" if expect_hit else "false")
        return response.json

    slots()
    assert len(slots(expect_hit=True)) == 15  # warm
    return {"service": service, "stylist": stylist, "slots": slots, "day": day}


def log(action: str) -> list[ServiceManagementLog]:
    return list(db.session.scalars(select(ServiceManagementLog).where(ServiceManagementLog.action == action)))


@given(st.integers(0, rules.MAX_PAISA))
def test_paisa_round_trips_through_rupees(paisa):
    assert rules.rupees_to_paisa(rules.paisa_to_rupees(paisa)) == paisa
    assert Decimal(rules.paisa_to_rupees(paisa)) * 100 == paisa


@pytest.mark.parametrize("text, paisa", [("1500", 150000), ("1,500.5", 150050), ("0.01", 1), ("Rs 99.99", 9999)])
def test_rupees_are_read_exactly(text, paisa):
    assert rules.rupees_to_paisa(text) == paisa


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.005", "1e400", "NaN", "99999999999"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(rules.BadAmount):
        rules.rupees_to_paisa(text)


SERVICE_FORM = {"name": "Keratin treatment", "category": "hair", "duration_minutes": "90", "price": "4999.95",
                "min_advance_hours": "4", "max_advance_days": "60"}


def test_create_a_service_price_in_rupees_stored_in_paisa(app, client, admin):
    assert post_form(client, "/catalogue/services/new", SERVICE_FORM, page="/catalogue/services/new").status_code == 302
    service = db.session.scalars(select(Service).where(Service.name == "Keratin treatment")).one()
    assert service.base_price_cents == 499995 and service.slug == "keratin-treatment"
    page = client.get(f"/catalogue/services/{service.id}").get_data(as_text=True)
    assert 'value="4999.95"' in page
    assert "Rs 4,999.95" in client.get("/catalogue/").get_data(as_text=True)
    row, = log("service_created")
    assert row.category == "configuration" and row.details["new"]["base_price_cents"] == 499995

    for field, value in (("price", "12.345"), ("price", "-1"), ("duration_minutes", "0"), ("name", "")):
        bad = post_form(client, "/catalogue/services/new", {**SERVICE_FORM, "name": "Other", field: value},
                        page="/catalogue/services/new")
        assert bad.status_code == 400 and field_errors(bad.get_data(as_text=True), field), (field, value)
    same = post_form(client, "/catalogue/services/new", {**SERVICE_FORM, "name": "keratin TREATMENT"},
                     page="/catalogue/services/new")
    assert same.status_code == 400 and "already has this name" in same.get_data(as_text=True)


def test_changing_a_services_duration_changes_the_slots_at_once(app, client, admin, salon):
    service = salon["service"]
    form = {**SERVICE_FORM, "name": "Haircut", "duration_minutes": "120", "price": "1500"}
    assert post_form(client, f"/catalogue/services/{service.id}", form,
                     page=f"/catalogue/services/{service.id}").status_code == 302
    after = salon["slots"](expect_hit=False)
    assert len(after) == 13  # starts 09:00 … 15:00 every 30 min for a two-hour service (was 15)
    row, = log("service_edited")
    assert row.details["old"]["duration_minutes"] == 60 and row.details["new"]["duration_minutes"] == 120


def test_changing_a_stylists_price_changes_the_slots_at_once(app, client, admin, salon):
    stylist, service = salon["stylist"], salon["service"]
    page = client.get(f"/catalogue/stylists/{stylist.user_id}").get_data(as_text=True)
    prefix = re.search(r'name="prefix" value="(s\d+)"', page).group(1)
    data = {f"{prefix}-offered": "y", f"{prefix}-price": "1750.25", f"{prefix}-duration": "", "prefix": prefix}
    response = post_form(client, f"/catalogue/stylists/{stylist.user_id}/services/{service.id}", data,
                         page=f"/catalogue/stylists/{stylist.user_id}")
    assert response.status_code == 302
    after = salon["slots"](expect_hit=False)
    assert {slot["priceCents"] for slot in after} == {175025}
    offer = db.session.scalars(select(StylistService)).one()
    assert offer.custom_price_cents == 175025
    assert 'value="1750.25"' in client.get(f"/catalogue/stylists/{stylist.user_id}").get_data(as_text=True)
    row, = log("stylist_service_changed")
    assert row.details["old"]["custom_price_cents"] is None and row.details["new"]["custom_price_cents"] == 175025

    data = {f"{prefix}-price": "", "prefix": prefix}  # unticked: no longer offered
    post_form(client, f"/catalogue/stylists/{stylist.user_id}/services/{service.id}", data,
              page=f"/catalogue/stylists/{stylist.user_id}")
    assert salon["slots"]() == []


def test_deactivating_a_service_shows_its_bookings_and_empties_the_slots(app, client, admin, salon, factory):
    service, stylist = salon["service"], salon["stylist"]
    start = datetime.now(ZoneInfo("Asia/Kathmandu")).replace(microsecond=0) + timedelta(days=5)
    factory.booking(stylist, service, start)
    factory.booking(stylist, service, start + timedelta(hours=2))
    confirm = client.get(f"/catalogue/services/{service.id}/deactivate").get_data(as_text=True)
    assert "2 upcoming bookings" in confirm
    assert post_form(client, f"/catalogue/services/{service.id}/deactivate",
                     page=f"/catalogue/services/{service.id}/deactivate").status_code == 302
    gone = app.test_client().get(SLOTS, query_string={
        "stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": salon["day"].isoformat()})
    assert gone.status_code == 404 or gone.json == []
    row, = log("service_deactivated")
    assert row.details["upcoming_bookings"] == 2 and row.severity == "warning"
    assert post_form(client, f"/catalogue/services/{service.id}/reactivate", page="/catalogue/").status_code == 302
    assert len(salon["slots"]()) == 15


def test_the_stylist_profile_is_editable(app, client, admin, salon):
    stylist = salon["stylist"]
    data = {"display_name": "Maya G.", "title": "Senior stylist", "bio": "Colour and bridal.",
            "years_experience": "7", "specialties": "colour, bridal, colour", "timezone": "Asia/Kolkata",
            "buffer_minutes": "30"}
    response = post_form(client, f"/catalogue/stylists/{stylist.user_id}/profile", data,
                         page=f"/catalogue/stylists/{stylist.user_id}")
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(StylistProfile, stylist.user_id)
    assert (profile.display_name, profile.timezone, profile.booking_buffer_minutes) == ("Maya G.", "Asia/Kolkata", 30)
    assert profile.specialties == ["colour", "bridal"]
    row, = log("stylist_profile_edited")
    assert row.details["old"]["buffer_minutes"] == 0
    assert row.details["new"]["timezone"] == "Asia/Kolkata"
    bad = post_form(client, f"/catalogue/stylists/{stylist.user_id}/profile", {**data, "timezone": "Mars/Base"},
                    page=f"/catalogue/stylists/{stylist.user_id}")
    assert bad.status_code == 400


def test_a_price_change_names_the_stylists_who_keep_their_own_and_offers_to_clear_them(
        app, client, admin, salon, factory):
    """Issue 25, point 2: Haircut set to Rs 1,000 silently missed Prakash (Rs 800) and
    Deepa (Rs 900). The page lists each stylist's own price and time, the confirmation
    names who keeps theirs, and one button gives everyone the usual terms."""
    service, maya = salon["service"], salon["stylist"]
    prakash, deepa = factory.stylist(display_name="Prakash"), factory.stylist(display_name="Deepa")
    factory.offer(prakash, service, custom_price_cents=80000)
    factory.offer(deepa, service, custom_price_cents=90000, custom_duration_minutes=45)
    page = client.get(f"/catalogue/services/{service.id}").get_data(as_text=True)
    listed = page.split('id="offerings"')[1].split("</ul>")[0]
    assert all(f'data-stylist="{n}"' in listed for n in ("Maya", "Prakash", "Deepa"))
    assert "Rs 800" in listed and "Rs 900" in listed and listed.count("own price") == 2
    assert listed.count("own time") == 1

    form = {**SERVICE_FORM, "name": "Haircut", "duration_minutes": "60", "price": "1000"}
    saved = post_form(client, f"/catalogue/services/{service.id}", form, page=f"/catalogue/services/{service.id}")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/catalogue/services/{service.id}")
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "except for Deepa, Prakash, who keep their own price or duration" in shown

    cleared = post_form(client, f"/catalogue/services/{service.id}/own-terms/clear",
                        page=f"/catalogue/services/{service.id}")
    assert cleared.status_code == 302
    assert "Deepa, Prakash now charge and take Haircut" in client.get(cleared.headers["Location"]).get_data(
        as_text=True)
    offers = db.session.scalars(select(StylistService)).all()
    assert all(o.custom_price_cents is None and o.custom_duration_minutes is None for o in offers)
    rows = log("stylist_service_changed")
    assert {r.target_id for r in rows} == {prakash.user_id, deepa.user_id}
    assert all(r.details["new"]["custom_price_cents"] is None for r in rows)
    again = post_form(client, f"/catalogue/services/{service.id}/own-terms/clear",
                      page=f"/catalogue/services/{service.id}")
    assert "already uses the service" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert len(log("stylist_service_changed")) == 2
