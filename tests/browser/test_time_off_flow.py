"""Browser: a stylist asks for time off on a 390-px phone, an admin approves it on a
desktop, the stylist sees the decision on their home page — in English and in Nepali,
every page axe-clean and without sideways scrolling at 390 px. Screenshots of each page
at 390 and 1280 px go to tests/artifacts/screenshots/<test>/."""
from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from portal.extensions import db
from portal.models import ScheduleOverride, TimeOffRequest
from tests.bookings.helpers import NO_LIMIT, at, salon, today_ktm
from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WORDS = {  # what each step reads, per language
    "en": {"ask": "Ask for time off", "approve": "Approve", "approved": "Approved"},
    "ne": {"ask": "छुट्टी माग्नुहोस्", "approve": "स्वीकृत गर्नुहोस्", "approved": "स्वीकृत"},
}


@pytest.fixture
def app_config(database_url):
    return dict(NO_LIMIT)


def _check(page, screenshot, name):
    """axe (no serious or critical violation) and no sideways scrolling at 390 px; a
    screenshot at 390 and 1280 px; the viewport is left as it was."""
    before = page.viewport_size
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        if width == 390:
            extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert extra <= 0, f"{page.url} scrolls sideways by {extra}px at 390 px"
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        assert bad == [], (page.url, width, bad)
    page.set_viewport_size(before)


def _sign_in(page, email, app, language):
    page.goto("/login")
    if language == "ne":
        page.click("form.language-switch button")
        page.wait_for_selector("html[lang=ne]")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    if "/login/code" in page.url:
        page.fill("input[name=code]", fresh_code(app, email))
        page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("form[action='/logout']", state="attached")


@pytest.mark.parametrize("language", ["en", "ne"])
def test_stylist_asks_on_a_phone_admin_approves_on_a_desktop_stylist_sees_it(
        app, factory, open_page, screenshot, language):
    words = WORDS[language]
    with app.app_context():
        s = salon(factory, days_ahead=9)
        factory.booking(s.stylist, s.cut, at(s.day, 11), customer_name="Sarita Adhikari")
        stylist_email, admin_email = s.stylist.user.email, s.admin.email
    first, last = s.day, s.day + timedelta(days=2)

    # --- the stylist, on a phone ----------------------------------------------------------
    phone = open_page()
    phone.set_viewport_size(PHONE)
    _sign_in(phone, stylist_email, app, language)
    phone.goto("/time-off/mine")
    _check(phone, screenshot, f"{language}-stylist-ask")
    phone.fill("#ask-form input[name=start_date]", (today_ktm() - timedelta(days=1)).isoformat())
    phone.fill("#ask-form input[name=end_date]", today_ktm().isoformat())
    phone.click("#ask-form button[type=submit]")
    phone.wait_for_selector("#ask-form .invalid-feedback")
    _check(phone, screenshot, f"{language}-stylist-ask-refused")
    phone.check("#ask-form input[name=kind][value=festival]")
    phone.fill("#ask-form input[name=start_date]", first.isoformat())
    phone.fill("#ask-form input[name=end_date]", last.isoformat())
    phone.fill("#ask-form textarea[name=note]", "Tihar at home in Dharan")
    phone.get_by_role("button", name=words["ask"]).click()
    phone.wait_for_selector('#my-requests [data-state="waiting"]')
    _check(phone, screenshot, f"{language}-stylist-asked")
    with app.app_context():
        request_id = db.session.scalars(select(TimeOffRequest.id)).one()

    # --- the admin, on a desktop ----------------------------------------------------------
    desk = open_page()
    desk.set_viewport_size(DESKTOP)
    _sign_in(desk, admin_email, app, language)
    _check(desk, screenshot, f"{language}-admin-home")
    desk.click(f'#time-off-waiting a[href="/time-off/{request_id}"]')
    desk.wait_for_selector("#cover")
    assert "Sarita Adhikari" in desk.inner_text("#impact")
    assert desk.locator("#cover li").count() == 3
    _check(desk, screenshot, f"{language}-admin-request")
    desk.once("dialog", lambda dialog: dialog.accept())  # the confirmation names what approval does
    desk.get_by_role("button", name=words["approve"], exact=True).click()
    desk.wait_for_selector('#request-state[data-state="approved"]')
    _check(desk, screenshot, f"{language}-admin-approved")
    desk.goto("/time-off/")
    _check(desk, screenshot, f"{language}-admin-list")
    with app.app_context():
        vacation = db.session.scalars(select(ScheduleOverride)).one()
        assert (vacation.stylist_user_id, vacation.start_date, vacation.end_date) == (s.stylist.user_id, first, last)

    # --- the stylist sees it at home --------------------------------------------------------
    phone.goto("/")
    decision = phone.locator(f'#time-off-decisions [data-request="{request_id}"] [data-state="approved"]')
    assert decision.inner_text() == words["approved"]
    _check(phone, screenshot, f"{language}-stylist-home")
