"""In chromium: an admin who has no second factor is taken to enrolment, reads the text
secret, turns two-step sign-in on with a code computed by pyotp, signs out, signs in
with password and code; the same code again is refused. The new pages are looked at
at 390 px (no sideways scrolling) with a screenshot each."""
from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.web import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite


@pytest.fixture(autouse=True)
def sqlite_only(engine_name):  # also used by test_pages_second_pass.py; the marker skips before any setup
    if engine_name != "sqlite":
        pytest.skip("the browser flow runs on the file SQLite database only (time budget)")


def password_step(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), page.url


def no_serious_accessibility_problem(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], (page.url, bad)


def test_admin_enrols_signs_in_with_a_code_and_a_replay_fails(factory, open_page, screenshot):
    factory.user("admin", email="nima@example.test", name="Nima Admin", mfa=False)
    page = open_page()
    password_step(page, "nima@example.test")
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    page.goto("/people/")  # any other page takes an unenrolled admin back to enrolment
    expect(page.get_by_role("heading", name="Set up two-step sign-in")).to_be_visible()
    no_serious_accessibility_problem(page)
    screenshot(page, "enrol")

    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    enrolled_at = time.time()
    page.get_by_label("6-digit code from your app").fill(totp.at(enrolled_at))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    screenshot(page, "recovery-codes")
    page.get_by_role("link", name="I have kept them").click()
    page.get_by_role("button", name="Sign out").click()

    # the next code of the app (the enrolment's step is used up)
    code = totp.at(enrolled_at + 30)
    password_step(page, "nima@example.test")
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    screenshot(page, "code-step")
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Namaste")
    page.get_by_role("button", name="Sign out").click()

    password_step(page, "nima@example.test")
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code was already used")).to_be_visible()
    assert "/login/code" in page.url
    screenshot(page, "replay-refused")


def test_the_new_pages_fit_a_phone(factory, open_page, screenshot, app):
    from tests.web import fresh_code

    admin = factory.user("admin", email="asha@example.test", name="Asha Admin")
    kiran = factory.user("customer", email="kiran.a.very.long.address@example.test", name="Kiran KC")
    service = factory.service(name="Keratin treatment with a long name", slug="keratin")
    stylist = factory.stylist(display_name="Maya Gurung")
    factory.offer(stylist, service)
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    password_step(page, admin.email)
    page.get_by_label("Code from your authenticator app").fill(fresh_code(app, admin.email))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Namaste")
    pages = {
        "people": "/people/", "person": f"/people/{kiran.id}", "new-account": "/people/new",
        "deactivate": f"/people/{kiran.id}/deactivate", "catalogue": "/catalogue/",
        "service": f"/catalogue/services/{service.id}", "new-service": "/catalogue/services/new",
        "stylist": f"/catalogue/stylists/{stylist.user_id}", "account": "/account",
        "password": "/account/password",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(page)
        no_serious_accessibility_problem(page)
        screenshot(page, name)
    page.goto(f"/people/{kiran.id}")
    page.get_by_role("button", name="Issue a password link").click()
    expect(page.locator("#one-time-link")).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "password-link")

