"""Browser, at 390 px and 1280 px, English and Nepali (issue 25, points 3, 6 and 12): a Tihar
closure over 33 bookings. The day board's link opens the list filtered to that stylist and
day; the ticked bookings' actions stay on screen while the list scrolls; after each action
the page comes back to the same filters and the row near the one acted on, not the top; a
kept booking shows as kept on the day board. Nothing scrolls sideways, axe finds nothing
serious."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.bookings.helpers import at, salon
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_bookings_followup import _sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture
def open_at(page_at, engine_name):
    if engine_name != "sqlite":
        pytest.skip("the browser flow runs once, on the SQLite file database (the services are tested on both)")
    return page_at


def _checked(page, viewport):
    """Nothing scrolls sideways at this width, and axe finds no serious or critical problem."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide at {viewport['width']}px"
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], (page.url, bad)


def _tihar(factory):
    """33 bookings on two closed days: Anjali 11 and Bina 11 on the first, 11 on the second."""
    s = salon(factory, days_ahead=2)
    second = s.day + timedelta(days=1)
    made = []
    for day, stylists in ((s.day, (s.stylist, s.other)), (second, (s.stylist,))):
        for stylist in stylists:
            for i in range(11):
                start = at(day, 9 + (i * 45) // 60, (i * 45) % 60)
                made.append(factory.booking(stylist, s.cut, start, minutes=40, customer_name=f"Customer {len(made) + 1}",
                                            customer_phone=f"98410{len(made) + 1:05d}"))
        factory.override(None, day, closed=True, override_type="business_closure", priority=100,
                         reason="Tihar closure")
    return s, made


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1280"])
def test_a_big_closure_is_followed_up_without_losing_the_place(app, factory, open_at, screenshot, viewport):
    s, made = _tihar(factory)
    page = open_at(viewport)
    _sign_in(page, s.admin.email, app)
    page.goto(f"/bookings/day?date={s.day.isoformat()}")
    screenshot(page, "day-board")
    _checked(page, viewport)
    assert "Nobody takes new bookings on this day" in page.inner_text("#nobody-works")

    # the day board's link: only Anjali's bookings of that day
    page.locator('#not-working li[data-stylist="Anjali"] [data-followup-link]').click()
    page.wait_for_url(f"**/bookings/follow-up?stylist={s.stylist.user_id}&date={s.day.isoformat()}")
    assert page.locator("#followup > li").count() == 11
    assert page.locator("#filter-stylist").input_value() == str(s.stylist.user_id)
    screenshot(page, "filtered")
    _checked(page, viewport)

    # the whole list is paged; the selection's actions stay on screen while it scrolls
    page.goto("/bookings/follow-up")
    assert page.locator("#followup > li").count() == 20 and page.locator("#followup-pages").is_visible()
    rows = page.locator("#followup > li")
    rows.nth(14).scroll_into_view_if_needed()
    bar = page.locator("#bulk-bar").bounding_box()
    assert bar["y"] + bar["height"] <= viewport["height"] + 1 and bar["y"] >= 0  # in view, not at the page's end
    screenshot(page, "scrolled")
    screenshot(page, "scrolled-viewport", full_page=False)  # what the person sees

    # tick two rows far down the page and cancel them: back at the row after them
    ids = [rows.nth(i).get_attribute("data-booking") for i in (14, 15, 16)]
    for booking_id in ids[:2]:
        page.check(f'li[data-booking="{booking_id}"] input[name=booking_ids]')
    page.fill("#bulk-reason", "Salon closed for Tihar")
    page.locator("#bulk-bar button", has_text="Cancel the ticked bookings").click()
    page.wait_for_selector("#confirm-cancel")
    assert "stay closed to new bookings" in page.inner_text("main")
    _checked(page, viewport)
    screenshot(page, "confirm")
    page.click("#confirm-cancel")
    page.wait_for_url(f"**/bookings/follow-up#booking-{ids[2]}")
    flash = page.inner_text(".alert-success")
    assert "Cancelled 2 bookings" in flash and "free to book again" not in flash
    # not thrown back to the top (Bootstrap scrolls to the anchor smoothly: wait for the scroll to end)
    page.wait_for_function("() => window.scrollY > 300")
    assert page.locator(f"#booking-{ids[2]}").is_visible()
    assert page.locator("#bar-outcome").is_visible() and "Cancelled 2 bookings" in page.inner_text("#bar-outcome")
    screenshot(page, "after-cancel-viewport", full_page=False)

    # keep one: it leaves the list; the day board shows it as kept, with no follow-up button
    kept = page.locator(f"#booking-{ids[2]}")
    kept.locator("summary").click()
    kept.get_by_role("button", name="Keep it").click()
    page.wait_for_selector(".alert-success")
    assert page.locator(f"#booking-{ids[2]}").count() == 0 and "#booking-" in page.url
    page.goto(f"/bookings/day?date={s.day.isoformat()}")
    assert page.locator(f'[data-booking="{ids[2]}"] [data-kept]').count() == 1
    assert page.locator(f'[data-booking="{ids[2]}"] [data-outside-hours]').count() == 0
    screenshot(page, "day-board-kept")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["390", "1280"])
def test_the_follow_up_list_in_nepali(app, factory, open_at, screenshot, viewport):
    s, made = _tihar(factory)
    page = open_at(viewport)
    _sign_in(page, s.admin.email, app)
    page.goto(f"/bookings/follow-up?stylist={s.other.user_id}")
    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    assert page.locator("#followup > li").count() == 11
    assert "सबै देखाउनुहोस्" in page.inner_text("#filters")
    _checked(page, viewport)
    screenshot(page, "filtered-ne")
    page.goto(f"/bookings/follow-up?stylist={s.other.user_id}&date=2026-02-30")
    assert page.locator("#filters .invalid-feedback").count() == 1
    screenshot(page, "bad-date-ne")
    page.goto("/")
    assert page.locator("#followup-groups a").count() == 3
    _checked(page, viewport)
    screenshot(page, "home-ne")
