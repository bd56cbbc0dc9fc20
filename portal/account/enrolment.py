"""The enrolment attempt a session was shown: kept in that session only.

The secret of a two-step enrolment belongs to the attempt that showed it (spec
people-and-catalogue.md): its sealed copy is kept in the signed session of the browser
that opened the set-up page, next to the user it is for. A reload there shows the same
QR code; any other session — the same person's other browser, or someone else who
knows the password — starts its own attempt with its own secret, and the code of one
attempt never turns on another's. Signing in clears the session, so an unconfirmed
attempt is discarded at the next sign-in.
"""
from __future__ import annotations

from flask import session

from portal.models import UserProfile
from portal.services.identity import mfa

ATTEMPT = "mfa_enrolment"


def shown_attempt(user: UserProfile) -> mfa.Enrolment:
    """This session's attempt for `user`, started now if it has none."""
    attempt = session.get(ATTEMPT)
    if isinstance(attempt, dict) and attempt.get("user_id") == str(user.id):
        enrolment = mfa.reopen_enrolment(user, str(attempt.get("sealed", "")))
        if enrolment is not None:
            return enrolment
    enrolment = mfa.start_enrolment(user)
    session[ATTEMPT] = {"user_id": str(user.id), "sealed": enrolment.sealed}
    return enrolment


def sealed_attempt(user: UserProfile) -> str | None:
    """The sealed secret this session was shown for `user`, if any."""
    attempt = session.get(ATTEMPT)
    if isinstance(attempt, dict) and attempt.get("user_id") == str(user.id):
        return str(attempt.get("sealed", "")) or None
    return None


def end_attempt() -> None:
    session.pop(ATTEMPT, None)
