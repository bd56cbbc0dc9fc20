"""The promotion pages through the test client: list, filter, start, detail actions, forms."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ServiceManagementLog, StylistProfile, StylistPromotion
from portal.services.staffing import promotions
from tests.helpers import count
from tests.promotions.workflow import actor_for, details, ready_for_approval
from tests.web import post_form


@pytest.fixture
def as_admin(auth, admin_a):
    auth.login(admin_a.email)
    return admin_a


def page(response) -> str:
    return response.get_data(as_text=True)


def fresh(promotion_id) -> StylistPromotion:
    db.session.expire_all()
    return db.session.get(StylistPromotion, promotion_id)


def test_pages_are_admin_only(client, auth, make_user, admin_a, customer):
    promotion = promotions.start(db.session, actor_for(admin_a), customer.id)
    urls = ["/promotions/", "/promotions/start", f"/promotions/{promotion.id}",
            f"/promotions/{promotion.id}/approve", f"/promotions/{promotion.id}/reject",
            f"/promotions/{promotion.id}/revoke"]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous → sign in
    stylist = make_user("auditor")
    auth.login(stylist.email)
    for url in urls:
        assert client.get(url).status_code == 403
    assert post_form(client, f"/promotions/{promotion.id}/submit", {"version": "1"}).status_code == 403
    assert fresh(promotion.id).status == "draft"


def test_list_filters_and_counts(client, as_admin, make_user, customer):
    a = actor_for(as_admin)
    first = promotions.start(db.session, a, customer.id)
    promotions.submit(db.session, a, first.id)
    other = make_user("customer", name="Ram Other")
    promotions.start(db.session, a, other.id)
    third = make_user("customer", name="Hari Third")
    promotions.reject(db.session, a, promotions.start(db.session, a, third.id).id, "not now")

    html = page(client.get("/promotions/"))
    assert re.search(r'data-count="all">3<', html) and re.search(r'data-count="draft">1<', html)
    assert re.search(r'data-count="pending_checks">1<', html) and re.search(r'data-count="rejected">1<', html)
    assert re.search(r'data-count="approved">0<', html)
    assert "Sita Customer" in html and "Ram Other" in html and "Hari Third" in html

    html = page(client.get("/promotions/?status=pending_checks"))
    assert "Sita Customer" in html and "Ram Other" not in html and "Hari Third" not in html
    html = page(client.get("/promotions/?status=approved"))
    assert 'id="no-promotions"' in html
    response = client.get("/promotions/?status=bogus")
    assert response.status_code == 200 and "Unknown status" in page(response) and "Ram Other" in page(response)


def test_start_with_search_by_email_or_name(client, as_admin, factory, make_user, customer):
    factory.stylist(user=make_user("customer", name="Sita Already Stylist", email="sita.styl@example.test"))
    html = page(client.get("/promotions/start?q=SITA@example"))
    assert "Sita Customer" in html and "Start checks for Sita Customer" in html
    html = page(client.get("/promotions/start?q=sita"))
    assert "Sita Customer" in html and "Already a stylist" in html
    assert 'id="no-results"' in page(client.get("/promotions/start?q=nobody-here"))
    assert 'id="no-results"' in page(client.get("/promotions/start?q=%25"))  # LIKE wildcards are literal

    response = post_form(client, "/promotions/start?q=sita", {"user_id": str(customer.id)})
    promotion = db.session.scalars(select(StylistPromotion)).one()
    assert response.status_code == 302 and response.location.endswith(f"/promotions/{promotion.id}")
    assert promotion.requested_by == as_admin.id and promotion.status == "draft"

    response = post_form(client, "/promotions/start", {"user_id": str(customer.id)}, follow_redirects=True)
    assert "This user already has an open promotion." in page(response)
    assert "Checks already under way" in page(client.get("/promotions/start?q=sita"))
    response = post_form(client, "/promotions/start", {"user_id": "00000000-0000-0000-0000-000000000000"},
                         follow_redirects=True)
    assert response.status_code == 200 and "No such user." in page(response)
    response = post_form(client, "/promotions/start", {}, follow_redirects=True)
    assert "Choose a user to promote." in page(response)
    assert count(db.session, StylistPromotion) == 1


def test_detail_shows_user_checks_timeline_and_only_allowed_actions(client, as_admin, customer):
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id, note="<b>bold</b> claim")
    html = page(client.get(f"/promotions/{promotion.id}"))
    assert "sita@example.test" in html and 'data-check="background"' in html and 'data-check="mfa"' in html
    assert "&lt;b&gt;bold&lt;/b&gt; claim" in html and "<b>bold</b>" not in html
    assert "Submit for checks" in html and "Reject…" in html
    assert "Record checks" not in html and "Approve" not in html and "Revoke…" not in html
    assert client.get("/promotions/00000000-0000-0000-0000-000000000000").status_code == 404


def test_detail_actions_walk_the_workflow(client, as_admin, auth, admin_b, customer, services):
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id)
    url = f"/promotions/{promotion.id}"
    response = post_form(client, f"{url}/submit", {"version": fresh(promotion.id).version}, follow_redirects=True)
    assert "Submitted for checks." in page(response) and fresh(promotion.id).status == "pending_checks"

    data = {"background": "passed", "id_verification": "verified", "training": "y", "mfa": "y",
            "note": "All verified", "version": fresh(promotion.id).version}
    response = post_form(client, f"{url}/checks", data, follow_redirects=True)
    assert "Checks recorded. Status now: ready for approval." in page(response)
    html = page(response)
    assert "You started these checks: a second admin must approve them." in html and "Revoke…" not in html

    response = post_form(client, f"{url}/checks", {**data, "background": "nonsense",
                                                   "version": fresh(promotion.id).version})
    assert response.status_code == 400 and "Not a valid choice" in page(response)

    response = post_form(client, f"{url}/notes", {"note": "  ", "version": fresh(promotion.id).version})
    assert response.status_code == 400 and "Write a note." in page(response)
    response = post_form(client, f"{url}/notes", {"note": "Spoke to her", "version": fresh(promotion.id).version},
                         follow_redirects=True)
    assert "Note added." in page(response) and "Spoke to her" in page(response)
    assert [n["action"] for n in fresh(promotion.id).notes] == ["start", "submit", "record_check", "note"]

    # the requester is refused with a clear message, nothing changes
    response = post_form(client, f"{url}/approve", {"display_name": "Sita", "timezone": "Asia/Kathmandu",
                                                    "buffer_minutes": "15", "version": fresh(promotion.id).version})
    assert response.status_code == 409 and "A second admin must approve" in page(response)
    assert fresh(promotion.id).status == "pending_approval"


def test_stale_page_is_refused_and_shows_current_state(client, as_admin, admin_b, customer):
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id)
    seen = promotion.version
    promotions.submit(db.session, actor_for(admin_b), promotion.id)  # someone else, meanwhile
    response = post_form(client, f"/promotions/{promotion.id}/reject", {"reason": "no", "version": seen},
                         follow_redirects=True)
    html = page(response)
    assert "changed by someone else" in html and "It is now: waiting for checks." in html
    assert 'data-status="pending_checks"' in html and fresh(promotion.id).status == "pending_checks"


@pytest.fixture
def approver(client, auth, admin_a, admin_b, customer):
    promotion = ready_for_approval(db.session, admin_a, customer)
    auth.login(admin_b.email)
    return promotion


def test_approval_form_preselects_active_services(client, approver, factory, services):
    factory.service(name="Old service", slug="old", is_active=False)
    html = page(client.get(f"/promotions/{approver.id}/approve"))
    for service in services:
        # ticked checkboxes (no Ctrl-click multi-select)
        assert re.search(rf'<input checked[^>]*type="checkbox" value="{service.id}"', html), html
    assert "Old service" not in html and 'value="Sita Customer"' in html and '<option selected value="Asia/Kathmandu">' in html


@pytest.mark.parametrize("changes, message", [
    ({"display_name": ""}, "A display name is required."),
    ({"timezone": "Nowhere/City"}, "is not a time zone name"),
    ({"buffer_minutes": "500"}, "Enter 0 to 120 minutes."),
    ({"buffer_minutes": "abc"}, "Not a valid integer value."),
    ({"years_experience": "-1"}, "Enter a whole number from 0 to 80."),
    ({"services": "not-a-service"}, "is not a valid choice"),
])
def test_approval_form_errors_change_nothing(client, approver, services, changes, message):
    data = {"display_name": "Sita", "timezone": "Asia/Kathmandu", "buffer_minutes": "15",
            "services": [str(s.id) for s in services], "version": approver.version, **changes}
    response = post_form(client, f"/promotions/{approver.id}/approve", data)
    assert response.status_code == 400 and message in page(response)
    assert fresh(approver.id).status == "pending_approval"
    assert count(db.session, StylistProfile) == 0


def test_approval_through_the_form(client, approver, admin_b, services):
    data = {"display_name": "Sita Styles", "title": "Colourist", "specialties": "colour, bridal",
            "timezone": "Asia/Kathmandu", "buffer_minutes": "10", "years_experience": "3",
            "services": [str(services[1].id)], "version": approver.version}
    response = post_form(client, f"/promotions/{approver.id}/approve", data, follow_redirects=True)
    assert "Sita Styles is now a stylist." in page(response) and 'data-status="approved"' in page(response)
    profile = db.session.get(StylistProfile, approver.user_id)
    assert profile.display_name == "Sita Styles" and profile.specialties == ["colour", "bridal"]
    assert fresh(approver.id).approved_by == admin_b.id
    # a second click on the same (now outdated) form is STALE, with the current state shown
    response = post_form(client, f"/promotions/{approver.id}/approve", data, follow_redirects=True)
    assert "Only a promotion ready for approval can be approved; this one is: approved." in page(response)
    approvals = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "promotion_approved")).all()
    assert len(approvals) == 1


def test_reject_requires_a_reason(client, as_admin, customer):
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id)
    url = f"/promotions/{promotion.id}/reject"
    assert "Reject the promotion of Sita Customer" in page(client.get(url))
    response = post_form(client, url, {"reason": "   ", "version": promotion.version})
    assert response.status_code == 400 and "A reason is required." in page(response)
    assert fresh(promotion.id).status == "draft"
    response = post_form(client, url, {"reason": "Incomplete papers", "version": promotion.version},
                         follow_redirects=True)
    assert "Promotion rejected." in page(response) and "Incomplete papers" in page(response)
    assert fresh(promotion.id).status == "rejected"
    response = client.get(url, follow_redirects=True)
    assert "cannot be rejected now" in page(response)


def test_revoke_lists_upcoming_bookings_and_requires_a_reason(client, auth, factory, admin_a, admin_b, customer,
                                                               services):
    promotion = ready_for_approval(db.session, admin_a, customer)
    promotions.approve(db.session, actor_for(admin_b), promotion.id, details(services))
    profile = db.session.get(StylistProfile, customer.id)
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)
    factory.booking(profile, services[0], soon, customer_name="Gita")
    factory.booking(profile, services[1], soon + timedelta(days=1))
    factory.booking(profile, services[0], soon - timedelta(days=10))  # past
    factory.booking(profile, services[0], soon + timedelta(days=3), status="cancelled")
    auth.login(admin_a.email)
    url = f"/promotions/{promotion.id}/revoke"
    html = page(client.get(url))
    assert "Upcoming bookings (2)" in html and "Manicure" in html and html.count('<td data-label="Status">Confirmed</td>') == 2
    response = post_form(client, url, {"reason": "", "version": fresh(promotion.id).version})
    assert response.status_code == 400 and "A reason is required." in page(response)
    assert db.session.get(StylistProfile, customer.id).is_active
    response = post_form(client, url, {"reason": "Many complaints", "version": fresh(promotion.id).version},
                         follow_redirects=True)
    assert "Stylist revoked" in page(response) and 'data-status="revoked"' in page(response)
    db.session.expire_all()
    assert not db.session.get(StylistProfile, customer.id).is_active


def test_checks_cannot_be_recorded_on_a_draft(client, as_admin, customer):
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id)
    data = {"background": "passed", "id_verification": "verified", "version": promotion.version}
    response = post_form(client, f"/promotions/{promotion.id}/checks", data, follow_redirects=True)
    assert response.status_code == 200 and "Cannot record check a promotion that is draft." in page(response)
    assert fresh(promotion.id).background_check_status == "pending"


def test_saving_unchanged_checks_adds_no_timeline_entry(client, as_admin, customer):
    """Issue 25, point 12: pressing "Record checks" again with nothing changed used to add
    a timeline entry and a log row each time."""
    promotion = promotions.start(db.session, actor_for(as_admin), customer.id)
    url = f"/promotions/{promotion.id}"
    post_form(client, f"{url}/submit", {"version": fresh(promotion.id).version})
    data = {"background": "passed", "id_verification": "pending", "version": fresh(promotion.id).version}
    assert "Checks recorded." in page(post_form(client, f"{url}/checks", data, follow_redirects=True))
    rows = count(db.session, ServiceManagementLog)
    again = post_form(client, f"{url}/checks", {**data, "version": fresh(promotion.id).version},
                      follow_redirects=True)
    assert "Nothing was saved: the checks are as they were." in page(again)
    assert [n["action"] for n in fresh(promotion.id).notes] == ["start", "submit", "record_check"]
    assert count(db.session, ServiceManagementLog) == rows
    noted = post_form(client, f"{url}/checks", {**data, "note": "Called the referee",
                                                "version": fresh(promotion.id).version}, follow_redirects=True)
    assert "Checks recorded." in page(noted)  # the same checks with a note: the note is worth keeping
