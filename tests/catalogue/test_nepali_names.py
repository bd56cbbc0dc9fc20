"""A service's Nepali name (issue 25, point 11): typed in the catalogue form, read on
Nepali pages, the English name when it is empty; the demo salon's services have one."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Service, ServiceManagementLog
from portal.services.operations.demo import SERVICES, SERVICE_NAMES_NE
from tests.helpers import field_errors
from tests.web import post_form

FORM = {"name": "Threading", "name_ne": "  आँखीभौं   थ्रेडिङ ", "category": "spa", "duration_minutes": "15",
        "price": "300", "min_advance_hours": "2", "max_advance_days": "30"}


@pytest.fixture
def admin(auth, factory):
    user = factory.user("admin")
    auth.login(user.email)
    return user


def read(client, url: str, language: str) -> str:
    client.set_cookie("lang", language)
    return client.get(url).get_data(as_text=True)


def test_the_nepali_name_is_typed_logged_and_shown_on_nepali_pages(client, admin, factory):
    assert post_form(client, "/catalogue/services/new", FORM, page="/catalogue/services/new").status_code == 302
    service = db.session.scalars(select(Service).where(Service.name == "Threading")).one()
    assert service.name_ne == "आँखीभौं थ्रेडिङ"
    row = db.session.scalars(select(ServiceManagementLog).where(ServiceManagementLog.action == "service_created")).one()
    assert row.details["new"]["name_ne"] == "आँखीभौं थ्रेडिङ"
    assert "आँखीभौं थ्रेडिङ" in read(client, "/catalogue/", "ne")
    english = read(client, "/catalogue/", "en")
    assert ">Threading</a>" in english and "आँखीभौं" not in english

    stylist = factory.stylist(display_name="Maya")
    booking = factory.booking(stylist, service, datetime.now(timezone.utc) + timedelta(days=2))
    assert "आँखीभौं थ्रेडिङ" in read(client, f"/bookings/{booking.id}", "ne")

    cleared = post_form(client, f"/catalogue/services/{service.id}", {**FORM, "name_ne": ""},
                        page=f"/catalogue/services/{service.id}")
    assert cleared.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).name_ne is None
    assert ">Threading</a>" in read(client, "/catalogue/", "ne")  # the English name stands in

    long = post_form(client, f"/catalogue/services/{service.id}", {**FORM, "name_ne": "क" * 200},
                     page=f"/catalogue/services/{service.id}")
    assert long.status_code == 400 and field_errors(long.get_data(as_text=True), "name_ne")


def test_the_demo_salon_names_every_service_in_nepali(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        names = dict(db.session.execute(select(Service.slug, Service.name_ne)).tuples().all())
    assert names == SERVICE_NAMES_NE and len(names) == len(SERVICES)
    assert all(any("\u0900" <= c <= "\u097f" for c in name) for name in names.values())
