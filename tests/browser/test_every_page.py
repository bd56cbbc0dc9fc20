"""Every GET page of the url_map (real ids from the demo salon), as each role that may see
it, in chromium at 390 px and 1280 px: nothing scrolls sideways at 390 px, and axe-core
(shipped by the pinned `axe-playwright-python`, no CDN) finds no serious or critical
violation; and the visible text (every fold opened but a "technical details" one,
`<details data-technical-details>`) holds no engine word (priorities, "beat", "won over",
the salon's own time zone by its IANA name) but on the effective-schedule view, and no UUID
(spec/ui.md "Words", issue 25). The same text check runs again with every role in Nepali.
With PAGE_SCREENSHOTS=1 a full-page screenshot of each page at each width goes
to tests/artifacts/screenshots/every_page/ (git-ignored) for people to look at; they are
left out by default (they cost about as much as the checks). One browser, one context per role (`open_page`, which also fails the
test on a Content-Security-Policy violation), so the walk stays quick."""
from __future__ import annotations

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS
from tests.ui.pages import LOGINS, PASSWORD, Visit, second_step_code, visits

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# What a person reads: folds opened (not a technical-details one), a select's options left
# out (a time-zone list names every zone), the page's title included.
VISIBLE_TEXT = """() => {
  for (const fold of document.querySelectorAll('details')) fold.open = !fold.hasAttribute('data-technical-details');
  const boxes = [...document.querySelectorAll('select')].filter(box => !box.hidden);
  boxes.forEach(box => { box.hidden = true; });
  const text = document.title + '\\n' + document.body.innerText;
  boxes.forEach(box => { box.hidden = false; });
  return text;
}"""
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
ENGINE_WORDS = re.compile(r"\([0-9०-९]+\)\s*(?:beat\b|ले\s)|\bbeat\b|won over|उछिन्यो|Asia/Kathmandu")
LAYERS_SHOWN_ON = {"schedules.effective"}  # overrides-and-budgets.md: the one page that explains the layering
WANT_SCREENSHOTS = os.environ.get("PAGE_SCREENSHOTS") == "1"


def plain_words_problems(page, visit) -> list[tuple]:
    """Engine words (but on the effective schedule) and UUIDs in what a person reads."""
    text = page.evaluate(VISIBLE_TEXT)
    found = [m.group(0) for m in UUID.finditer(text)]
    if visit.endpoint not in LAYERS_SHOWN_ON:
        found += [m.group(0) for m in ENGINE_WORDS.finditer(text)]
    return [(visit.role, visit.url, word) for word in found]


def sign_in(app, page, role: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", LOGINS[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit], main form input[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/login/code"):  # two-step sign-in (demo admins and auditor)
        page.fill("input[name=code]", second_step_code(app, role))
        page.click("main form button[type=submit], main form input[type=submit]")
        page.wait_for_load_state()


@pytest.mark.walk
def test_every_page_fits_a_phone_and_passes_axe(app, runner, open_page):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    axe = Axe()
    folder = SCREENSHOTS / "every_page"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    pages, problems, checked = {}, [], 0
    for number, visit in enumerate(visits(app), start=1):
        page = pages.get(visit.role)
        if page is None:  # one context per role, under the CSP watch of `open_page`
            page = pages[visit.role] = open_page()
            if visit.role:
                page.goto("/login")
                page.get_by_label("Email").fill(LOGINS[visit.role])
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state()
                if page.url.endswith("/login/code"):  # two-step sign-in (demo admins and auditor)
                    page.get_by_label("Code from your authenticator app").fill(second_step_code(app, visit.role))
                    page.get_by_role("button", name="Continue").click()
                    page.wait_for_load_state()
        response = page.goto(visit.url)
        assert response is not None and response.ok, (visit, response and response.status)
        if visit.role:  # the page itself, not the sign-in page it would redirect to
            assert "/login" not in page.url, (visit, page.url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            name = re.sub(r"[^A-Za-z0-9]+", "-", f"{number:02d}-{visit.role}-{visit.endpoint}")
            if WANT_SCREENSHOTS:
                page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            if width == 390:
                extra = page.evaluate(OVERFLOW)
                if extra > 0:
                    problems.append((visit.role, visit.url, width, f"scrolls sideways by {extra}px"))
            violations = axe.run(page).response["violations"]
            problems += [(visit.role, visit.url, width, v["id"], v["impact"],
                          [n["target"] for n in v["nodes"]][:3])
                         for v in violations if v["impact"] in BLOCKING]
            checked += 1
        problems += plain_words_problems(page, visit)
    assert checked >= 50
    assert problems == []


@pytest.mark.walk
def test_every_page_in_nepali_reads_without_engine_words_or_uuids(app, runner, open_page):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    pages, problems = {}, []
    for visit in visits(app):
        page = pages.get(visit.role)
        if page is None:
            page = pages[visit.role] = open_page()
            page.goto("/login")
            page.click("form.language-switch button")  # the choice is kept in a cookie
            page.wait_for_selector("html[lang=ne]")
            if visit.role:
                sign_in(app, page, visit.role)
        response = page.goto(visit.url)
        assert response is not None and response.ok, (visit, response and response.status)
        assert page.locator("html").get_attribute("lang") == "ne", visit
        problems += plain_words_problems(page, visit)
    assert len(pages) >= 4
    assert problems == []


def test_the_text_check_finds_what_it_looks_for(open_page):
    page = open_page()
    page.set_content(
        "<title>t</title><p>Closed — Family puja (50) beat Winter hours (10); बन्द Family puja (५०) ले Winter "
        "hours लाई उछिन्यो; Asia/Kathmandu</p><details><p>6c2f1a52-1c1f-4f2a-9d51-3d2c2b9b1a11</p></details>"
        "<details data-technical-details><p>816826e5-1c1f-4f2a-9d51-3d2c2b9b1a11</p></details>"
        "<select><option>Asia/Kathmandu</option></select>")
    everyday, layers = (Visit("admin", endpoint, "/x") for endpoint in ("bookings.day", "schedules.effective"))
    assert [word for *_, word in plain_words_problems(page, everyday)] == [
        "6c2f1a52-1c1f-4f2a-9d51-3d2c2b9b1a11", "(50) beat", "(५०) ले ", "उछिन्यो", "Asia/Kathmandu"]
    assert [word for *_, word in plain_words_problems(page, layers)] == ["6c2f1a52-1c1f-4f2a-9d51-3d2c2b9b1a11"]
