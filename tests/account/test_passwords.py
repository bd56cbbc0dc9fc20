"""One-time password links (24 h, single use, hash only) and changing one's password."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.extensions import db
from portal.models import PasswordLink, ServiceManagementLog
from portal.services.identity.passwords import token_hash
from tests.web import PASSWORD, AuthActions, post_form

NEW_PASSWORD = "a much longer passphrase"


@pytest.fixture
def issued(app, client, auth, admin, factory):
    """An admin issues a link for Kiran on the people page; the page shows it once."""
    kiran = factory.user("customer", name="Kiran", password=None)
    response = post_form(client, f"/people/{kiran.id}/password-link", page=f"/people/{kiran.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    url = re.search(r'<code class="one-time-link" id="one-time-link">([^<]+)</code>', page).group(1)
    assert "<svg" in page and "QR code of the password link" in page
    auth.logout()
    path = "/" + url.split("/", 3)[3]
    return {"kiran": kiran, "path": path, "token": path.rsplit("/", 1)[1]}


def test_a_link_sets_the_password_once(app, client, issued):
    path = issued["path"]
    assert "Choose your password" in client.get(path).get_data(as_text=True)
    weak = post_form(client, path, {"new_password": "short", "confirm": "short"}, page=path)
    assert weak.status_code == 400 and "at least 12 characters" in weak.get_data(as_text=True)
    done = post_form(client, path, {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, page=path)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert AuthActions(app.test_client()).login(issued["kiran"].email, NEW_PASSWORD).status_code == 302
    again = client.get(path)
    assert again.status_code == 410 and "already used" in again.get_data(as_text=True)
    second = post_form(client, path, {"new_password": "another long password", "confirm": "another long password"},
                       page="/login")
    assert second.status_code == 410
    assert AuthActions(app.test_client()).login(issued["kiran"].email, NEW_PASSWORD).status_code == 302


def test_a_link_expires_after_24_hours(app, client, issued, clock, monkeypatch):
    # measured from the link's own expiry (a slow machine may take seconds between issuing and here)
    expires_at = db.session.scalars(select(PasswordLink.expires_at)).one()
    assert timedelta(hours=23, minutes=59) < expires_at - clock() <= timedelta(hours=24)
    clock.at = expires_at + timedelta(seconds=1)
    response = client.get(issued["path"])
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    clock.at = expires_at - timedelta(seconds=1)
    assert client.get(issued["path"]).status_code == 200  # still good just before


def test_the_database_holds_no_usable_token(app, issued, raw):
    rows = raw.execute(text(f"SELECT * FROM {raw.private('password_links')}")).mappings().all()
    assert len(rows) == 1
    assert issued["token"] not in str(dict(rows[0]))
    assert rows[0]["token_hash"] == token_hash(issued["token"])
    logs = raw.execute(text(f"SELECT details FROM {raw.private('service_management_log')}")).scalars().all()
    assert not any(issued["token"] in str(d) for d in logs)
    assert "/password/" + rows[0]["token_hash"] != issued["path"]


def test_an_unknown_link_is_refused(client):
    assert client.get("/password/not-a-real-token").status_code == 404


def test_a_new_link_retires_the_older_one(app, client, auth, factory):
    admin, kiran = factory.user("admin"), factory.user("customer")
    auth.login(admin.email)
    for _ in range(2):
        post_form(client, f"/people/{kiran.id}/password-link", page=f"/people/{kiran.id}")
    links = db.session.scalars(select(PasswordLink).order_by(PasswordLink.created_at)).all()
    assert links[0].expires_at <= links[1].created_at < links[1].expires_at
    rows = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "password_link_issued")).all()
    assert len(rows) == 2 and all(r.category == "governance" and r.target_id == kiran.id for r in rows)


def test_changing_ones_password_needs_the_current_one_and_ends_other_sessions(app, client, auth, factory):
    user = factory.user("customer")
    other = app.test_client()
    AuthActions(other).login(user.email)
    auth.login(user.email)
    wrong = post_form(client, "/account/password", {"current_password": "nope", "new_password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD}, page="/account/password")
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    weak = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": "password",
                                                   "confirm": "password"}, page="/account/password")
    assert weak.status_code == 400
    ok = post_form(client, "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD}, page="/account/password")
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert other.get("/account").headers["Location"].startswith("/login")  # the other one has ended
    row = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "password_changed")).one()
    assert row.category == "security" and NEW_PASSWORD not in str(row.details) and PASSWORD not in str(row.details)
