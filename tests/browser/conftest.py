"""Real-browser fixtures: the app served on 127.0.0.1, Debian's chromium driven by Playwright.

- `live_server`: the test's `app` (file SQLite, or PostgreSQL when TEST_DATABASE_URL is
  set) served by Werkzeug on a free port in a background thread; `.url`, `.app`.
- `browser`: one headless chromium per test session (skipped, with the reason, when
  /usr/bin/chromium is missing; `make test` installs it). Playwright's own browser
  download does not work here, so the system binary is used.
- `open_page()`: a new page in a fresh browser context (own cookies: one per person);
  `browser_page` is the first such page.
- `screenshot(page, name)`: saves tests/artifacts/screenshots/<test>/<nn>-<name>.png
  (git-ignored) and returns its path; with PAGE_SCREENSHOTS=0 (`make test`: nobody looks
  at them there, and full-page shots cost about as much as the checks) it saves nothing
  and returns None.

Rows a test creates through `factory` must be committed before the browser acts
(the factory commits); read back with `db.session.expire_all()` first.
"""
from __future__ import annotations

import itertools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
                    "`make test` does this")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser, live_server):
    """Pages run under the portal's Content-Security-Policy: a violation the browser
    reports (it logs "Refused to ... Content Security Policy ...") fails the test."""
    contexts = []
    violations: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    def open_new():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", note)
        contexts.append(context)
        return context.new_page()

    yield open_new
    for context in contexts:
        context.close()
    assert violations == [], "the pages broke the Content-Security-Policy"


@pytest.fixture
def page_at(browser, live_server):
    """`page_at(viewport)`: a new page in a browser context of its own at that size (a
    person's phone or desk), closed after the test."""
    contexts = []

    def open_new(viewport):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_new
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(open_page):
    return open_page()


@pytest.fixture
def screenshot(request):
    if os.environ.get("PAGE_SCREENSHOTS") == "0":
        return lambda page, name, full_page=True: None
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    counter = itertools.count(1)

    def take(page, name: str, full_page: bool = True) -> Path:
        """The page as a PNG (`full_page=False`: only what the person sees in the window)."""
        path = folder / f"{next(counter):02d}-{re.sub(r'[^A-Za-z0-9_-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
