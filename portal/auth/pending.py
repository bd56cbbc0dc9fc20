"""Signing in in two steps: the half-way state between a correct password and a correct
second-step code, and what the person is told once signed in."""
from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, session, url_for

from portal.domain.translatable import Msg
from portal.i18n import translate

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


def tell_about_pauses(pauses: list) -> None:
    """security.md: the user is told at their next sign-in that their account's sign-in
    was paused (someone else failed too often)."""
    if pauses:
        when = max(pauses).astimezone(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"]))
        flash(translate(Msg("Since you last signed in, sign-in to your account was paused after many failed "
                            "attempts (the last time on %(when)s). If they were not yours, change your password.",
                            when=when)), "warning")
