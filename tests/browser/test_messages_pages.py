"""Browser: the customer's link page at 390 px in Nepali and English, and the admins'
messages page and template editor (live preview); no sideways scroll, axe clean."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from portal.actor import Actor
from portal.extensions import db
from portal.models import Booking
from portal.services.appointments.followup import cancel_bookings
from portal.services.messaging import message_delivery
from portal.services.messaging.link_tokens import mint_link
from tests.bookings.helpers import at, salon
from tests.browser.test_bookings_followup import PHONE, _no_sideways_scroll, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
WIDE = {"width": 1280, "height": 900}


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second", "QUIET_HOURS": "off", "SALON_PHONE": "01-4412345"}


@pytest.fixture
def pages(page_at):
    return lambda viewport=PHONE: page_at(viewport)


def _token(app, booking) -> str:
    with app.app_context():
        row = db.session.get(Booking, booking.id)
        token = mint_link(db.session, row, "change_notice", None, datetime.now(timezone.utc))
        db.session.commit()
    return token


def test_the_customers_link_on_a_phone_in_nepali_and_english(app, factory, pages, screenshot):
    s = salon(factory)
    booking = factory.booking(s.stylist, s.cut, at(s.day, 10), customer_name="Sita Rai", customer_phone="9841000040")
    page = pages()
    page.goto(f"/b/{_token(app, booking)}")
    assert page.locator("html").get_attribute("lang") == "ne"
    assert page.get_by_role("heading", name="तपाईंको बुकिङ").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "link-ne")
    page.get_by_role("button", name="यो बुकिङ राख्नुहोस्").click()
    page.wait_for_url(lambda url: "done=kept" in url)
    assert page.locator("#done").is_visible()
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Your booking").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "link-en")
    page.get_by_role("link", name="Any stylist").click()
    assert page.locator("#times button").count() > 0
    _no_sideways_scroll(page)
    screenshot(page, "link-en-any-stylist")


def test_the_messages_page_and_the_template_editor(app, factory, pages, screenshot):
    s = salon(factory)
    bookings = [factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=f"C {h}",
                                customer_phone=f"98410000{h:02d}") for h in (10, 11)]
    with app.app_context():
        cancel_bookings(db.session, Actor(s.admin.id, "admin"), [b.id for b in bookings], "closed")
        message_delivery.deliver_due(db.session)
    for viewport in (PHONE, WIDE):
        page = pages(viewport)
        _sign_in(page, s.admin.email, app)
        page.goto("/messages/")
        assert page.locator("[data-message]").count() == 2
        if viewport == PHONE:
            _no_sideways_scroll(page)
        screenshot(page, f"messages-{viewport['width']}")
        page.goto("/messages/templates/reminder/ne")
        page.locator("textarea[name=body]").fill("नमस्ते {first_name}, भोलि {time} मा। {link}")
        expect(page.locator("#preview-text")).to_contain_text("नमस्ते सीता")
        expect(page.locator("#preview-size")).to_contain_text("2 SMS (UCS-2)")  # Devanagari + a link: 70/67
        if viewport == PHONE:
            _no_sideways_scroll(page)
        screenshot(page, f"template-{viewport['width']}")
