"""People → New stylist: the vetted promotion starts for a new or existing person, and a
salon with one admin is told plainly what it can do instead of waiting forever."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ServiceManagementLog, StylistPromotion, UserProfile
from tests.helpers import field_errors
from tests.promotions.workflow import ready_for_approval
from tests.web import post_form

LONE = "This salon has one admin, and a new stylist needs a second admin to approve them."


@pytest.fixture
def admin(client, auth, factory):
    user = factory.user("admin", name="Asha Admin")
    auth.login(user.email)
    return user


def actions() -> list[str]:
    return list(db.session.scalars(select(ServiceManagementLog.action).order_by(ServiceManagementLog.id)))


def test_a_new_person_gets_an_account_and_a_draft_promotion(client, admin):
    people = client.get("/people/").get_data(as_text=True)
    assert 'href="/people/new-stylist"' in people and "New stylist" in people
    form = {"display_name": " Maya  Lama ", "email": "maya@example.test"}
    response = post_form(client, "/people/new-stylist", form, page="/people/new-stylist")
    maya = db.session.scalars(select(UserProfile).where(UserProfile.email == "maya@example.test")).one()
    promotion = db.session.scalars(select(StylistPromotion).where(StylistPromotion.user_id == maya.id)).one()
    assert response.status_code == 302 and response.headers["Location"] == f"/promotions/{promotion.id}"
    assert maya.display_name == "Maya Lama" and maya.role_names == {"customer"} and maya.password_hash is None
    assert promotion.status == "draft" and promotion.requested_by == admin.id
    assert actions() == ["account_created", "promotion_started"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Maya Lama&#39;s checks have started. Issue a password link" in page
    assert f'href="/people/{maya.id}"' in page


def test_an_existing_account_is_used_and_refusals_change_nothing(client, admin, factory):
    ram = factory.user("customer", name="Ram", email="ram@example.test")
    response = post_form(client, "/people/new-stylist", {"display_name": "Ram B", "email": "RAM@example.test"},
                         page="/people/new-stylist", follow_redirects=True)
    assert "Ram already had an account: their checks as a new stylist have started." in response.get_data(as_text=True)
    assert db.session.scalar(select(StylistPromotion.status).where(StylistPromotion.user_id == ram.id)) == "draft"
    assert actions() == ["promotion_started"]
    again = post_form(client, "/people/new-stylist", {"display_name": "Ram", "email": "ram@example.test"},
                      page="/people/new-stylist", follow_redirects=True)
    assert "already has an open promotion" in again.get_data(as_text=True)
    bad = post_form(client, "/people/new-stylist", {"display_name": "Gita", "email": "not-an-email"},
                    page="/people/new-stylist")
    assert bad.status_code == 400
    assert field_errors(bad.get_data(as_text=True), "email") == ["Enter an email address such as name@example.com."]
    assert actions() == ["promotion_started"]


def test_one_admin_is_told_what_the_salon_can_do(client, admin, factory):
    candidate = factory.user("customer", name="Sita", email="sita@example.test", mfa=True)
    for page in ("/people/", "/people/new-stylist"):
        html = client.get(page).get_data(as_text=True)
        assert LONE in html and "flask create-user EMAIL --name" in html and "--role admin" in html
        assert "PROMOTION_REQUIRE_SECOND_ADMIN=false" in html
    promotion = ready_for_approval(db.session, admin, candidate)
    assert LONE in client.get(f"/promotions/{promotion.id}").get_data(as_text=True)

    factory.user("admin", name="Bina Admin")
    assert LONE not in client.get("/people/").get_data(as_text=True)
    assert LONE not in client.get(f"/promotions/{promotion.id}").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"PROMOTION_REQUIRE_SECOND_ADMIN": False}])
def test_no_notice_when_the_rule_is_off(client, admin):
    assert LONE not in client.get("/people/").get_data(as_text=True)
