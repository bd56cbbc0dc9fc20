"""Browser: the BS date appears live next to a date input (from the server's conversion), in
English and after switching to Nepali; the public-holidays page at 390 px."""
from __future__ import annotations

import nepali_datetime
import pytest
from playwright.sync_api import expect

from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite


@pytest.fixture
def page(browser_page):
    return browser_page


def _sign_in(page, email, app):
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    if "/login/code" in page.url:  # admins sign in with a code from their app too
        page.fill("input[name=code]", fresh_code(app, email))
        page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("form[action=\"/logout\"]", state="attached")


def _library(iso: str) -> nepali_datetime.date:
    from datetime import date
    return nepali_datetime.date.from_datetime_date(date.fromisoformat(iso))


def test_bs_date_shows_live_next_to_a_date_input(app, factory, page, screenshot):
    _sign_in(page, factory.user("admin").email, app)
    page.goto("/schedules/overrides/new")
    page.fill("input[name=start_date]", "2026-12-07")
    expect(page.locator("#start_date-bs")).to_contain_text("2083")
    n = _library("2026-12-07")
    assert page.inner_text("#start_date-bs").endswith(f"{n.day} {n.strftime('%B')} {n.year}")
    page.fill("input[name=start_date]", "2026-04-14")  # 1 Baishakh 2083: a BS year boundary
    expect(page.locator("#start_date-bs")).to_contain_text("Baishakh")
    assert page.inner_text("#start_date-bs").endswith("1 Baishakh 2083")
    page.fill("input[name=start_date]", "2050-01-01")  # outside the library: nothing, no error
    expect(page.locator("#start_date-bs")).to_have_text("")
    screenshot(page, "override-form-en")

    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    page.fill("input[name=start_date]", "2026-12-07")
    expect(page.locator("#start_date-bs")).to_contain_text("२१ मंसिर")
    assert page.inner_text("#start_date-bs").endswith("२१ मंसिर २०८३")
    screenshot(page, "override-form-ne")


def test_holidays_page_on_a_phone(app, factory, page, screenshot):
    _sign_in(page, factory.user("admin").email, app)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/holidays/?year=2026")
    assert page.locator(".holiday-line").count() == 32
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(page, "holidays-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "holidays-1280")
