"""Pages for people, second pass (issue 25) in the browser: the password link can be
copied or shared, and typed values never push a phone's page sideways."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_two_step import (  # noqa: F401 (sqlite_only: the same autouse fixture)
    no_serious_accessibility_problem, no_sideways_scroll, password_step, sqlite_only,
)

pytestmark = pytest.mark.browser


def test_the_password_link_can_be_copied(factory, open_page, app):
    """Issue 25, point 14: the link could only be shown; now a Copy button puts it on the
    clipboard (and a Share… button opens the phone's share sheet where the browser has one)."""
    from tests.web import fresh_code

    admin = factory.user("admin", email="asha@example.test", name="Asha Admin")
    kiran = factory.user("customer", email="kiran@example.test", name="Kiran KC")
    page = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size({"width": 390, "height": 844})
    password_step(page, admin.email)
    page.get_by_label("Code from your authenticator app").fill(fresh_code(app, admin.email))
    page.get_by_role("button", name="Continue").click()
    page.goto(f"/people/{kiran.id}")
    page.get_by_role("button", name="Issue a password link").click()
    link = page.locator("#one-time-link").inner_text()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert page.locator("[data-share-open]").is_hidden() == (not page.evaluate("!!navigator.share"))
    no_serious_accessibility_problem(page)


def test_a_booking_with_a_long_email_fits_a_stylists_phone(factory, open_page):
    """Issue 25, point 15: the booking details page scrolled sideways on a phone when the
    customer's email or notes were one long word."""
    from datetime import datetime, timedelta, timezone

    stylist_user = factory.user("stylist", email="maya@example.test", name="Maya Gurung")
    stylist = factory.stylist(user=stylist_user, display_name="Maya Gurung")
    service = factory.service(name="Haircut", slug="haircut")
    soon = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=3)
    booking = factory.booking(stylist, service, soon, customer_name="Kiran KC",
                              customer_email="kiran.a.very.long.address.for.a.phone@example-salon-customers.test",
                              customer_notes="Allergic-to-ammonia-based-colour-please-use-the-organic-one")
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    password_step(page, stylist_user.email)
    page.goto(f"/bookings/{booking.id}")
    expect(page.locator("#customer-name")).to_have_text("Kiran KC")
    no_sideways_scroll(page)
