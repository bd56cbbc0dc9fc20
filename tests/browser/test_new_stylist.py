"""A salon with one admin adds a stylist (issue 25, point 1), in chromium at 390 px and
1280 px, in English and Nepali: People → New stylist starts the vetted checks for a new
person, and the people page, the form and the waiting promotion say plainly what the salon
can do about the missing second admin. Screenshots of each page at both widths."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import StylistPromotion, UserProfile
from tests.web import PASSWORD, fresh_code

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
WORDS = {
    "en": {"new": "New stylist", "name": "Name", "email": "Email", "start": "Start the new stylist's checks",
           "lone": "This salon has one admin, and a new stylist needs a second admin to approve them."},
    "ne": {"new": "नयाँ स्टाइलिस्ट", "name": "नाम", "email": "इमेल", "start": "नयाँ स्टाइलिस्टको जाँच सुरु गर्नुहोस्",
           "lone": "यो सैलुनमा एउटा मात्र एडमिन छ, र नयाँ स्टाइलिस्टलाई स्वीकृत गर्न अर्को एडमिन चाहिन्छ।"},
}


@pytest.fixture(autouse=True)
def sqlite_only(engine_name):
    if engine_name != "sqlite":
        pytest.skip("the browser flow runs on the file SQLite database only (time budget)")


def look(page, screenshot, name: str) -> None:
    """Both widths: nothing scrolls sideways at 390 px; a screenshot of each."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390:
            assert page.evaluate(OVERFLOW) <= 0, name
        screenshot(page, f"{name}-{width}")


@pytest.mark.parametrize("language", ["en", "ne"])
def test_one_admin_adds_a_stylist_and_is_told_what_to_do(app, factory, open_page, screenshot, language):
    words = WORDS[language]
    factory.user("admin", email="asha@example.test", name="Asha Admin")
    page = open_page()
    page.goto("/login")
    if language == "ne":
        page.click("form.language-switch button")  # kept in a cookie
        page.wait_for_selector("html[lang=ne]")
    page.fill("input[name=email]", "asha@example.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.fill("input[name=code]", fresh_code(app, "asha@example.test"))
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("form[action='/logout']", state="attached")

    page.goto("/people/")
    expect(page.locator("#lone-admin")).to_contain_text(words["lone"])
    expect(page.locator("#lone-admin")).to_contain_text("flask create-user EMAIL --name \"NAME\" --role admin")
    look(page, screenshot, f"people-{language}")
    page.get_by_role("link", name=words["new"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["new"])
    look(page, screenshot, f"new-stylist-{language}")
    page.get_by_label(words["name"], exact=True).fill("Maya Gurung")
    page.get_by_label(words["email"], exact=True).fill("maya@example.test")
    page.get_by_role("button", name=words["start"]).click()
    expect(page.locator("#promotion-status [data-status]")).to_have_attribute("data-status", "draft")
    expect(page.locator("#lone-admin")).to_contain_text(words["lone"])
    look(page, screenshot, f"promotion-{language}")

    with app.app_context():
        maya = db.session.scalars(select(UserProfile).where(UserProfile.email == "maya@example.test")).one()
        assert db.session.scalar(select(StylistPromotion.status).where(StylistPromotion.user_id == maya.id)) == "draft"
