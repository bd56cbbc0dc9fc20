"""Sign-in and sign-out: refusals, lock-out, cookie hygiene, and the security log."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import ServiceManagementLog
from tests.web import csrf_token


def security_rows(app, action: str) -> list[ServiceManagementLog]:
    with app.app_context():
        return list(db.session.scalars(
            select(ServiceManagementLog).where(ServiceManagementLog.action == action)
            .order_by(ServiceManagementLog.id)
        ))


@pytest.fixture
def admin(factory):
    return factory.user("admin", email="sita@example.test", name="Sita")


def test_correct_password_signs_in(client, auth, admin):
    response = auth.login("SITA@example.test")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_refused_and_logged(app, client, auth, admin):
    response = auth.login("sita@example.test", "wrong password")
    assert response.status_code == 200
    assert b"Wrong email or password." in response.data
    assert client.get("/").status_code == 302
    (row,) = security_rows(app, "login_failed")
    assert row.category == "security" and row.severity == "warning"
    assert row.details == {"email": "sita@example.test", "reason": "wrong_password"}
    assert row.ip_address is not None and str(row.ip_address) == "127.0.0.1"
    assert row.user_agent is not None


def test_unknown_user_gets_the_same_answer_and_is_logged(app, auth):
    response = auth.login("nobody@example.test", "whatever")
    assert response.status_code == 200 and b"Wrong email or password." in response.data
    (row,) = security_rows(app, "login_failed")
    assert row.details["reason"] == "unknown_user" and row.admin_user_id is None


def test_inactive_user_cannot_sign_in(app, auth, admin):
    with app.app_context():
        user = db.session.merge(admin)
        user.is_active = False
        db.session.commit()
    assert auth.login("sita@example.test").status_code == 200
    assert security_rows(app, "login_failed")[0].details["reason"] == "inactive"


@pytest.fixture
def app_config():
    return {"LOGIN_RATE_LIMIT": "3 per minute"}


def test_lock_out_after_the_limit_even_with_the_right_password(app, client, auth, admin):
    for _ in range(3):
        assert auth.login("sita@example.test", "nope").status_code == 200
    response = auth.login("sita@example.test")
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.data
    assert int(response.headers["Retry-After"]) >= 1
    assert client.get("/").status_code == 302  # still signed out
    # anonymous-triggerable events are sampled: one row per event and address a minute
    (failed,) = security_rows(app, "login_failed")
    assert failed.details["email"] == "sita@example.test"
    (locked,) = security_rows(app, "login_locked_out")
    assert locked.details["email"] == "sita@example.test" and str(locked.ip_address) == "127.0.0.1"


def test_lock_out_is_per_account(app, auth, admin, factory):
    factory.user("admin", email="ram@example.test")
    for _ in range(3):
        auth.login("sita@example.test", "nope")
    assert auth.login("ram@example.test").status_code == 302


def test_a_successful_sign_in_uses_only_its_own_attempt(client, auth, admin):
    # limit 3: each attempt is counted before the password check, a success included
    for _ in range(2):
        assert auth.login("sita@example.test").status_code == 302
        auth.logout()
    assert auth.login("sita@example.test", "nope").status_code == 200  # still checked
    assert auth.login("sita@example.test", "nope").status_code == 429


def test_old_session_cookie_stops_working_after_logout(app, client, auth, admin):
    auth.login("sita@example.test")
    old_cookie = client.get_cookie("session").value
    assert auth.logout().status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_needs_post_with_csrf(client, auth, admin):
    auth.login("sita@example.test")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_session_is_renewed_at_login(client, auth, admin):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login("sita@example.test")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("_user_id", "").startswith(str(admin.id))


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "http:/evil",
])
def test_off_site_next_is_ignored(auth, admin, target):
    response = auth.login("sita@example.test", next_url=target)
    assert response.headers["Location"] == "/"


def test_same_site_next_is_followed(client, auth, admin):
    response = client.get("/promotions/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/promotions/")
    response = auth.login("sita@example.test", next_url="/promotions/")
    assert response.headers["Location"] == "/promotions/"


def test_login_form_requires_csrf(client, admin):
    response = client.post("/login", data={"email": "sita@example.test", "password": "x"})
    assert response.status_code == 400
    token = csrf_token(client, "/login")
    assert token


def test_cookie_flags_outside_debug(database_url):
    app = create_app({"SECRET_KEY": "prod-secret", "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_is_httponly_and_lax(client, auth, admin):
    response = auth.login("sita@example.test")
    header = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_production_refuses_to_start_without_a_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_password_hashing_uses_scrypt():
    from werkzeug.security import generate_password_hash

    # The setting's default is scrypt; the suite only sets a cheap one for speed (conftest).
    from portal.config import DEFAULTS
    from portal.services.identity.accounts import DEFAULT_HASH_METHOD

    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt" and DEFAULT_HASH_METHOD == "scrypt"
    assert generate_password_hash("x", method="scrypt").startswith("scrypt:")


def test_the_password_hash_method_is_a_setting(app):
    from portal.services.identity.accounts import hash_password

    with app.app_context():  # the suite's apps set a cheap method (conftest)
        assert app.config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1000"
        assert hash_password("x").startswith("pbkdf2:sha256:1000$")
        app.config["PASSWORD_HASH_METHOD"] = "scrypt"
        assert hash_password("x").startswith("scrypt:")
