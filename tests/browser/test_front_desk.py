"""Browser, at 390 px: the desk takes a walk-in and a phone booking from the day board,
marks arrival and completion, and moves a booking; axe finds nothing serious; the same
pages in Nepali. The clock is set to 10:05 AM on the day (portal.clock.now), so the walk-in's
next start exists whatever the real hour."""
from __future__ import annotations

import re
from datetime import timedelta, timezone

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import text

from tests.bookings.helpers import at, salon, today_ktm
from tests.browser.test_bookings_followup import PHONE, _no_sideways_scroll, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
DAY = today_ktm() + timedelta(days=1)
NOW = at(DAY, 10, 5)


@pytest.fixture
def app_config(database_url):
    return {"SLOTS_RATE_LIMIT": "100000 per second"}


@pytest.fixture(autouse=True)
def clock_at_now(clock):
    clock.at = NOW


@pytest.fixture
def phone_page(page_at):
    return lambda width=PHONE["width"]: page_at({**PHONE, "width": width})


def _status(raw, source):
    return raw.execute(text("SELECT status FROM bookings WHERE source = :s"), {"s": source}).scalar()


def test_desk_day_on_a_phone(app, factory, raw, phone_page, screenshot):
    s = salon(factory, days_ahead=1)
    factory.booking(s.stylist, s.cut, at(DAY, 14), customer_name="Puja Basnet", customer_phone="9851111111")
    page = phone_page()
    _sign_in(page, s.admin.email, app)
    board = f"/bookings/day?date={DAY.isoformat()}"
    page.goto(board)
    assert page.locator(".board-col:visible").count() == 1  # one stylist at a time, with a switcher
    _no_sideways_scroll(page)
    screenshot(page, "board")

    # a walk-in: the next start on the grid is chosen already
    page.get_by_role("link", name="Walk-in").click()
    page.get_by_role("textbox", name="Phone").fill("984-1234567")
    page.get_by_label("Name", exact=True).fill("Sita Rai")
    page.get_by_label("Stylist").select_option(label="Anjali")
    page.get_by_role("button", name="Show free times").click()
    assert page.locator("#free-times input:checked").count() == 1
    _no_sideways_scroll(page)
    screenshot(page, "walk-in")
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url("**/bookings/day**")
    assert _status(raw, "walk_in") == "confirmed"

    # a phone booking with Bina
    page.get_by_role("link", name="Take a booking").click()
    page.get_by_role("textbox", name="Phone").fill("+977 980 0000001")
    page.get_by_label("Name", exact=True).fill("Ram Thapa")
    page.get_by_label("Stylist").select_option(label="Bina")
    page.get_by_role("button", name="Show free times").click()
    page.get_by_label(re.compile(r"^3:00 PM")).check()
    screenshot(page, "phone-booking")
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url("**/bookings/day**")
    assert _status(raw, "phone") == "confirmed"

    # arrival and completion of the walk-in (Anjali's column)
    page.goto(board + f"&stylist={s.stylist.user_id}")
    walk_in = raw.execute(text("SELECT id FROM bookings WHERE source = 'walk_in'")).scalar()
    row = page.locator(f'[data-booking="{walk_in}"]')
    row.locator('[data-step="arrived"]').click()
    page.wait_for_load_state()
    assert _status(raw, "walk_in") == "in_progress"
    page.locator(f'[data-booking="{walk_in}"] [data-step="done"]').click()
    page.wait_for_load_state()
    assert _status(raw, "walk_in") == "completed"
    assert page.locator(f'[data-booking="{walk_in}"] [data-undo]').count() == 1
    _no_sideways_scroll(page)
    screenshot(page, "board-after")

    # move Puja's booking to 4:00 PM
    puja = raw.execute(text("SELECT id FROM bookings WHERE customer_name = 'Puja Basnet'")).scalar()
    page.goto(f"/bookings/{puja}")
    page.get_by_role("link", name="Move to another time…").click()
    page.get_by_label(re.compile(r"^4:00 PM")).check()
    _no_sideways_scroll(page)
    screenshot(page, "move")
    page.get_by_role("button", name="Move here").click()
    screenshot(page, "moved")
    page.wait_for_url("**/bookings/day**")
    start = raw.execute(text("SELECT start_time FROM bookings WHERE id = :i"), {"i": str(puja)}).scalar()
    assert str(start).startswith(at(DAY, 16).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M"))

    # the customers page and a customer's page
    page.goto("/desk/customers")
    _no_sideways_scroll(page)
    screenshot(page, "customers")
    page.locator("#customers a", has_text="Sita Rai").click()
    _no_sideways_scroll(page)
    screenshot(page, "customer")

    # Nepali
    page.goto(board)
    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    _no_sideways_scroll(page)
    screenshot(page, "board-ne")
    page.goto(f"/desk/book?date={DAY.isoformat()}&service={s.cut.id}&phone=9841234567")
    _no_sideways_scroll(page)
    screenshot(page, "book-ne")


def test_desk_board_on_a_desktop(app, factory, phone_page, screenshot):
    s = salon(factory, days_ahead=1)
    factory.booking(s.stylist, s.cut, at(DAY, 14), customer_name="Puja Basnet", customer_phone="9851111111")
    page = phone_page(width=1280)
    _sign_in(page, s.admin.email, app)
    page.goto(f"/bookings/day?date={DAY.isoformat()}")
    assert page.locator(".board-col:visible").count() == 2  # every stylist side by side
    results = Axe().run(page)
    assert [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    screenshot(page, "board-desktop")
    page.goto(f"/desk/book?date={DAY.isoformat()}&service={s.cut.id}")
    screenshot(page, "book-desktop")
