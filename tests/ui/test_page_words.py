"""Every page, read as a person reads it: no UUID, no snake_case code, no error code, no raw
user agent in the visible text (spec/ui.md "Words"); the audit row's expandable details
may show raw values. And the templates: one set of date/time filters, no inline script or
style (a strict Content-Security-Policy), ids unique on every page."""
from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.ui.pages import LOGINS, PASSWORD, second_step_code, visits
from tests.web import AuthActions

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
ERROR_CODE = re.compile(r"\b[A-Z]{2,}(?:_[A-Z]+)+\b")
USER_AGENT = re.compile(r"Mozilla/\d|AppleWebKit|Gecko/|pytest-agent")
HIDDEN = {"script", "style", "details", "template", "noscript", "textarea"}  # a textarea holds a value


class VisibleText(HTMLParser):
    """Text a person can read: text nodes outside script/style/<details>, plus the words
    on buttons and in placeholders. A message template's own text, as the admin wrote it
    (`data-template-text`: "{first_name}" is the editor's syntax, not the code's words), is
    left out like a form field's value."""

    def __init__(self):
        super().__init__()
        self.depth, self.parts, self.ids, self.hiding = 0, [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.append(attrs["id"])
        if tag in HIDDEN or "data-template-text" in attrs:
            self.hiding.append(tag)
            self.depth += 1
        elif not self.depth:
            if tag == "input" and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")
            self.parts.append(attrs.get("placeholder") or "")

    def handle_endtag(self, tag):
        if self.hiding and self.hiding[-1] == tag:
            self.hiding.pop()
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def read(body: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(body)
    return parser


def problems(text: str) -> list[str]:
    found = []
    for name, pattern in (("UUID", UUID), ("code", SNAKE), ("error code", ERROR_CODE), ("user agent", USER_AGENT)):
        found += [f"{name}: {m.group(0)!r}" for m in pattern.finditer(text)]
    return found


@pytest.fixture
def demo(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


@pytest.mark.walk
@pytest.mark.sqlite_only  # a page-look walk: once, as tests/browser/test_every_page.py
def test_every_page_reads_in_peoples_words_and_has_unique_ids(demo):
    wrong, seen = [], 0
    clients = {}
    for visit in visits(demo):
        client = clients.get(visit.role)
        if client is None:
            client = clients[visit.role] = demo.test_client()
            if visit.role:
                signed_in = AuthActions(client).login(LOGINS[visit.role], PASSWORD,
                                                      code=second_step_code(demo, visit.role))
                assert signed_in.status_code == 302, visit.role
        response = client.get(visit.url, follow_redirects=True)
        assert response.status_code == 200, (visit, response.status_code)
        assert not visit.role or response.request.path != "/login", visit  # the page, not the sign-in
        page = read(response.get_data(as_text=True))
        seen += 1
        text = " ".join(page.parts)
        wrong += [(visit.role, visit.url, p) for p in problems(text)]
        wrong += [(visit.role, visit.url, f"id used twice: {i}") for i, n in Counter(page.ids).items() if n > 1]
    assert seen >= 25
    assert wrong == []


def test_the_scan_finds_what_it_looks_for():
    text = " ".join(read('<p>BUDGET_EXHAUSTED: new → pending_checks 816826e5-1c1f-4f2a-9d51-3d2c2b9b1a11 '
                         'Mozilla/5.0 (X11)</p><details><p>override_budget</p></details>').parts)
    assert [p.split(":")[0] for p in problems(text)] == ["UUID", "code", "error code", "user agent"]


def test_templates_use_the_date_filters_and_no_inline_script_or_style():
    wrong = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text()
        for pattern, why in (
            (r"strftime\s*\(|isoformat\s*\(|\|\s*local_time\b", "format dates with the filters of portal.presentation.formats"),
            (r"<script(?![^>]*\bsrc=)[^>]*>", "no inline script (CSP): put it in static/js"),
            (r"\sstyle\s*=", "no inline style (CSP): use static/css/portal.css"),
            (r"\son[a-z]+\s*=", "no inline event handler (CSP)"),
        ):
            wrong += [f"{path.relative_to(TEMPLATES)}: {m.group(0)!r} — {why}" for m in re.finditer(pattern, source)]
    assert wrong == []
