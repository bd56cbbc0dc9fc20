"""PROMOTION_REQUIRE_SECOND_ADMIN off: the requester may approve through the page."""
from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import StylistPromotion
from tests.promotions.workflow import ready_for_approval
from tests.web import post_form


@pytest.fixture
def app_config(database_url):
    return {"PROMOTION_REQUIRE_SECOND_ADMIN": False}


def test_requester_may_approve_when_the_rule_is_off(client, auth, admin_a, customer):
    promotion = ready_for_approval(db.session, admin_a, customer)
    auth.login(admin_a.email)
    html = client.get(f"/promotions/{promotion.id}").get_data(as_text=True)
    assert "a second admin must approve it" not in html and "Approve…" in html
    response = post_form(client, f"/promotions/{promotion.id}/approve",
                         {"display_name": "Sita", "timezone": "Asia/Kathmandu", "buffer_minutes": "0",
                          "version": promotion.version}, follow_redirects=True)
    assert "Sita is now a stylist." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(StylistPromotion, promotion.id).status == "approved"
