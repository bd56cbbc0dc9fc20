"""TOTP rules (RFC 6238 via pyotp): pure functions, no Flask, no session.

- a code is accepted for the current time step or one step either side (±30 s);
- each step is used at most once per user: a code whose step is not after the last
  accepted step is a replay and is refused;
- a code may be typed with Devanagari digits (०-९, what a Nepali keyboard types): it is
  the same code; digits of other scripts match nothing (and the forms refuse them);
- recovery codes: ten random codes of 16 base32 characters (80 bits each), shown
  once; stored as SHA-256 hashes (high-entropy codes need no slow hash).
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import pyotp

from portal.domain.input_bounds import typed_digits

STEP_SECONDS = 30
WINDOW = 1  # steps either side
DIGITS = 6
RECOVERY_CODE_COUNT = 10
ISSUER = "KB Stylish"
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_secret() -> str:
    return pyotp.random_base32()


def step_at(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at_step(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def matching_step(secret: str, code: str, moment: datetime, last_used_step: int | None) -> tuple[int | None, bool]:
    """(the step the code matches within the window, whether that is a replay).

    (None, False) when the code matches no step in the window.
    """
    code = normalise_totp(code)
    if code is None:
        return None, False
    now = step_at(moment)
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step, last_used_step is not None and step <= last_used_step
    return None, False


def normalise_totp(code: str | None) -> str | None:
    """The six ASCII digits of a typed code (spaces dropped, Devanagari digits read as
    0-9), or None when it is not one."""
    digits = typed_digits("".join((code or "").split()))
    if digits is None or len(digits) != DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=account, issuer_name=ISSUER)


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    return codes


def normalise_recovery(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def recovery_hash(code: str) -> str:
    return hashlib.sha256(normalise_recovery(code).encode()).hexdigest()


def looks_like_recovery(code: str | None) -> bool:
    return len(normalise_recovery(code)) == 16
