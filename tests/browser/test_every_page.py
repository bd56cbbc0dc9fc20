"""Every GET page of the url_map (real ids from the demo salon), as each role that may see
it, in chromium at 390 px and 1280 px: nothing scrolls sideways at 390 px, and axe-core
(shipped by the pinned `axe-playwright-python`, no CDN) finds no serious or critical
violation. With PAGE_SCREENSHOTS=1 a full-page screenshot of each page at each width goes
to tests/artifacts/screenshots/every_page/ (git-ignored) for people to look at; they are
left out by default (they cost about as much as the checks). One browser, one context per role (`open_page`, which also fails the
test on a Content-Security-Policy violation), so the walk stays quick."""
from __future__ import annotations

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS
from tests.ui.pages import LOGINS, PASSWORD, second_step_code, visits

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_only]  # page looks: once, on SQLite
WIDTHS = (390, 1280)
BLOCKING = ("serious", "critical")
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
WANT_SCREENSHOTS = os.environ.get("PAGE_SCREENSHOTS") == "1"


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
    assert checked >= 50
    assert problems == []
