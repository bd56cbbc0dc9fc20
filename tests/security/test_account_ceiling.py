"""The per-account ceiling (security.md): failed passwords and codes for one account
from all addresses together stop at `ACCOUNT_FAILURES_PER_HOUR`; then the account's
sign-in pauses for the rest of the hour (a right password waits too), one
`account_sign_in_paused` row is written, and the user is told at their next sign-in."""
from __future__ import annotations

import limits.storage.memory as memory_storage
import pytest

from tests.audit_trail import log_rows
from tests.security.test_sampling import LaterTime
from tests.web import PASSWORD, csrf_token, fresh_code

CEILING = 50


@pytest.fixture
def app_config():
    # the per-address limit stays as shipped (5 a minute): 60 addresses get 60 × 5 tries
    return {"ACCOUNT_FAILURES_PER_HOUR": CEILING, "LOGIN_RATE_LIMIT": "5 per minute"}


def address(n: int) -> str:
    return f"2001:db8:{n:x}::1"


def guess(client, token: str, email: str, password: str, n: int):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address(n)})


def test_60_addresses_guessing_one_password_stop_at_the_ceiling(app, client, factory, monkeypatch):
    user = factory.user("customer")
    token = csrf_token(client, "/login")
    answers = [guess(client, token, user.email, f"guess {n}-{k}", n).status_code for n in range(60) for k in range(5)]
    assert answers.count(200) == CEILING  # each a checked, wrong password
    assert set(answers[CEILING:]) == {429}  # the rest never reach the check
    assert len(log_rows(app, category="security", action="account_sign_in_paused")) == 1
    paused = guess(client, token, user.email, PASSWORD, 99)  # the right password waits too
    assert paused.status_code == 429 and int(paused.headers["Retry-After"]) > 3000

    monkeypatch.setattr(memory_storage, "time", LaterTime(3601))  # the hour is over
    signed_in = guess(client, token, user.email, PASSWORD, 100)
    assert signed_in.status_code == 302
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "sign-in to your account was paused" in page
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    guess(client, csrf_token(client, "/login"), user.email, PASSWORD, 101)
    assert "was paused" not in client.get("/", follow_redirects=True).get_data(as_text=True)  # told once


def test_an_unknown_address_pauses_the_same_way(app, client):
    token = csrf_token(client, "/login")
    answers = [guess(client, token, "nobody@example.test", f"g{n}{k}", n).status_code for n in range(12) for k in range(5)]
    assert answers[:CEILING] == [200] * CEILING and set(answers[CEILING:]) == {429}


def test_60_addresses_guessing_one_accounts_code_stop_at_the_ceiling(app, factory):
    admin = factory.user("admin")
    waiting = app.test_client()  # past the password before the guessing starts
    waiting.environ_base["REMOTE_ADDR"] = address(200)
    assert guess(waiting, csrf_token(waiting, "/login"), admin.email, PASSWORD, 200).status_code == 302
    answers = []
    for n in range(60):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address(n)
        password_step = guess(client, csrf_token(client, "/login"), admin.email, PASSWORD, n).status_code
        if password_step == 429:  # the ceiling pauses the password step as well
            answers.append(429)
            continue
        assert password_step == 302
        token = csrf_token(client, "/login/code")
        for k in range(5):
            answers.append(client.post("/login/code", data={"code": "000000", "csrf_token": token},
                                       environ_base={"REMOTE_ADDR": address(n)}).status_code)
    assert answers[:CEILING] == [400] * CEILING and set(answers[CEILING:]) == {429}
    assert len(answers) > CEILING + 40  # most of the 60 addresses were turned away
    right = waiting.post("/login/code", data={"code": fresh_code(app, admin.email),
                                              "csrf_token": csrf_token(waiting, "/login/code")})
    assert right.status_code == 429  # paused: a right code waits too
    [row] = log_rows(app, category="security", action="account_sign_in_paused")
    assert row["target_id"] == admin.id and row["details"]["email"] == admin.email.lower()
