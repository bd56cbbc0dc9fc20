"""People's vocabulary: roles an admin may give at creation, four-eyes proposals (the
admin role, and an admin's password link or two-step reset), their states and why a
proposal lapsed.

Pure (no Flask, no session). Labels are what pages show.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from portal.domain.roles import AUDITOR, CUSTOMER
from portal.domain.translatable import N_

# Roles an admin can give when creating an account: `stylist` only through a
# promotion, `admin` only through a four-eyes proposal.
CREATABLE_ROLES = (CUSTOMER, AUDITOR)

GRANT, REMOVE = "grant", "remove"
PROPOSAL_CHANGES = (GRANT, REMOVE)
PENDING, CONFIRMED, LAPSED, CANCELLED = "pending", "confirmed", "lapsed", "cancelled"
PROPOSAL_STATES = (PENDING, CONFIRMED, LAPSED, CANCELLED)
PROPOSAL_LIFETIME = timedelta(hours=72)
CHANGE_LABELS = {GRANT: N_("Make admin"), REMOVE: N_("Remove admin role")}
STATE_LABELS = {PENDING: N_("Waiting for a second admin"), CONFIRMED: N_("Confirmed"),
                LAPSED: N_("Lapsed (not confirmed within 72 hours)"), CANCELLED: N_("Withdrawn")}

# Four-eyes credential resets: for an admin's account, a password link or a two-step
# reset is proposed by one admin and confirmed by another (neither the proposer nor the
# person concerned), since together they would let one admin act as two.
PASSWORD_LINK, TWO_STEP_RESET = "password_link", "two_step_reset"
CREDENTIAL_RESETS = (PASSWORD_LINK, TWO_STEP_RESET)
RESET_LABELS = {PASSWORD_LINK: N_("Issue a password link"), TWO_STEP_RESET: N_("Reset two-step sign-in")}

# Why a proposal lapsed: nobody confirmed it in time; its proposer is no longer an
# active admin; or a credential reset (password link issued or used, two-step reset) of
# the proposer, of the person concerned or of an admin who could have confirmed it.
EXPIRED, PROPOSER_GONE, CREDENTIAL_RESET = "expired", "proposer_not_admin", "credential_reset"
LAPSE_REASONS = (EXPIRED, PROPOSER_GONE, CREDENTIAL_RESET)
LAPSE_LABELS = {
    EXPIRED: N_("Lapsed (not confirmed within 72 hours)"),
    PROPOSER_GONE: N_("Lapsed (the proposer is no longer an admin)"),
    CREDENTIAL_RESET: N_("Lapsed (a password or two-step sign-in was reset meanwhile)"),
}

PASSWORD_LINK_LIFETIME = timedelta(hours=24)
MAX_NAME, MAX_EMAIL = 120, 254


def has_lapsed(expires_at: datetime, now: datetime) -> bool:
    """A proposal (or a link) is usable strictly before its expiry instant."""
    return now >= expires_at


def state_label(status: str, lapse_reason: str | None = None) -> str:
    """A proposal's state in words (untranslated: pages pass it through `translate`)."""
    if status == LAPSED and lapse_reason in LAPSE_LABELS:
        return LAPSE_LABELS[lapse_reason]
    return STATE_LABELS[status]


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
