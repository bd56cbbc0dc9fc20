"""CLI commands, error pages and the base look."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Booking, ScheduleOverride, StylistPromotion, StylistProfile, UserProfile
from portal.services.operations.demo import DEMO_TOTP_SECRET
from tests.web import fresh_code


def test_create_user_command(app, runner, auth):
    result = runner.invoke(args=["create-user", "new@example.test", "--name", "New Admin", "--role", "admin",
                                 "--password", "s3cret-pass-phrase"])
    assert result.exit_code == 0, result.output
    assert "Created admin new@example.test" in result.output
    assert auth.login("new@example.test", "s3cret-pass-phrase").status_code == 302


def test_create_user_refuses_a_duplicate_email(runner, factory):
    factory.user("admin", email="taken@example.test")
    result = runner.invoke(args=["create-user", "TAKEN@example.test", "--name", "X", "--role", "admin",
                                 "--password", "pw"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_create_user_asks_for_the_password(runner, auth):
    result = runner.invoke(args=["create-user", "ask@example.test", "--name", "Asked", "--role", "auditor"],
                           input="typed-pass-phrase\ntyped-pass-phrase\n")
    assert result.exit_code == 0, result.output
    assert auth.login("ask@example.test", "typed-pass-phrase").status_code == 302


def test_seed_demo_loads_a_salon_once(app, runner, auth):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@kbstylish.com.np" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StylistProfile)) == 8
        statuses = set(db.session.scalars(select(StylistPromotion.status)))
        assert statuses == {"draft", "pending_checks", "pending_training", "pending_approval",
                            "approved", "rejected", "revoked"}
        assert db.session.scalar(select(func.count()).select_from(Booking)) > 50
        types = set(db.session.scalars(select(ScheduleOverride.override_type)))
        assert types == {"business_closure", "stylist_vacation", "seasonal_hours", "special_event"}
        users = db.session.scalar(select(func.count()).select_from(UserProfile))
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0 and "already has" in again.output
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserProfile)) == users
    # the demo admin has two-step sign-in with the documented demo key
    code = fresh_code(app, "admin@kbstylish.com.np", DEMO_TOTP_SECRET)
    assert auth.login("admin@kbstylish.com.np", "namaste-kb-2026", code=code).status_code == 302


def test_404_is_a_portal_page_and_json_under_api(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and b"Page not found" in page.data and b"<nav" in page.data
    api = client.get("/api/no-such-endpoint")
    assert api.status_code == 404 and api.json["code"] == "NOT_FOUND" and "error" in api.json


def test_500_shows_no_traceback(app, client):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/boom")
    assert response.status_code == 500
    assert b"secret internals" not in response.data and b"Traceback" not in response.data
    assert b"Something went wrong" in response.data


def test_base_page_is_responsive_and_serves_its_own_assets(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="viewport"' in page
    assert "cdn" not in page.lower()
    assert client.get("/bootstrap/static/css/bootstrap.min.css").status_code == 200


def test_navigation_follows_the_role(client, auth, factory):
    factory.user("auditor", email="aud@example.test")
    auth.login("aud@example.test")
    page = client.get("/", follow_redirects=True).get_data(as_text=True)  # their home is the audit log
    assert "Audit log" in page and "New stylists" not in page
