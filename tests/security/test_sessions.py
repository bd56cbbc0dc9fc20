"""Idle and absolute session lifetimes, and "signing in again ends the other sessions"
(time travel: the `clock` fixture, read through `portal.auth.session_lifetime.now`)."""
from __future__ import annotations

import pytest

from portal.auth import session_lifetime
from portal.extensions import db
from portal.services.identity import accounts
from tests.web import AuthActions


@pytest.fixture
def clock(clock, monkeypatch):
    """The shared clock (tests/conftest.py), which the session lifetimes read as seconds."""
    monkeypatch.setattr(session_lifetime, "now", lambda: clock().timestamp())
    return clock


@pytest.fixture
def admin(factory):
    return factory.user("admin")


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_an_idle_session_ends(client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    clock.advance(29)
    assert signed_in(client)  # activity renews the idle timer
    clock.advance(29)
    assert signed_in(client)
    clock.advance(31)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert not signed_in(client)  # and it stays ended


def test_a_busy_session_still_ends_after_the_absolute_lifetime(client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    for _ in range(12 * 3 - 1):  # every 20 minutes for 11 h 40 min
        clock.advance(20)
        assert signed_in(client)
    clock.advance(25)  # 12 h 05 min after sign-in
    assert not signed_in(client)


def test_lifetimes_follow_the_settings(app, client, auth, admin, clock):
    app.config["SESSION_IDLE_MINUTES"] = 5
    assert auth.login(admin.email).status_code == 302
    clock.advance(6)
    assert not signed_in(client)


def test_signing_in_again_ends_the_other_sessions(app, client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    other = app.test_client()
    assert AuthActions(other).login(admin.email).status_code == 302
    assert signed_in(other)
    assert not signed_in(client)  # the first device's session ended


def test_ending_all_sessions_signs_every_device_out(app, client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    with app.app_context():
        accounts.end_all_sessions(db.session, db.session.merge(admin))
    assert not signed_in(client)


def test_deactivation_ends_the_session_at_once(app, client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    with app.app_context():
        user = db.session.merge(admin)
        user.is_active = False
        db.session.commit()
    assert not signed_in(client)


def test_the_cookie_signature_lasts_no_longer_than_the_absolute_lifetime(app):
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_an_ended_session_says_why_once(client, auth, admin, clock):
    assert auth.login(admin.email).status_code == 302
    client.get("/")  # the welcome message is shown and gone
    clock.advance(31)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your session has ended. Please sign in again." in page
    assert "Please sign in to continue." not in page
