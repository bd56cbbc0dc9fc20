"""Sign-in codes typed with Devanagari digits (a Nepali keyboard) are the same code, at
sign-in and at enrolment; other scripts' digits are a form error, never a 500
(issue 22, point 7: `compare_digest` used to raise on them)."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest

from portal.domain import mfa as rules
from portal.domain.bikram_sambat import devanagari_digits
from portal.extensions import db
from portal.services.identity import mfa
from tests.web import PASSWORD, csrf_token, fresh_code

HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def hidden_fields(page: str) -> dict[str, str]:
    """What the page's form carries besides the code (the CSRF token and any other)."""
    fields = {}
    for tag in HIDDEN_RE.findall(page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_the_rules_read_devanagari_digits_and_nothing_else():
    assert rules.normalise_totp("१२३ ४५६") == "123456"
    assert rules.normalise_totp("12३४56") == "123456"
    for other in ("123456".translate(ARABIC_INDIC), "123456".translate(SUPERSCRIPT), "১২৩৪৫৬", "１２３４５６"):
        assert rules.normalise_totp(other) is None, other
    secret = pyotp.random_base32()
    now = datetime.now(timezone.utc)
    code = rules.code_at_step(secret, rules.step_at(now))
    assert rules.matching_step(secret, devanagari_digits(code), now, None)[0] == rules.step_at(now)
    assert rules.matching_step(secret, code.translate(ARABIC_INDIC), now, None) == (None, False)


def second_step_page(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")


def test_a_devanagari_code_signs_in(app, client, factory):
    admin = factory.user("admin")
    second_step_page(client, admin.email)
    code = devanagari_digits(fresh_code(app, admin.email))
    response = client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})
    assert response.status_code == 302 and client.get("/").status_code == 200


@pytest.mark.parametrize("script", [ARABIC_INDIC, SUPERSCRIPT])
def test_other_scripts_digits_are_a_form_error_at_sign_in(app, client, factory, script):
    admin = factory.user("admin")
    second_step_page(client, admin.email)
    code = fresh_code(app, admin.email).translate(script)
    response = client.post("/login/code", data={"code": code, "csrf_token": csrf_token(client, "/login/code")})
    assert response.status_code == 400
    assert "0-9 or ०-९" in response.get_data(as_text=True) and "is-invalid" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in


def enrolment_page(client) -> tuple[str, dict[str, str]]:
    page = client.get("/account/two-step").get_data(as_text=True)
    return re.search(r'data-secret="([A-Z2-7]+)"', page).group(1), hidden_fields(page)


def test_enrolment_takes_a_devanagari_code_and_refuses_other_scripts(app, client, auth, factory):
    user = factory.user("customer")
    assert auth.login(user.email).status_code == 302
    secret, hidden = enrolment_page(client)
    other = client.post("/account/two-step", data={**hidden, "code": pyotp.TOTP(secret).now().translate(ARABIC_INDIC)})
    assert other.status_code == 400 and "0-9 or ०-९" in other.get_data(as_text=True)
    assert not mfa.is_enrolled(db.session, user.id)

    secret, hidden = enrolment_page(client)
    done = client.post("/account/two-step", data={**hidden, "code": devanagari_digits(pyotp.TOTP(secret).now())})
    assert done.status_code == 200 and mfa.is_enrolled(db.session, user.id)
