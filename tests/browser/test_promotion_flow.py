"""End to end in chromium: admin A starts a promotion and records the checks, admin B
approves it, the new stylist signs in and sees their pages. A screenshot per page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import StylistProfile, StylistPromotion, StylistService, UserProfile
from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite



def sign_in(page, email: str, screenshot, app) -> None:
    page.goto("/login")
    screenshot(page, f"login-{email.split('@')[0]}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if "/login/code" in page.url:  # two-step sign-in: the code the person's app shows
        page.get_by_label("Code from your authenticator app").fill(fresh_code(app, email))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Namaste")
    screenshot(page, f"dashboard-{email.split('@')[0]}")


def status_of(page):
    return page.locator("#promotion-status [data-status]")


def test_admin_a_starts_admin_b_approves_stylist_signs_in(app, factory, open_page, screenshot):
    factory.user("admin", email="asha@example.test", name="Admin Asha")
    factory.user("admin", email="bikash@example.test", name="Admin Bikash")
    # Maya has set up two-step sign-in herself: the promotion's MFA check reads it
    maya = factory.user("customer", email="maya@example.test", name="Maya Gurung", mfa=True)
    haircut = factory.service(name="Haircut", slug="haircut")
    facial = factory.service(name="Facial", slug="facial", category="spa")
    factory.service(name="Retired service", slug="retired", is_active=False)

    # --- admin A: start, submit, record the checks ---------------------------------
    a = open_page()
    sign_in(a, "asha@example.test", screenshot, app)
    a.get_by_role("button", name="Salon setup").click()  # the menu groups the pages that set the salon up
    a.get_by_role("link", name="New stylists").click()
    expect(a.get_by_role("heading", name="New stylists")).to_be_visible()
    screenshot(a, "promotions-empty")
    a.get_by_role("link", name="New stylist", exact=True).click()
    a.get_by_role("link", name="Or find someone by name").click()
    a.get_by_label("Email or name").fill("gurung")
    a.get_by_role("button", name="Search").click()
    screenshot(a, "start-search")
    a.get_by_role("button", name="Start checks for Maya Gurung").click()
    expect(status_of(a)).to_have_attribute("data-status", "draft")
    screenshot(a, "detail-draft")
    a.get_by_role("button", name="Submit for checks").click()
    expect(status_of(a)).to_have_attribute("data-status", "pending_checks")
    a.get_by_label("Background check").select_option("passed")
    a.get_by_label("ID verification").select_option("verified")
    a.get_by_label("Training completed").check()
    expect(a.locator("#mfa-from-enrolment")).to_contain_text("two-step sign-in is set up")
    a.get_by_label("Note (optional)").fill("Interviewed in person; references checked.")
    a.get_by_role("button", name="Record checks").click()
    expect(status_of(a)).to_have_attribute("data-status", "pending_approval")
    expect(a.get_by_text("You started these checks: a second admin must approve them.")).to_be_visible()
    expect(a.locator("#timeline")).to_contain_text("references checked")
    screenshot(a, "detail-pending-approval-requester")

    # --- admin B: find it in the filtered list, approve -----------------------------------
    b = open_page()
    sign_in(b, "bikash@example.test", screenshot, app)
    b.goto("/promotions/")
    b.get_by_role("link", name=re.compile(r"^Ready for approval")).click()
    expect(b.locator("[data-count=pending_approval]")).to_have_text("1")
    screenshot(b, "promotions-pending-approval")
    b.get_by_role("link", name="Open Maya Gurung").click()
    b.get_by_role("link", name="Approve…").click()
    expect(b.get_by_label("Display name")).to_have_value("Maya Gurung")
    services = b.get_by_role("group", name="Services to offer")  # checkboxes, not Ctrl-click
    expect(services.get_by_role("checkbox", name="Haircut (60 min)")).to_be_checked()
    expect(services.get_by_role("checkbox", name=re.compile("^Facial"))).to_be_checked()
    expect(services).not_to_contain_text("Retired service")
    screenshot(b, "approve-form")
    b.get_by_label("Display name").fill("")
    b.get_by_role("button", name="Approve and make stylist").click()
    expect(b.get_by_text("A display name is required.")).to_be_visible()
    screenshot(b, "approve-form-error")
    b.get_by_label("Display name").fill("Maya G.")
    b.get_by_label("Title").fill("Hair artist")
    b.get_by_label("Specialties").fill("balayage, bridal")
    services.get_by_role("checkbox", name=re.compile("^Facial")).uncheck()
    b.get_by_role("button", name="Approve and make stylist").click()
    expect(status_of(b)).to_have_attribute("data-status", "approved")
    expect(b.get_by_text("Maya G. is now a stylist.")).to_be_visible()
    screenshot(b, "detail-approved")

    # --- the new stylist signs in and sees their pages -------------------------------------
    m = open_page()
    sign_in(m, "maya@example.test", screenshot, app)
    expect(m.get_by_role("link", name="My availability").first).to_be_visible()
    expect(m.get_by_role("link", name="New stylists")).to_have_count(0)
    m.get_by_role("link", name="My availability").first.click()
    expect(m.get_by_role("heading", name="My availability")).to_be_visible()
    screenshot(m, "stylist-my-availability")
    response = m.goto("/promotions/")
    assert response.status == 403
    screenshot(m, "stylist-promotions-forbidden")

    db.session.expire_all()
    profile = db.session.get(StylistProfile, maya.id)
    assert profile.is_active and profile.display_name == "Maya G." and profile.specialties == ["balayage", "bridal"]
    assert "stylist" in db.session.get(UserProfile, maya.id).role_names
    offered = db.session.scalars(select(StylistService.service_id).where(StylistService.is_available)).all()
    assert offered == [haircut.id] and facial.id not in offered
    promotion = db.session.scalars(select(StylistPromotion)).one()
    assert [n["action"] for n in promotion.notes] == ["start", "submit", "record_check", "approve"]
