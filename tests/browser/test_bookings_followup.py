"""Browser, at 390 px: an admin opens the day board, follows a closure's bookings to the
follow-up list, marks one contacted, bulk-cancels two; the stylist's home shows it.
No page scrolls sideways."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.bookings.helpers import at, salon
from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def phone_page(page_at):
    return lambda: page_at(PHONE)


def _no_sideways_scroll(page):
    """ui.md at 390 px: nothing scrolls sideways, and axe finds no serious or critical problem."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at 390px"
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], (page.url, bad)


def _sign_in(page, email, app):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/login/code" in page.url:  # two-step sign-in (admins): the code the person's app shows
        page.get_by_label("Code from your authenticator app").fill(fresh_code(app, email))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_admin_follows_a_closure_on_a_phone(app, factory, phone_page, screenshot):
    s = salon(factory, days_ahead=2)
    bookings = [factory.booking(s.stylist, s.cut, at(s.day, h), customer_name=name, customer_phone=phone)
                for h, name, phone in ((10, "Sarita Adhikari", "9841000001"), (12, "Manish Khadka", "9841000002"),
                                       (15, "Puja Basnet", "9841000003"))]
    factory.override(None, s.day, closed=True, override_type="business_closure", priority=100,
                     reason="Dashain closure")
    admin = phone_page()
    _sign_in(admin, s.admin.email, app)
    admin.goto(f"/bookings/day?date={s.day.isoformat()}")
    screenshot(admin, "day-board")
    _no_sideways_scroll(admin)
    assert "Dashain closure" in admin.inner_text("#not-working")
    admin.locator("#not-working").get_by_text("Follow up these bookings").first.click()
    admin.wait_for_url(f"**/bookings/follow-up?stylist={s.stylist.user_id}&date={s.day.isoformat()}")
    screenshot(admin, "follow-up")
    _no_sideways_scroll(admin)
    assert admin.locator("#followup > li").count() == 3
    first = admin.locator(f'li[data-booking="{bookings[0].id}"]')
    first.locator("summary").click()
    first.locator("textarea[name=note]").fill("Moving to next week")
    first.locator("text=Mark contacted").click()
    admin.wait_for_selector(".alert-success")
    assert "Moving to next week" in admin.inner_text(f'li[data-booking="{bookings[0].id}"]')

    for b in bookings[1:]:
        admin.check(f'li[data-booking="{b.id}"] input[name=booking_ids]')
    admin.fill("#bulk-reason", "Salon closed for Dashain")
    admin.click("button[form=bulk-cancel]")
    admin.wait_for_selector("#confirm-cancel")
    screenshot(admin, "confirm")
    _no_sideways_scroll(admin)
    assert admin.locator("#to-cancel li").count() == 2
    admin.click("#confirm-cancel")
    admin.wait_for_selector(".alert-success")
    assert "Cancelled 2 bookings" in admin.inner_text(".alert-success")
    assert admin.locator("#followup > li").count() == 1
    screenshot(admin, "after-cancel")

    stylist = phone_page()
    _sign_in(stylist, s.stylist.user.email, app)
    stylist.goto("/")
    screenshot(stylist, "stylist-home")
    _no_sideways_scroll(stylist)
    day = stylist.locator(f'#agenda [data-day="{s.day.isoformat()}"]')
    assert day.locator("text=Cancelled").count() == 2
    assert day.locator("[data-outside-hours]").count() == 1  # Sarita's, still to be moved
    for url in (f"/bookings/{bookings[0].id}", f"/bookings/why?service={s.cut.id}&date={s.day.isoformat()}"):
        stylist.goto(url)
        _no_sideways_scroll(stylist)
    screenshot(stylist, "why")
