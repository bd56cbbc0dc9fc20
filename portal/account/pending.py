"""The half-way state between a correct password and a correct second-step code."""
from __future__ import annotations

import time

from flask import redirect, session, url_for

PENDING = "mfa_pending"
PENDING_SECONDS = 300  # the password step is good for five minutes


def begin_second_step(user, next_target: str | None):
    """After a correct password for a user with two-step sign-in: not signed in yet."""
    session.clear()
    session[PENDING] = {"user_id": str(user.id), "next": next_target or "", "since": int(time.time())}
    return redirect(url_for("account.second_step"))


def pending_sign_in() -> dict | None:
    """The pending step, or None when there is none or it is older than five minutes."""
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    return pending
