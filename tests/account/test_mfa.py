"""Two-step sign-in (TOTP): enrolment, ±1 step, replays, recovery codes, enforcement,
encryption at rest, limits, turning off, an admin's reset. Both engines."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import select, text

from portal.domain import mfa as rules
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import MfaRecoveryCode, ServiceManagementLog, UserMfa
from portal.services.identity import mfa
from portal.services.identity.secret_box import SecretUnreadable, open_sealed
from tests.web import PASSWORD, TOTP_SECRET, csrf_token, post_form

NOW = datetime(2026, 11, 27, 10, 0, 5, tzinfo=timezone.utc)


def actor(user):
    from portal.actor import Actor
    return Actor(user.id, user.display_name, "127.0.0.1", "pytest")


def code_at(moment: datetime, secret: str = TOTP_SECRET) -> str:
    return rules.code_at_step(secret, rules.step_at(moment))


def events(action: str) -> list[ServiceManagementLog]:
    return list(db.session.scalars(select(ServiceManagementLog).where(ServiceManagementLog.action == action)))


@pytest.fixture
def frozen(clock, monkeypatch):
    """The services' clock stands still at NOW (time travel: `frozen.at = ...`)."""
    clock.at = NOW
    return clock


def enrol_through_pages(client, auth, email) -> tuple[str, list[str]]:
    auth.login(email)
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert "<svg" in page and "QR code for your authenticator app" in page  # drawn locally
    response = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, page="/account/two-step")
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([A-Z0-9-]{19})</code></li>", response.get_data(as_text=True))
    return secret, codes


def test_enrolment_needs_a_valid_code_and_shows_ten_recovery_codes_once(app, client, auth, factory):
    user = factory.user("customer")
    auth.login(user.email)
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert secret in client.get("/account/two-step").get_data(as_text=True)  # a reload keeps the same secret
    wrong = post_form(client, "/account/two-step", {"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                     else "111111"}, page="/account/two-step")
    assert wrong.status_code == 400 and "That code is not right" in wrong.get_data(as_text=True)
    assert not mfa.is_enrolled(db.session, user.id)
    assert [e.details["purpose"] for e in events("mfa_code_failed")] == ["enrolment"]

    ok = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, page="/account/two-step")
    codes = re.findall(r"<li><code>([A-Z0-9-]{19})</code></li>", ok.get_data(as_text=True))
    assert len(set(codes)) == 10 and mfa.is_enrolled(db.session, user.id)
    stored = db.session.scalars(select(MfaRecoveryCode.code_hash).where(MfaRecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert {rules.recovery_hash(c) for c in codes} == set(stored)
    assert [e.severity for e in events("mfa_enrolled")] == ["info"]
    assert "already on" in client.get("/account/two-step", follow_redirects=True).get_data(as_text=True)


def test_the_same_code_twice_the_second_is_refused(app, factory, frozen):
    user = factory.user("admin")
    code = code_at(NOW)
    assert mfa.verify(db.session, actor(user), user.id, code) == "totp"
    with pytest.raises(Refused) as refused:
        mfa.verify(db.session, actor(user), user.id, code)
    assert refused.value.code == "MFA_REPLAYED"
    # an older step inside the window is a replay too: the last used step only moves forward
    with pytest.raises(Refused) as older:
        mfa.verify(db.session, actor(user), user.id, code_at(NOW - timedelta(seconds=30)))
    assert older.value.code == "MFA_REPLAYED"
    assert len(events("mfa_code_replayed")) == 2


@pytest.mark.parametrize("offset, accepted", [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_one_step_either_side_is_accepted_two_are_not(app, factory, frozen, offset, accepted):
    user = factory.user("admin")
    code = code_at(NOW + timedelta(seconds=offset))
    if accepted:
        assert mfa.verify(db.session, actor(user), user.id, code) == "totp"
        assert db.session.get(UserMfa, user.id).last_used_step == rules.step_at(NOW) + offset // 30
    else:
        with pytest.raises(Refused) as refused:
            mfa.verify(db.session, actor(user), user.id, code)
        assert refused.value.code == "MFA_WRONG_CODE"


def test_each_recovery_code_works_once(app, client, auth, factory):
    user = factory.user("customer")
    _, codes = enrol_through_pages(client, auth, user.email)
    assert mfa.verify(db.session, actor(user), user.id, codes[0].lower().replace("-", " ")) == "recovery"
    with pytest.raises(Refused):
        mfa.verify(db.session, actor(user), user.id, codes[0])
    assert mfa.verify(db.session, actor(user), user.id, codes[1]) == "recovery"
    assert mfa.recovery_codes_left(db.session, user.id) == 8


def test_sign_in_asks_for_the_code_after_the_password(app, client, auth, factory):
    admin = factory.user("admin")
    first = post_form(client, "/login", {"email": admin.email, "password": PASSWORD}, page="/login")
    assert first.status_code == 302 and first.headers["Location"].endswith("/login/code")
    assert client.get("/").headers["Location"].startswith("/login")  # not signed in yet
    bad = post_form(client, "/login/code", {"code": "12345"}, page="/login/code")
    assert bad.status_code == 400
    good = auth.second_step(code_at(datetime.now(timezone.utc)))
    assert good.status_code == 302 and client.get("/").status_code == 200


def test_a_recovery_code_signs_in(app, client, auth, factory):
    user = factory.user("customer")
    _, codes = enrol_through_pages(client, auth, user.email)
    auth.logout()
    response = auth.login(user.email, code=codes[3], follow_redirects=True)
    assert "recovery code; 9 left" in response.get_data(as_text=True)


@pytest.fixture
def app_config(database_url):
    return {"LOGIN_RATE_LIMIT": "3 per minute"}


def test_code_attempts_are_limited_like_passwords(app, client, factory):
    admin = factory.user("admin")
    post_form(client, "/login", {"email": admin.email, "password": PASSWORD}, page="/login")
    token = csrf_token(client, "/login/code")
    answers = [client.post("/login/code", data={"code": "000001", "csrf_token": token}).status_code
               for _ in range(4)]
    assert answers == [400, 400, 400, 429]
    assert len(events("mfa_locked_out")) == 1
    # even the right code is not checked during the lock-out
    assert client.post("/login/code", data={"code": pyotp.TOTP(TOTP_SECRET).now(),
                                            "csrf_token": token}).status_code == 429


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_an_admin_or_auditor_without_mfa_reaches_only_enrolment(app, client, auth, factory, role):
    user = factory.user(role, mfa=False)
    assert auth.login(user.email).status_code == 302
    for url in ("/", "/audit/", "/people/", "/account", "/account/password"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-step", url
    assert post_form(client, "/people/new", {"display_name": "X", "email": "x@example.test",
                                             "roles": "customer"}, page="/account/two-step").status_code == 302
    assert client.get("/account/two-step").status_code == 200
    secret = re.search(r'data-secret="([A-Z2-7]+)"', client.get("/account/two-step").get_data(as_text=True)).group(1)
    post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, page="/account/two-step")
    assert client.get("/", follow_redirects=True).status_code == 200  # an auditor's home is the audit log
    assert client.get("/audit/").status_code == 200


def test_a_customer_without_mfa_is_not_forced(app, client, auth, factory):
    auth.login(factory.user("customer").email)
    assert client.get("/account").status_code == 200


def test_the_secret_is_not_readable_in_the_database_without_the_key(app, factory, raw):
    user = factory.user("admin")
    stored = raw.execute(text(f"SELECT secret_encrypted FROM {raw.private('user_mfa')} WHERE user_id = :u"),
                         {"u": str(user.id)}).scalar()
    assert TOTP_SECRET not in stored and TOTP_SECRET.lower() not in stored.lower()
    with app.app_context():
        assert open_sealed(stored) == TOTP_SECRET
    other = type(app)(app.import_name)
    other.config.update(SECRET_KEY="another-key")
    with other.app_context(), pytest.raises(SecretUnreadable):
        open_sealed(stored)
    separate = type(app)(app.import_name)
    separate.config.update(SECRET_KEY="test-secret", MFA_ENCRYPTION_KEY="a separate key")
    with separate.app_context(), pytest.raises(SecretUnreadable):
        open_sealed(stored)  # MFA_ENCRYPTION_KEY, when set, is the key


def test_turning_off_and_new_codes_need_the_password_and_a_code(app, client, auth, factory, frozen):
    user = factory.user("customer", mfa=True)
    with pytest.raises(Refused) as wrong_password:
        mfa.turn_off(db.session, actor(user), user.id, "not my password", code_at(NOW))
    assert wrong_password.value.code == "WRONG_PASSWORD"
    with pytest.raises(Refused) as no_code:
        mfa.renew_recovery_codes(db.session, actor(user), user.id, PASSWORD, "123")
    assert no_code.value.code == "MFA_WRONG_CODE"
    codes = mfa.renew_recovery_codes(db.session, actor(user), user.id, PASSWORD, code_at(NOW))
    assert len(codes) == 10
    frozen.at = NOW + timedelta(seconds=30)
    mfa.turn_off(db.session, actor(user), user.id, PASSWORD, code_at(frozen.at))
    assert not mfa.is_enrolled(db.session, user.id)
    assert db.session.scalar(select(MfaRecoveryCode.id).where(MfaRecoveryCode.user_id == user.id)) is None
    assert [e.category for e in events("mfa_turned_off")] == ["security"]


def test_admins_cannot_turn_it_off(app, factory, frozen):
    admin = factory.user("admin")
    with pytest.raises(Refused) as refused:
        mfa.turn_off(db.session, actor(admin), admin.id, PASSWORD, code_at(NOW))
    assert refused.value.code == "MFA_REQUIRED" and mfa.is_enrolled(db.session, admin.id)


def test_an_admin_resets_another_users_factor_and_ends_their_sessions(app, client, auth, factory):
    admin, auditor = factory.user("admin"), factory.user("auditor")
    auditor_client = app.test_client()
    type(auth)(auditor_client).login(auditor.email)
    assert auditor_client.get("/audit/").status_code == 200
    auth.login(admin.email)
    page = client.get(f"/people/{auditor.id}/two-step-reset").get_data(as_text=True)
    assert "signed out everywhere" in page
    response = post_form(client, f"/people/{auditor.id}/two-step-reset", page=f"/people/{auditor.id}")
    assert response.status_code == 302
    assert not mfa.is_enrolled(db.session, auditor.id)
    assert auditor_client.get("/audit/").headers["Location"].startswith("/login")  # signed out at once
    row, = events("mfa_reset")
    assert row.severity == "warning" and row.category == "governance" and row.target_id == auditor.id
    assert TOTP_SECRET not in str(row.details)


def test_an_admin_cannot_reset_their_own_factor_that_way(app, factory):
    admin = factory.user("admin")
    with pytest.raises(Refused) as refused:
        mfa.reset_by_admin(db.session, actor(admin), admin.id)
    assert refused.value.code == "SELF" and mfa.is_enrolled(db.session, admin.id)


def test_after_a_key_change_the_code_is_refused_plainly_and_recovery_codes_still_work(app, client, auth, factory):
    user = factory.user("customer")
    _, codes = enrol_through_pages(client, auth, user.email)
    app.config["SECRET_KEY"] = "a rotated key"
    with pytest.raises(Refused) as refused:
        mfa.verify(db.session, actor(user), user.id, pyotp.TOTP(TOTP_SECRET).now())
    assert refused.value.code == "MFA_UNREADABLE" and "ask an admin to reset" in refused.value.message
    assert [e.action for e in events("mfa_secret_unreadable")] == ["mfa_secret_unreadable"]
    assert mfa.verify(db.session, actor(user), user.id, codes[0]) == "recovery"


def test_only_an_admin_resets_a_factor_and_an_operator_can_from_the_command_line(app, runner, factory):
    auditor, other = factory.user("auditor"), factory.user("admin")
    with pytest.raises(Refused) as refused:
        mfa.reset_by_admin(db.session, actor(auditor), other.id)
    assert refused.value.code == "NOT_ADMIN" and mfa.is_enrolled(db.session, other.id)
    result = runner.invoke(args=["reset-two-step", other.email.upper()])
    assert result.exit_code == 0, result.output
    assert not mfa.is_enrolled(db.session, other.id)
    row, = events("mfa_reset")
    assert row.admin_user_id is None and row.details["by"] == "operator" and row.severity == "warning"
    again = runner.invoke(args=["reset-two-step", other.email])
    assert again.exit_code != 0 and "no two-step sign-in" in again.output


def test_password_and_code_guesses_on_the_settings_forms_are_limited(app, client, auth, factory):
    user = factory.user("customer", mfa=True)
    auth.login(user.email)
    answers = [post_form(client, "/account/two-step/off", {"off-password": PASSWORD, "off-code": "000001"},
                         page="/account").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429] and mfa.is_enrolled(db.session, user.id)
