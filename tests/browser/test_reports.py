"""Browser: the reports page of the demo salon at 390 px and 1280 px, in English and Nepali —
nothing scrolls sideways, axe-core finds no serious or critical violation, the charts are
drawn under the CSP (`open_page` fails on a violation), and screenshots for people to look at."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.ui.pages import LOGINS, PASSWORD, second_step_code

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def page(browser_page):
    return browser_page


def _sign_in(page, app, role: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(LOGINS[role])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.endswith("/login/code"):
        page.get_by_label("Code from your authenticator app").fill(second_step_code(app, role))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def _check(page, axe, screenshot, name: str) -> list:
    problems = []
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if width == 390 and page.evaluate(OVERFLOW) > 0:
            problems.append((name, width, "scrolls sideways", page.evaluate(OVERFLOW)))
        problems += [(name, width, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                     for v in axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
        path = screenshot(page, f"{name}-{width}")
        if width == 390 and path:  # each section on its own too: a phone-length page shrinks to nothing
            for i, section in enumerate(page.locator("main form, main section").all()):
                section.screenshot(path=str(path.with_name(f"{path.stem}-part{i}.png")))
    return problems


def test_reports_page_in_both_languages_on_a_phone_and_a_desk(app, runner, page, screenshot):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    _sign_in(page, app, "admin")
    axe = Axe()
    page.goto("/reports/")
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg[data-chart=revenue] rect.bar").count() >= 29
    problems = _check(page, axe, screenshot, "reports-en")
    # the period's fields follow the chosen kind (CSS only): a range shows its two dates
    page.select_option("#period", "range")
    assert page.locator("#start").is_visible() and not page.locator("#bs_month").is_visible()
    page.select_option("#period", "bs_month")
    page.click("form.language-switch button")
    page.wait_for_selector("html[lang=ne]")
    assert "रु" in page.inner_text("#figures")
    problems += _check(page, axe, screenshot, "reports-ne")
    assert problems == []
