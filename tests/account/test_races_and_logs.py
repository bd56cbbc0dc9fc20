"""Single use holds under concurrency (PostgreSQL), and no log row ever holds a
password, a TOTP secret, a recovery code or a link token."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timezone

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.actor import Actor
from portal.domain import mfa as rules
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import ServiceManagementLog
from portal.services.identity import mfa, passwords
from tests.web import PASSWORD, TOTP_SECRET, post_form


def actor(user) -> Actor:
    return Actor(user.id, user.display_name, "127.0.0.1", "pytest")


def race(app, n, work):
    barrier, outcomes = threading.Barrier(n), []

    def run():
        with app.app_context():
            session = Session(db.engine)
            barrier.wait()
            try:
                outcomes.append(work(session))
            except Refused as refused:
                outcomes.append(refused.code)
            finally:
                session.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


@pytest.mark.postgresql_only
def test_one_code_sent_eight_times_at_once_signs_in_once(app, factory):
    admin = factory.user("admin")
    code = rules.code_at_step(TOTP_SECRET, rules.step_at(datetime.now(timezone.utc)))
    outcomes = race(app, 8, lambda s: mfa.verify(s, actor(admin), admin.id, code))
    assert outcomes == ["MFA_REPLAYED"] * 7 + ["totp"]


@pytest.mark.postgresql_only
def test_one_link_used_four_times_at_once_sets_one_password(app, factory):
    admin, kiran = factory.user("admin"), factory.user("customer")
    token = passwords.issue_link(db.session, actor(admin), kiran.id).token
    outcomes = race(app, 4, lambda s: passwords.set_with_link(
        s, Actor(None, "anonymous"), token, "a brand new passphrase").email)
    assert outcomes.count(kiran.email) == 1 and outcomes.count("LINK_USED") == 3


def test_no_log_row_holds_a_secret_a_code_a_token_or_a_password(app, client, auth, factory):
    admin, kiran = factory.user("admin"), factory.user("customer", password=None)
    auth.login(admin.email)
    page = post_form(client, f"/people/{kiran.id}/password-link", page=f"/people/{kiran.id}").get_data(as_text=True)
    path = "/" + re.search(r'id="one-time-link">([^<]+)<', page).group(1).split("/", 3)[3]
    auth.logout()
    new_password = "kiran's long passphrase"
    post_form(client, path, {"new_password": new_password, "confirm": new_password}, page=path)
    auth.login(kiran.email, new_password)
    enrol = client.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'data-secret="([A-Z2-7]+)"', enrol).group(1)
    post_form(client, "/account/two-step", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "1"},
              page="/account/two-step")
    done = post_form(client, "/account/two-step", {"code": pyotp.TOTP(secret).now()}, page="/account/two-step")
    codes = re.findall(r"<li><code>([A-Z0-9-]{19})</code></li>", done.get_data(as_text=True))
    post_form(client, "/account/password", {"current_password": new_password, "new_password": PASSWORD * 2,
                                            "confirm": PASSWORD * 2}, page="/account/password")
    auth.logout()
    auth.login(kiran.email, PASSWORD * 2, code=codes[0])
    auth.logout()
    auth.login(kiran.email, PASSWORD * 2, code=codes[0])  # a used recovery code: refused and logged

    rows = db.session.scalars(select(ServiceManagementLog)).all()
    actions = {r.action for r in rows}
    assert {"password_link_issued", "password_set_by_link", "mfa_code_failed", "mfa_enrolled",
            "password_changed"} <= actions
    text = " ".join(f"{r.details} {r.user_agent}" for r in rows)
    for secret_thing in [secret, path.rsplit("/", 1)[1], new_password, PASSWORD * 2, *codes,
                         *(c.replace("-", "") for c in codes)]:
        assert secret_thing not in text
