"""Idle and absolute session lifetimes (security.md "Sign-in").

The signed cookie carries when the sign-in happened and when the session was last
used. A session unused for `SESSION_IDLE_MINUTES`, or older than
`SESSION_MAX_HOURS`, ends: the person signs in again. The cookie's signature itself
expires after `SESSION_MAX_HOURS` too (`PERMANENT_SESSION_LIFETIME`).
"""
from __future__ import annotations

import time

from flask import current_app, flash, g, session
from flask_login import logout_user

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
SESSION_ENDED = "session_ended"  # flag on `g`: this request ended the session
TOUCH_EVERY_SECONDS = 30  # do not rewrite the cookie on every request


def now() -> float:
    """Seconds since the epoch (tests travel in time by replacing this)."""
    return time.time()


def begin() -> None:
    """Called right after sign-in."""
    session[SIGNED_IN_AT] = session[SEEN_AT] = now()


def enforce() -> None:
    """Before every request: end an idle or too old session; note the activity."""
    if "_user_id" not in session:
        return
    moment = now()
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    idle = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    longest = int(current_app.config["SESSION_MAX_HOURS"]) * 3600
    if (not isinstance(started, (int, float)) or not isinstance(seen, (int, float))
            or moment - seen > idle or moment - started > longest):
        logout_user()
        session.clear()
        g.setdefault(SESSION_ENDED, True)
        flash("Your session has ended. Please sign in again.", "info")
        return
    if moment - seen >= TOUCH_EVERY_SECONDS:
        session[SEEN_AT] = moment
