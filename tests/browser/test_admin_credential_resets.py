"""In chromium: Sita proposes a password link and a two-step reset for admin Kiran (no
link is shown to her); Bikash confirms the link on the people list and is shown it. The
pages are looked at in English and Nepali at 1280 and 390 px (no sideways scrolling)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite


def sign_in(app, page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(fresh_code(app, email))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def look(page, screenshot, name):
    """English and Nepali, wide and narrow; back to English at 1280 px."""
    for language in ("en", "ne"):
        if language == "ne":
            page.click("form.language-switch button")
            page.wait_for_selector("html[lang=ne]")
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
            screenshot(page, f"{name}-{language}-{width}")
    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=en]")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_password_link_for_an_admin_is_proposed_and_confirmed(app, factory, open_page, screenshot):
    sita = factory.user("admin", name="Sita Admin")
    bikash = factory.user("admin", name="Bikash Admin")
    kiran = factory.user("admin", name="Kiran Admin")
    page = open_page()
    sign_in(app, page, sita.email)
    page.goto(f"/people/{kiran.id}")
    expect(page.get_by_role("button", name="Issue a password link", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Propose: issue a password link").click()
    expect(page.locator(".alert").first).to_contain_text("must confirm it within 72 hours")
    page.get_by_role("button", name="Propose: reset two-step sign-in").click()
    expect(page.get_by_text("You proposed it: a different admin must confirm.")).to_have_count(2)
    expect(page.locator("#one-time-link")).to_have_count(0)
    look(page, screenshot, "proposed")

    other = open_page()
    sign_in(app, other, bikash.email)
    other.goto("/people/")
    look(other, screenshot, "waiting")
    other.get_by_role("button", name="Confirm: issue a password link for Kiran Admin").click()
    expect(other.locator("#one-time-link")).to_contain_text("/password/")
    screenshot(other, "link-shown")
