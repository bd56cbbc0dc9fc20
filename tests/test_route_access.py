"""Every portal route, read from `app.url_map` (so routes added later are covered too):

- every view goes through `role_required` (or is the sign-out, `login_required`);
- anonymous users are sent to /login (GET, and POST with a valid CSRF token);
- an auditor reads the audit log and nothing else: every other route answers 403;
- every state-changing route refuses a request without a CSRF token (400).

Skipped: static files, Bootstrap's static files, the public `/api` (its own tests),
and `/login` itself (public by design; its CSRF check is still tested here).
"""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from werkzeug.routing import BuildError, ValidationError

from portal.extensions import db
from tests.factories import Factory
from tests.web import csrf_token

# Public by design. A new public endpoint (say a Prometheus `/metrics` reached
# only from the internal network) is added here, deliberately, with its reason.
SKIPPED = {
    "static", "bootstrap.static", "auth.login",
    "favicon",  # the site icon browsers fetch before anyone signs in
    "account.second_step",  # the code after a correct password: before anyone is signed in (tests/account)
    "account.set_password",  # a one-time password link: the token is the credential (tests/account)
    "metrics",  # Prometheus: loopback/private peers or METRICS_TOKEN only (tests/security/test_requests.py)
    "i18n.set_language",  # the language switch works before sign-in too (tests/i18n checks its CSRF)
}
PUBLIC_PREFIXES = ("api.",
                   "booking_link.")  # the customer's link: the token is the credential (tests/messages/test_link.py)
# any signed-in user, whatever the role: signing out, one's own password and two-step sign-in
SIGNED_IN_ONLY = {"auth.logout", "account.index", "account.enrol", "account.renew_codes", "account.turn_off",
                  "account.change_password"}
# besides audit.*; i18n.bs: the BS date beside date inputs; reports: audit.md's role table (read-only)
AUDITOR_MAY = {"dashboard.index", "i18n.bs", "reports.index", "reports.download"} | SIGNED_IN_ONLY
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
CANDIDATES = (lambda: str(uuid.uuid4()), lambda: 1, lambda: "2030-01-15", lambda: "x")


def dummy_value(converter):
    name = type(converter).__name__
    if name == "UUIDConverter":
        return [str(uuid.uuid4())]
    if name in ("IntegerConverter", "FloatConverter"):
        return [max(1, getattr(converter, "min", None) or 1)]
    if name == "AnyConverter":
        return list(getattr(converter, "items", ())) or ["x"]
    if name == "PathConverter":
        return ["x/y"]
    return [make() for make in CANDIDATES]  # custom converters: the first that builds and matches


def routes(app, include_login: bool = False) -> list[SimpleNamespace]:
    """(endpoint, method, url) for every portal route, URL converters filled with dummies."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(PUBLIC_PREFIXES) or rule.endpoint in SKIPPED - (
                {"auth.login"} if include_login else set()):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            url = _build(adapter, rule, method)
            assert url, f"cannot build a URL for {rule.rule} ({rule.endpoint}): add its converter to dummy_value"
            found.append(SimpleNamespace(endpoint=rule.endpoint, method=method, url=url, rule=rule.rule))
    return found


def _build(adapter, rule, method) -> str | None:
    choices = {arg: dummy_value(rule._converters[arg]) for arg in rule.arguments}
    for attempt in range(len(CANDIDATES)):
        values = {arg: options[min(attempt, len(options) - 1)] for arg, options in choices.items()}
        try:
            url = adapter.build(rule.endpoint, values, method=method)
            endpoint, _ = adapter.match(url, method=method)
        except (BuildError, ValidationError, ValueError, LookupError):
            continue
        except Exception:  # a 404/405 from match: this value does not fit the rule
            continue
        if endpoint == rule.endpoint:
            return url
    return None


def sign_in(app, client, auth, role: str) -> None:
    with app.app_context():  # a short context: requests must not share `g` with it
        user = Factory(db.session).user(role)
        email = user.email
    response = auth.login(email)
    assert response.status_code == 302, f"{role} could not sign in"


def send(client, route, with_token: bool):
    if route.method == "GET":
        return client.get(route.url)
    data = {"csrf_token": csrf_token(client)} if with_token else {}
    return client.open(route.url, method=route.method, data=data)


def test_the_map_is_read(app):
    found = {(r.endpoint, r.method) for r in routes(app)}
    assert {("audit.index", "GET"), ("promotions.index", "GET"), ("auth.logout", "POST")} <= found
    assert not any(endpoint.startswith("api.") or endpoint == "static" for endpoint, _ in found)


def test_every_view_goes_through_role_required(app):
    missing = [
        r.endpoint for r in routes(app)
        if r.endpoint not in SIGNED_IN_ONLY and not hasattr(app.view_functions[r.endpoint], "required_roles")
    ]
    assert missing == [], "use @role_required(...) on every portal view"
    leaky = [
        r.endpoint for r in routes(app)
        if "auditor" in getattr(app.view_functions[r.endpoint], "required_roles", ())
        and not r.endpoint.startswith("audit.") and r.endpoint not in AUDITOR_MAY
    ]
    assert leaky == [], "an auditor reads the audit log and nothing else"


def test_anonymous_users_are_sent_to_sign_in(app, client):
    wrong = []
    for route in routes(app):
        response = send(client, route, with_token=True)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith("/login"):
            wrong.append((route.method, route.url, response.status_code, location))
    assert wrong == []


def test_an_auditor_reads_the_log_and_nothing_else(app, client, auth):
    sign_in(app, client, auth, "auditor")
    wrong = []
    for route in routes(app):
        if route.endpoint.startswith("audit.") or route.endpoint in AUDITOR_MAY:
            continue
        response = send(client, route, with_token=True)
        if response.status_code != 403:
            wrong.append((route.method, route.url, response.status_code))
    assert wrong == [], "these answered an auditor with something other than 403"
    for route in routes(app):
        if route.endpoint.startswith("audit.") and route.method == "GET":
            assert client.get(route.url).status_code == 200, route.url
    home = client.get("/")  # an auditor's home page is the audit log
    assert home.status_code == 302 and home.headers["Location"].endswith("/audit/")


@pytest.mark.parametrize("role", [None, "admin"])
def test_every_unsafe_route_refuses_a_missing_csrf_token(app, client, auth, role):
    if role:
        sign_in(app, client, auth, role)
    unsafe = [r for r in routes(app, include_login=True) if r.method in UNSAFE]
    assert {"auth.login", "auth.logout"} <= {r.endpoint for r in unsafe}
    wrong = []
    for route in unsafe:
        response = send(client, route, with_token=False)
        if response.status_code != 400:
            wrong.append((route.method, route.url, response.status_code))
    assert wrong == []
