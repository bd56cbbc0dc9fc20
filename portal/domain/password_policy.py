"""The password policy (security.md): at least 12 characters.

Minimal version; the hardening work adds the shipped list of common passwords.
"""
from __future__ import annotations

MIN_LENGTH = 12


def password_problem(password: str) -> str | None:
    """None when the password is acceptable, else what is wrong, in people's words."""
    if len(password or "") < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    return None
