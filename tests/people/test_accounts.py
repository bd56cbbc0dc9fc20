"""Accounts from the people pages: create, search, edit, deactivate (sessions end, a
stylist's slots vanish at once with the cache warm), reactivate."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ServiceManagementLog, StylistProfile, UserProfile
from tests.helpers import field_errors
from tests.web import AuthActions, post_form

SLOTS = "/api/bookings/available-slots"


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def admin_name():
    return "Asha Admin"  # the signed-in `admin` (tests/conftest.py)


def rows(action: str) -> list[ServiceManagementLog]:
    return list(db.session.scalars(select(ServiceManagementLog).where(ServiceManagementLog.action == action)))


def test_create_an_account_and_find_it(app, client, admin, factory):
    factory.user("customer", email="Ram@Example.test", name="Ram")
    form = {"display_name": "  Gita   Sharma ", "email": "gita@example.test", "roles": ["auditor", "customer"]}
    response = post_form(client, "/people/new", form, page="/people/new")
    assert response.status_code == 302
    gita = db.session.scalars(select(UserProfile).where(UserProfile.email == "gita@example.test")).one()
    assert gita.display_name == "Gita Sharma" and gita.role_names == {"auditor", "customer"}
    assert gita.password_hash is None
    row, = rows("account_created")
    assert row.category == "governance" and row.details["new"]["roles"] == ["auditor", "customer"]
    page = client.get("/people/?q=GITA").get_data(as_text=True)
    assert "Gita Sharma" in page and "Ram" not in page
    assert "Two-step off" in page and "Auditor" in page

    taken = post_form(client, "/people/new", {**form, "email": "ram@example.TEST"}, page="/people/new")
    assert taken.status_code == 400
    assert field_errors(taken.get_data(as_text=True), "email") == ["Someone already has this email address."]
    admin_role = post_form(client, "/people/new", {**form, "email": "new@example.test", "roles": ["admin"]},
                           page="/people/new")
    assert admin_role.status_code == 400 and db.session.scalar(
        select(UserProfile.id).where(UserProfile.email == "new@example.test")) is None


def test_edit_name_and_email_logs_old_and_new(app, client, admin, factory):
    kiran = factory.user("customer", name="Kiran", email="kiran@example.test")
    response = post_form(client, f"/people/{kiran.id}/edit", {"display_name": "Kiran KC", "email": "kc@example.test"},
                         page=f"/people/{kiran.id}/edit")
    assert response.status_code == 302
    row, = rows("account_edited")
    assert row.details == {"old": {"email": "kiran@example.test", "display_name": "Kiran"},
                           "new": {"email": "kc@example.test", "display_name": "Kiran KC"}}
    clash = post_form(client, f"/people/{kiran.id}/edit", {"display_name": "Kiran KC", "email": admin.email.upper()},
                      page=f"/people/{kiran.id}/edit")
    assert clash.status_code == 400


def test_deactivation_signs_out_at_once_and_reactivation_lets_back_in(app, client, admin, factory):
    kiran = factory.user("customer")
    theirs = app.test_client()
    AuthActions(theirs).login(kiran.email)
    assert theirs.get("/account").status_code == 200
    confirm = client.get(f"/people/{kiran.id}/deactivate").get_data(as_text=True)
    assert "signed out at once" in confirm
    assert post_form(client, f"/people/{kiran.id}/deactivate", page=f"/people/{kiran.id}").status_code == 302
    assert theirs.get("/account").headers["Location"].startswith("/login")
    assert AuthActions(app.test_client()).login(kiran.email).status_code == 200  # refused
    row, = rows("account_deactivated")
    assert row.severity == "warning" and row.details["old"] == {"is_active": True}
    assert post_form(client, f"/people/{kiran.id}/reactivate", page=f"/people/{kiran.id}").status_code == 302
    assert AuthActions(app.test_client()).login(kiran.email).status_code == 302
    assert [r.details["new"] for r in rows("account_reactivated")] == [{"is_active": True}]


def test_a_deactivated_stylists_slots_vanish_at_once_with_the_cache_warm(app, client, admin, factory):
    service = factory.service(duration=60, min_advance_hours=0)
    stylist = factory.stylist(display_name="Maya")
    factory.week(stylist)
    factory.offer(stylist, service)
    day = datetime.now(ZoneInfo("Asia/Kathmandu")).date() + timedelta(days=3)
    public = app.test_client()
    query = {"stylistId": str(stylist.user_id), "serviceId": str(service.id), "targetDate": day.isoformat()}
    assert len(public.get(SLOTS, query_string=query).json) == 15
    warm = public.get(SLOTS, query_string=query)
    assert warm.headers["X-Cache-Hit"] == "true" and len(warm.json) == 15

    assert post_form(client, f"/people/{stylist.user_id}/deactivate", page="/people/").status_code == 302
    gone = public.get(SLOTS, query_string=query)
    assert gone.status_code == 404 or gone.json == []
    db.session.expire_all()
    assert db.session.get(StylistProfile, stylist.user_id).is_active is False

    assert post_form(client, f"/people/{stylist.user_id}/reactivate", page="/people/").status_code == 302
    assert len(public.get(SLOTS, query_string=query).json) == 15


def test_a_revoked_stylist_stays_unlisted_when_reactivated(app, client, admin, factory):
    stylist = factory.stylist()
    user = db.session.get(UserProfile, stylist.user_id)
    from portal.services.identity import accounts
    accounts.revoke_role(user, "stylist")
    db.session.commit()
    post_form(client, f"/people/{user.id}/deactivate", page="/people/")
    post_form(client, f"/people/{user.id}/reactivate", page="/people/")
    db.session.expire_all()
    assert db.session.get(UserProfile, user.id).is_active
    assert db.session.get(StylistProfile, user.id).is_active is False


def test_the_list_filters_by_role_and_state(app, client, admin, factory):
    factory.user("auditor", name="Audrey Auditor")
    gone = factory.user("customer", name="Gone Customer")
    factory.user("customer", name="Here Customer")
    post_form(client, f"/people/{gone.id}/deactivate", page="/people/")
    def listed(url):
        page = client.get(url).get_data(as_text=True)
        return page[page.index('id="people-list"'):]

    auditors = listed("/people/?role=auditor")
    assert "Audrey Auditor" in auditors and "Here Customer" not in auditors
    inactive = listed("/people/?state=deactivated")
    assert "Gone Customer" in inactive and "Here Customer" not in inactive and "Asha Admin" not in inactive
    both = listed("/people/?role=customer&state=active&q=customer")
    assert "Here Customer" in both and "Gone Customer" not in both
    assert "Here Customer" in listed("/people/?role=nonsense")  # not a role: the whole list
