"""Simultaneous wrong passwords against a served gunicorn (PostgreSQL + Redis): at most
LOGIN_RATE_LIMIT of them reach the password check, whatever the worker model."""
from __future__ import annotations

import threading
import uuid
from urllib.parse import urlencode

import pytest

from tests import databases
from tests.security.served import Browser, gunicorn
from tests.web import PASSWORD

pytestmark = pytest.mark.postgresql_only
GUESSES = 60
LIMIT = 5


@pytest.fixture
def served_env(app):
    if not databases.TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    return {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],  # the portal role
        "SECRET_KEY": "served-test-secret",
        "RATELIMIT_STORAGE_URI": databases.TEST_REDIS_URL,
        "LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
    }


def simultaneous_guesses(port: int, email: str) -> list[tuple[int, str]]:
    browser = Browser(port)
    token = browser.login_form()
    body = urlencode({"email": email, "password": "not the password", "csrf_token": token})
    outcomes: list = [None] * GUESSES
    start = threading.Barrier(GUESSES)

    def guess(i: int) -> None:
        start.wait()
        try:
            status, data, _ = browser.request("POST", "/login", body, timeout=60)
            outcomes[i] = (status, "checked" if b"Wrong email or password" in data else "")
        except Exception as error:  # reported by the assertions
            outcomes[i] = (0, repr(error))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return outcomes


def four_failures_then_the_password(port: int, email: str) -> int:
    browser = Browser(port)
    for _ in range(4):
        token = browser.login_form()
        status, _, _ = browser.request("POST", "/login", urlencode(
            {"email": email, "password": "wrong guess", "csrf_token": token}))
        assert status == 200
    token = browser.login_form()
    status, _, response = browser.request("POST", "/login", urlencode(
        {"email": email, "password": PASSWORD, "csrf_token": token}))
    return status


@pytest.mark.parametrize("workers", [
    ["-k", "gthread", "-w", "2", "--threads", "16"],
    ["-k", "sync", "-w", "2"],
], ids=["gthread", "sync"])
def test_simultaneous_guesses_are_checked_at_most_the_limit(factory, served_env, workers):
    run = uuid.uuid4().hex[:8]
    target = factory.user("admin", email=f"target-{run}@example.test").email
    patient = factory.user("admin", email=f"patient-{run}@example.test").email
    with gunicorn(served_env, *workers) as port:
        outcomes = simultaneous_guesses(port, target)
        checked = [o for o in outcomes if o == (200, "checked")]
        refused = [o for o in outcomes if o[0] == 429]
        assert 1 <= len(checked) <= LIMIT, f"{len(checked)} guesses reached the password check"
        assert len(checked) + len(refused) == GUESSES, f"other answers: {set(outcomes) - {(200, 'checked')}}"
        assert four_failures_then_the_password(port, patient) == 302
        # a request line longer than 4094 bytes reaches the portal: its JSON, not gunicorn's page
        status, body, response = Browser(port).request("GET", "/api/" + "x" * 5000)
        assert status == 404 and response.getheader("Content-Type") == "application/json"
