"""An enrolment's secret belongs to the attempt (the session) that was shown it: the
hijack of issue 22, point 2, fails at every step. Both engines."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import ServiceManagementLog, UserMfa
from portal.services.identity import mfa
from tests.web import AuthActions, post_form


def shown_secret(client) -> str:
    page = client.get("/account/two-step").get_data(as_text=True)
    return re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)


def enrol_with(client, code: str):
    return post_form(client, "/account/two-step", {"code": code}, page="/account/two-step")


def test_the_enrolment_hijack_fails_step_by_step(app, factory):
    victim = factory.user("admin", name="Kiran", mfa=False)
    # 1. the attacker, who knows the password, opens enrolment first and does not confirm
    attacker = app.test_client()
    assert AuthActions(attacker).login(victim.email).status_code == 302
    attackers_secret = shown_secret(attacker)
    assert shown_secret(attacker) == attackers_secret  # a reload in that session shows the same QR code
    assert db.session.get(UserMfa, victim.id) is None  # nothing is kept where another session could read it

    # 2. the real user signs in later (which ends the attacker's session) and is shown another secret
    real = app.test_client()
    AuthActions(real).login(victim.email)
    users_secret = shown_secret(real)
    assert users_secret != attackers_secret
    assert attackers_secret not in real.get("/account/two-step").get_data(as_text=True)

    # 3. a code from the attacker's secret does not turn on the real user's enrolment
    refused = enrol_with(real, pyotp.TOTP(attackers_secret).now())
    assert refused.status_code == 400 and "That code is not right" in refused.get_data(as_text=True)
    assert not mfa.is_enrolled(db.session, victim.id)

    # 4. the real user enrols with their own secret
    done = enrol_with(real, pyotp.TOTP(users_secret).now())
    assert done.status_code == 200 and "Your recovery codes" in done.get_data(as_text=True)
    assert mfa.is_enrolled(db.session, victim.id)

    # 5. the attacker signs in again with the password: codes from their secret never sign in
    again = app.test_client()
    response = AuthActions(again).login(victim.email, code=pyotp.TOTP(attackers_secret).now())
    assert response.status_code == 400 and "That code is not right" in response.get_data(as_text=True)
    assert again.get("/audit/").headers["Location"].startswith("/login")
    failed = db.session.scalars(select(ServiceManagementLog).where(
        ServiceManagementLog.action == "mfa_code_failed")).all()
    assert [row.details["purpose"] for row in failed] == ["enrolment", "sign_in"]


def test_two_sessions_get_two_secrets_and_neither_confirms_the_other(app, factory):
    user = factory.user("customer", mfa=False)
    first, second = app.test_client(), app.test_client()
    AuthActions(first).login(user.email)
    first_secret = shown_secret(first)
    AuthActions(second).login(user.email)  # the same person in another browser
    second_secret = shown_secret(second)
    assert first_secret != second_secret
    assert enrol_with(second, pyotp.TOTP(first_secret).now()).status_code == 400
    assert enrol_with(second, pyotp.TOTP(second_secret).now()).status_code == 200
    row = db.session.get(UserMfa, user.id)
    assert mfa.is_enrolled(db.session, user.id)
    with app.app_context():
        from portal.services.identity.secret_box import open_sealed
        assert open_sealed(row.secret_encrypted) == second_secret


def test_an_unconfirmed_attempt_is_discarded_at_the_next_sign_in(app, client, auth, factory):
    user = factory.user("customer", mfa=False)
    auth.login(user.email)
    before = shown_secret(client)
    auth.logout()
    auth.login(user.email)
    after = shown_secret(client)
    assert after != before
    assert enrol_with(client, pyotp.TOTP(before).now()).status_code == 400
    assert not mfa.is_enrolled(db.session, user.id)


def test_without_an_attempt_in_the_session_nothing_is_turned_on(app, client, auth, factory):
    user = factory.user("customer", mfa=False)
    auth.login(user.email)
    secret = pyotp.random_base32()
    # the set-up page was never opened in this session: there is no attempt to confirm
    response = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, page="/account")
    assert response.status_code == 400 and "Start again" in response.get_data(as_text=True)
    assert not mfa.is_enrolled(db.session, user.id)
