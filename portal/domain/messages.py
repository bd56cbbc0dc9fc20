"""Messages to customers (messages.md), the vocabulary defined once: kinds, states,
channels, skip reasons, SMS segment counting, quiet hours, retry delays and what each
Sparrow answer means. Pure Python: no Flask, no session.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from portal.domain.translatable import N_

# --- kinds, states, channels ---------------------------------------------------------------

KINDS = ("confirmation", "change_notice", "cancellation", "reminder")
KIND_LABELS = {
    "confirmation": N_("Confirmation"),
    "change_notice": N_("Change notice"),
    "cancellation": N_("Cancellation"),
    "reminder": N_("Reminder"),
}

STATES = ("queued", "sending", "sent", "failed", "skipped", "cancelled")
STATE_LABELS = {
    "queued": N_("Waiting"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "skipped": N_("Skipped"),
    "cancelled": N_("Cancelled"),
}
QUEUED = "queued"
WAITING_STATES = (QUEUED, "sending")
RETRYABLE_STATES = ("failed", "skipped", "cancelled")  # an admin may send it again
# A message's answer while its provider call is under way: a worker that dies then leaves
# it to be taken over and marked "may have been sent twice" (one merely claimed is not).
IN_FLIGHT = "handed to the provider, no answer yet"
FINAL_STATES = ("sent", "failed", "skipped", "cancelled")

CHANNELS = ("sms", "email")
CHANNEL_LABELS = {"sms": N_("SMS"), "email": N_("Email")}

LANGUAGES = ("ne", "en")
DEFAULT_LANGUAGE = "ne"

# Why a message was skipped (stored as the key, shown in words).
SKIP_REASONS = {
    "opted_out": N_("The customer asked for no messages"),
    "no_contact": N_("No mobile number or email"),
    "not_occupying": N_("The booking is no longer active"),
    "started": N_("The booking has already started"),
    "booking_gone": N_("The booking no longer exists"),
}
# Why a message failed for good.
FAILURE_REASONS = {
    "invalid_receiver": N_("The number was refused as invalid"),
    "refused_text": N_("The provider refused the message (the portal's fault: see the log)"),
    "expired": N_("Temporary failures for 24 hours"),
    "invalid_address": N_("The email address was refused"),
}
PAUSE_SENTENCE = N_("Sending %(channel)s is paused: %(reason)s. Nothing is lost; messages wait and "
                    "go out once the account works.")

# A customer's answer through the link, as the note of the follow-up record it writes
# ("contacted" for keep: the booking stays on the admins' list, which shows the answer).
LINK_KEPT = "customer_link:kept"
LINK_CANCELLED = "customer_link:cancelled"
LINK_ANSWERS = {
    LINK_KEPT: N_("The customer wants to keep it (answered through their link)"),
    LINK_CANCELLED: N_("The customer cancelled it through their link"),
}


def dedupe_key(kind: str, booking_id, qualifier: str) -> str:
    """One message per event: reminder per booking and day, notice per booking and cause,
    confirmation per booking and time, cancellation per booking."""
    return f"{kind}:{booking_id}:{qualifier}"


# --- SMS segments (what the salon pays) -----------------------------------------------------

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # characters as the network counts them
    segments: int


def sms_size(text: str) -> SmsSize:
    """GSM-7: 160 characters in one SMS, 153 per part when longer (extended characters
    count twice); UCS-2 as soon as one other character appears: 70, then 67 per part
    (characters outside the basic plane count twice)."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        length = sum(2 if c in GSM7_EXTENDED else 1 for c in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        length = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, part, encoding = 70, 67, "UCS-2"
    if length == 0:
        return SmsSize(encoding, 0, 0)
    segments = 1 if length <= single else -(-length // part)
    return SmsSize(encoding, length, segments)


# --- phones ---------------------------------------------------------------------------------

NEPAL_MOBILE = re.compile(r"^\+9779[678]\d{8}$")


def is_nepal_mobile(phone: str | None) -> bool:
    """A Nepali mobile number in E.164 (+977 98…/97…/96…): these get SMS."""
    return bool(phone and NEPAL_MOBILE.match(phone.replace(" ", "")))


def sparrow_number(phone: str) -> str:
    """The 10-digit national number Sparrow wants."""
    return phone.replace(" ", "")[-10:]


def masked_phone(phone: str | None) -> str:
    """`+97798•••••567`: enough to recognise, not to copy."""
    if not phone:
        return ""
    return phone[:6] + "•" * max(len(phone) - 9, 0) + phone[-3:]


def channel_for(phone: str | None, email: str | None) -> tuple[str, str] | None:
    """(channel, address): SMS to a Nepali mobile, else email, else None (no contact)."""
    if is_nepal_mobile(phone):
        return "sms", phone.replace(" ", "")
    if email and "@" in email:
        return "email", email.strip()
    return None


# --- quiet hours ----------------------------------------------------------------------------

def parse_window(text: str | None) -> tuple[time, time] | None:
    """`21:00-08:00` → (21:00, 08:00); empty or `off` → None. Raises ValueError on anything else."""
    value = (text or "").strip()
    if value.lower() in ("", "off", "none"):
        return None
    match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", value)
    if not match:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    if start == end:
        raise ValueError(f"{text!r} is an empty window")
    return start, end


def parse_hour(text: str) -> time:
    """`18:00` → 18:00 (REMINDER_HOUR)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not HH:MM")
    return time(int(match.group(1)), int(match.group(2)))


def quiet_until(local_now: datetime, window: tuple[time, time] | None) -> datetime | None:
    """When the quiet hours around `local_now` (aware, salon time) end; None when not quiet."""
    if window is None:
        return None
    start, end = window
    now_t = local_now.timetz().replace(tzinfo=None)
    day = local_now.date()
    if start < end:  # e.g. 13:00-14:00 within a day
        if start <= now_t < end:
            return datetime.combine(day, end, local_now.tzinfo)
        return None
    if now_t >= start:  # over midnight: evening part
        return datetime.combine(day + timedelta(days=1), end, local_now.tzinfo)
    if now_t < end:  # morning part
        return datetime.combine(day, end, local_now.tzinfo)
    return None


# --- retries --------------------------------------------------------------------------------

RETRY_WINDOW = timedelta(hours=24)


def retry_delay(attempt: int, base_seconds: float, cap_seconds: float = 3600) -> timedelta:
    """About 1, 2, 4 … minutes (with `base_seconds` 60) after the 1st, 2nd, 3rd attempt; capped."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempt - 1, 0), cap_seconds))


# --- what the provider answered -------------------------------------------------------------

SENT, FAILED, FAILED_ALERT, PAUSE, RETRY = "sent", "failed", "failed_alert", "pause", "retry"

SPARROW_INVALID_RECEIVER = {1007, 1011}
SPARROW_PORTAL_FAULT = {1000, 1010}
SPARROW_ACCOUNT = {1001, 1002, 1003, 1004, 1005, 1006, 1008, 1012, 1013}


def sparrow_verdict(http_status: int, response_code: int | None) -> str:
    """What one Sparrow answer means for the message (messages.md)."""
    if http_status == 200 and response_code in (200, None):
        return SENT
    if http_status == 403 or response_code is not None:
        if response_code in SPARROW_INVALID_RECEIVER:
            return FAILED
        if response_code in SPARROW_PORTAL_FAULT:
            return FAILED_ALERT
        if response_code in SPARROW_ACCOUNT:
            return PAUSE
    return RETRY
