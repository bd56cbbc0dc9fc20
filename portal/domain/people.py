"""People's vocabulary: roles an admin may give at creation, four-eyes proposals, states.

Pure (no Flask, no session). Labels are what pages show.
"""
from __future__ import annotations

from datetime import datetime, timedelta

# Roles an admin can give when creating an account: `stylist` only through a
# promotion, `admin` only through a four-eyes proposal.
CREATABLE_ROLES = ("customer", "auditor")
ROLE_LABELS = {"admin": "Admin", "auditor": "Auditor", "stylist": "Stylist", "customer": "Customer"}

GRANT, REMOVE = "grant", "remove"
PROPOSAL_CHANGES = (GRANT, REMOVE)
PENDING, CONFIRMED, LAPSED, CANCELLED = "pending", "confirmed", "lapsed", "cancelled"
PROPOSAL_STATES = (PENDING, CONFIRMED, LAPSED, CANCELLED)
PROPOSAL_LIFETIME = timedelta(hours=72)
CHANGE_LABELS = {GRANT: "Make admin", REMOVE: "Remove admin role"}
STATE_LABELS = {PENDING: "Waiting for a second admin", CONFIRMED: "Confirmed",
                LAPSED: "Lapsed (not confirmed within 72 hours)", CANCELLED: "Withdrawn"}

PASSWORD_LINK_LIFETIME = timedelta(hours=24)
MAX_NAME, MAX_EMAIL = 120, 254


def has_lapsed(expires_at: datetime, now: datetime) -> bool:
    """A proposal (or a link) is usable strictly before its expiry instant."""
    return now >= expires_at


def clean_email(value: str | None) -> str | None:
    """The stripped email, or None when it is not a plausible address."""
    email = (value or "").strip()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > MAX_EMAIL or any(c.isspace() for c in email):
        return None
    return email


def clean_name(value: str | None) -> str | None:
    name = " ".join((value or "").split())
    return name if 0 < len(name) <= MAX_NAME else None
