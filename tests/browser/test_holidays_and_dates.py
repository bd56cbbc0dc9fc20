"""Browser (issue 25, points 7 and 8): the holiday import page and a date box at 390 px
and 1280 px, in English and Nepali — nothing scrolls sideways, axe finds no serious or
critical problem; a BS date typed in a date box shows its Gregorian date live, and an
impossible date says what is wrong."""
from __future__ import annotations

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.web import PASSWORD, fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def page(browser_page):
    return browser_page


def _sign_in(page, email, app):
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    if "/login/code" in page.url:
        page.fill("input[name=code]", fresh_code(app, email))
        page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_selector("form[action=\"/logout\"]", state="attached")


def _fits_and_passes_axe(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{page.url} is {width}px wide at {viewport}px"
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], (page.url, bad)


def _both_widths(page, screenshot, name):
    for size, label in ((PHONE, "390"), (DESKTOP, "1280")):
        page.set_viewport_size(size)
        _fits_and_passes_axe(page)
        screenshot(page, f"{name}-{label}")


def test_holiday_import_page_both_widths_both_languages(app, factory, page, screenshot):
    # the long two-language reason of an earlier import once made a badge 411 px wide at 390
    factory.override(None, date(2027, 3, 10), closed=True, override_type="business_closure", priority=100,
                     reason="Eid al-Fitr (estimated) (ईद (ईद उल फित्र) (अनुमानित))")
    _sign_in(page, factory.user("admin").email, app)
    page.set_viewport_size(PHONE)
    page.goto("/holidays/?year=2083&calendar=BS")
    expect(page.locator("h1")).to_have_text("Public holidays BS 2083")
    assert page.locator(".estimated-badge").count() >= 1
    # import one upcoming holiday, through the check page
    box = page.locator(".holiday-line input[type=checkbox]").last
    box.check()
    page.click("#holiday-list ~ button[type=submit]")
    expect(page.locator("#holiday-preview")).to_be_visible()
    _both_widths(page, screenshot, "holidays-check-en")
    page.set_viewport_size(PHONE)
    page.click("text=Confirm and create the closures")
    expect(page.locator("#holiday-imports")).to_be_visible()
    _both_widths(page, screenshot, "holidays-en")

    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    page.set_viewport_size(PHONE)
    expect(page.locator("h1")).to_have_text("सार्वजनिक बिदा वि.सं. २०८३")
    _both_widths(page, screenshot, "holidays-ne")

    # undo: one confirmed action naming what it removes; the page then has no import to undo
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.click("#holiday-imports button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("आयात फिर्ता लिइयो")
    assert len(asked) == 1 and "यो आयात फिर्ता लिने?" in asked[0]
    assert page.locator("#holiday-imports").count() == 0


def test_a_date_box_takes_a_bs_date_and_names_an_impossible_date(app, factory, page, screenshot):
    _sign_in(page, factory.user("admin").email, app)
    page.set_viewport_size(PHONE)
    page.goto("/schedules/overrides/new?kind=business_closure")
    page.fill("input[name=start_date]", "BS 2083-08-21")
    expect(page.locator("#start_date-bs")).to_have_text("Gregorian (AD): Mon 7 Dec 2026")
    page.fill("input[name=end_date]", "2027-02-30")
    page.locator("input[name=end_date]").blur()
    expect(page.locator("#end_date-bs")).to_have_text("February 2027 has 28 days.")
    _both_widths(page, screenshot, "date-box-en")

    page.set_viewport_size(PHONE)
    page.fill("textarea[name=reason]", "Family puja")
    page.click("main form button[type=submit]")
    expect(page.locator(".invalid-feedback").first).to_contain_text("February 2027 has 28 days.")
    expect(page.locator("input[name=start_date]")).to_have_value("BS 2083-08-21")  # kept as typed

    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    page.set_viewport_size(PHONE)
    page.goto("/schedules/overrides/new?kind=business_closure")
    page.fill("input[name=start_date]", "वि.सं. २०८३-०८-२१")
    expect(page.locator("#start_date-bs")).to_have_text("ईस्वी संवत् (ई.सं.): सोम ७ डिसेम्बर २०२६")
    page.fill("input[name=end_date]", "२०२७-०२-३०")
    page.locator("input[name=end_date]").blur()
    expect(page.locator("#end_date-bs")).to_have_text("फेब्रुअरी २०२७ मा २८ दिन हुन्छन्।")
    _both_widths(page, screenshot, "date-box-ne")
