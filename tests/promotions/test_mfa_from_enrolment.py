"""The promotion's "MFA enabled" check is the candidate's own enrolment: no checkbox,
a candidate without two-step sign-in cannot reach pending_approval, and the page says why."""
from __future__ import annotations

import html as html_lib

import pytest
from sqlalchemy import select

from portal.domain.promotion import Checks
from portal.extensions import db
from portal.models import StylistPromotion
from portal.services.staffing import promotions
from tests.promotions.workflow import actor_for
from tests.web import post_form

ALL_GOOD = {"background": "passed", "id_verification": "verified", "training": "y", "mfa": "y"}


@pytest.fixture
def candidate(make_user):
    return make_user("customer", name="Hari Candidate", mfa=False)


def fresh(promotion_id) -> StylistPromotion:
    db.session.expire_all()
    return db.session.scalars(select(StylistPromotion).where(StylistPromotion.id == promotion_id)).one()


def test_no_checkbox_and_not_enrolled_stays_in_training_with_a_reason(client, auth, admin_a, candidate, factory):
    auth.login(admin_a.email)
    promotion = promotions.start(db.session, actor_for(admin_a), candidate.id)
    promotions.submit(db.session, actor_for(admin_a), promotion.id)
    url = f"/promotions/{promotion.id}"
    detail = client.get(url).get_data(as_text=True)
    assert 'name="mfa"' not in detail and "they have not set up two-step sign-in yet" in detail

    # an admin cannot tick it: a posted "mfa" value is ignored
    response = post_form(client, f"{url}/checks", {**ALL_GOOD, "version": fresh(promotion.id).version},
                         follow_redirects=True)
    text = html_lib.unescape(response.get_data(as_text=True))
    assert fresh(promotion.id).status == "pending_training" and fresh(promotion.id).mfa_enabled is False
    assert "the candidate has not set up two-step sign-in" in text
    note = fresh(promotion.id).notes[-1]
    assert note["checks_recorded"]["mfa"] is False

    factory.enrol(candidate)  # the candidate turns it on under Your account
    assert "record the checks again" in client.get(url).get_data(as_text=True)
    post_form(client, f"{url}/checks", {**ALL_GOOD, "version": fresh(promotion.id).version})
    assert fresh(promotion.id).status == "pending_approval" and fresh(promotion.id).mfa_enabled is True


def test_the_service_ignores_the_mfa_value_it_is_given(app, admin_a, candidate, factory):
    actor = actor_for(admin_a)
    promotion = promotions.start(db.session, actor, candidate.id)
    promotions.submit(db.session, actor, promotion.id)
    done = promotions.record_checks(db.session, actor, promotion.id, Checks("passed", "verified", True, True))
    assert done.status == "pending_training" and done.mfa_enabled is False
    factory.enrol(candidate)
    done = promotions.record_checks(db.session, actor, promotion.id, Checks("passed", "verified", True, False))
    assert done.status == "pending_approval" and done.mfa_enabled is True
