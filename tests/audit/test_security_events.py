"""Each security event of audit.md that the portal raises is in the log, with IP and user agent."""
import pytest

from tests.audit_trail import browser, log_rows, security_event

IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux) SecurityProbe/1.0 <b>"


@pytest.fixture
def probe(client):
    return browser(client, ip=IP, user_agent=AGENT)


def test_failed_login_is_logged_with_ip_agent_and_email(app, probe, auth, people):
    people("admin", email="target@example.test")
    response = auth.login("target@example.test", password="wrong password")
    assert response.status_code == 200 and b"Wrong email or password" in response.data
    row = security_event(app, "login_failed", ip=IP, user_agent=AGENT, email="target@example.test",
                         reason="wrong_password")
    assert row["severity"] == "warning"
    assert "wrong password" not in str(row["details"])  # never the password


def test_unknown_account_login_is_logged(app, probe, auth):
    auth.login("nobody@example.test", password="whatever it is")
    security_event(app, "login_failed", ip=IP, user_agent=AGENT, email="nobody@example.test",
                   reason="unknown_user")


def test_lock_out_by_the_login_rate_limit_is_logged_once(app, probe, auth, people):
    people("admin", email="locked@example.test")
    statuses = [auth.login("locked@example.test", password=f"guess {n}").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    security_event(app, "login_locked_out", ip=IP, user_agent=AGENT, email="locked@example.test")
    assert len(log_rows(app, action="login_failed")) == 1  # sampled: one row a minute per address


def test_access_denied_is_logged_with_the_path_and_the_user(app, probe, auth, people):
    stylist = people("stylist", email="sty@example.test")
    auth.login("sty@example.test")
    assert probe.get("/audit/?category=security").status_code == 403
    row = security_event(app, "access_denied", ip=IP, user_agent=AGENT, path="/audit/", method="GET")
    assert row["admin_user_id"] == stylist.id
    assert row["target_type"] == "user_profile" and row["target_id"] == stylist.id


def test_csrf_failure_is_logged_with_the_path(app, probe, auth, people):
    people("admin", email="boss@example.test")
    auth.login("boss@example.test")
    assert probe.post("/logout", data={}).status_code == 400
    assert probe.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    rows = log_rows(app, category="security", action="csrf_failure")
    assert len(rows) == 1  # sampled: one row a minute per address (tests/security/test_sampling.py)
    assert all(r["details"]["path"] == "/logout" and str(r["ip_address"]) == IP and r["user_agent"] == AGENT
               for r in rows)
    # The session survived: the token-less POST changed nothing.
    assert probe.get("/").status_code == 200


def test_security_events_reach_the_auditor_but_never_an_admin(app, probe, auth, people):
    people("admin", email="boss@example.test")
    people("auditor", email="aud@example.test")
    auth.login("nobody@example.test", password="nope nope")
    auth.login("boss@example.test")
    page = probe.get("/audit/").get_data(as_text=True)
    assert "login_failed" not in page and "203.0.113.77" not in page
    auth.logout()
    auth.login("aud@example.test")
    page = probe.get("/audit/?category=security").get_data(as_text=True)
    assert "login_failed" in page and IP in page
    assert "SecurityProbe/1.0 &lt;b&gt;" in page and "SecurityProbe/1.0 <b>" not in page
