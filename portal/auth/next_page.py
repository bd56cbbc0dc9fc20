"""Where a request's `next` may send the person: only a path on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default: str | None = None) -> str:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks;
    otherwise `default` (the home page). Every `next` a request carries goes through
    this one check (sign-in, the second step, the language switch, follow-up buttons)."""
    fallback = default or url_for("dashboard.index")
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    return target
