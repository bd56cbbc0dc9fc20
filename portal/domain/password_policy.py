"""The password policy (security.md "Sign-in"): pure, no Flask.

A password must have at least `MIN_LENGTH` characters and must not be one of the
common passwords in `common_passwords.txt` (shipped with the project; compared
without regard to case or surrounding spaces). Passwords are never logged.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

MIN_LENGTH = 12
MAX_LENGTH = 1024
LIST_FILE = "common_passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files(__package__).joinpath(LIST_FILE).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problem(password: str) -> str | None:
    """What is wrong with `password`, in the person's words; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters for the password."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters for the password."
    if len(set(password)) == 1:
        return "Use a password that is not a single character repeated."
    if password.strip().lower() in common_passwords():
        return "This password is too common and easy to guess. Choose another one."
    return None
