"""The per-account ceiling (security.md "Logs that cannot be flooded or bent"): failed
passwords and codes for one account from all addresses together, at most
`ACCOUNT_FAILURES_PER_HOUR` (default 50) in an hour. Above it the account's sign-in
pauses for the rest of that hour — a right password waits too — and the user is told
at their next sign-in (`accounts.start_session` finds the `account_sign_in_paused` row).

Counted in the limiter's storage (`throttle.count`, so every worker shares it), keyed by
the email tried: an address nobody has pauses the same way, so the pause tells an
attacker nothing about which accounts exist. The per-address limits
(`LOGIN_RATE_LIMIT`) still apply first.
"""
from __future__ import annotations

from flask import current_app

from portal import throttle
from portal.auth.identity import current_actor
from portal.database import fresh_snapshot
from portal.domain.input_bounds import visible
from portal.domain.translatable import N_
from portal.extensions import db
from portal.services.audit.security import record_sampled_security_event, record_security_event
from portal.services.identity import accounts

WINDOW_SECONDS = 3600
PAUSED = N_("Sign-in to this account is paused for now after too many failed attempts. Please try again later.")


def _key(email: str) -> str:
    return f"account-failures:{email.strip().lower()}"


def _ceiling() -> int:
    return int(current_app.config["ACCOUNT_FAILURES_PER_HOUR"])


def paused_for(email: str) -> int | None:
    """Seconds the account's sign-in stays paused, or None when it is open."""
    failures, seconds_left = throttle.counted(_key(email))
    return max(1, seconds_left) if failures >= _ceiling() else None


def failed(email: str) -> None:
    """One more failed password or code for the account; the one that reaches the
    ceiling records the pause (once an hour per account)."""
    if throttle.count(_key(email), WINDOW_SECONDS) != _ceiling():
        return
    user = accounts.find_user_by_email(db.session, email)
    details = {"email": visible(email.strip().lower()), "limit": _ceiling(), "per": "hour"}
    if user is None:  # nobody to tell: sampled like any anonymous event
        record_sampled_security_event(current_actor(), "account_sign_in_paused", **details)
    else:
        user_id = user.id
        fresh_snapshot(db.session)  # end the read: the event takes a connection of its own
        record_security_event(current_actor(), "account_sign_in_paused", about=user_id, **details)
