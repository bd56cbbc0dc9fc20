"""The messages settings (messages.md, operations.md): defaults and the start-up check.

`load_config` (portal/config.py) merges `DEFAULTS`, reads `ENV_NAMES` from the
environment and stops start-up on every problem `problems()` names: a set setting is
never ignored, `sparrow` without its token or sender refuses to start, and outside the
`log` providers `PUBLIC_BASE_URL` is required (never taken from a request's Host).
"""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlsplit

from portal.domain.messages import parse_hour, parse_window

DEFAULTS: dict[str, Any] = {
    "SMS_PROVIDER": "log",
    "SPARROW_SMS_URL": "https://api.sparrowsms.com/v2",
    "SPARROW_SMS_TOKEN": None,
    "SPARROW_SMS_FROM": None,
    "EMAIL_PROVIDER": "log",
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": True,
    "MAIL_FROM": None,
    "QUIET_HOURS": "21:00-08:00",
    "REMINDER_HOUR": "18:00",
    "PUBLIC_BASE_URL": None,
    "WORKER_BROKER_URL": None,
    "SALON_NAME": "KB Stylish",
    "SALON_PHONE": "",
    "MESSAGE_RETRY_BASE_SECONDS": 60,  # about 1, 2, 4 … minutes between temporary failures
    "MESSAGE_LEASE_SECONDS": 120,  # a worker killed mid-send: its message is taken over after this
    "MESSAGE_PAUSE_CHECK_SECONDS": 120,  # a paused channel's account is checked again this often
    "MESSAGE_SEND_TIMEOUT_SECONDS": 15,  # one provider call
    "BOOKING_LINK_RATE_LIMIT": "20 per minute",
}
ENV_NAMES = tuple(DEFAULTS)
SECRET_NAMES = ("SPARROW_SMS_TOKEN", "SMTP_PASSWORD")
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
NUMBERS = ("SMTP_PORT", "MESSAGE_RETRY_BASE_SECONDS", "MESSAGE_LEASE_SECONDS", "MESSAGE_PAUSE_CHECK_SECONDS",
           "MESSAGE_SEND_TIMEOUT_SECONDS")


BROKER_SCHEMES = ("redis", "rediss", "sqlite")  # the workers' queue: Redis, or a SQLite file for one host


def problems(config: Mapping[str, Any]) -> list[str]:
    """Every reason the messages settings cannot work (empty: they can)."""
    found = []
    sms, email = config.get("SMS_PROVIDER"), config.get("EMAIL_PROVIDER")
    if sms not in ("log", "sparrow"):
        found.append(f"SMS_PROVIDER must be log or sparrow, not {sms!r}.")
    if email not in ("log", "smtp"):
        found.append(f"EMAIL_PROVIDER must be log or smtp, not {email!r}.")
    if sms == "sparrow":
        for name in ("SPARROW_SMS_TOKEN", "SPARROW_SMS_FROM"):
            if not config.get(name):
                found.append(f"SMS_PROVIDER=sparrow needs {name}.")
        if not _is_http_url(config.get("SPARROW_SMS_URL")):
            found.append("SPARROW_SMS_URL must be an http(s) URL.")
    if email == "smtp":
        for name in ("SMTP_HOST", "MAIL_FROM"):
            if not config.get(name):
                found.append(f"EMAIL_PROVIDER=smtp needs {name}.")
    base = config.get("PUBLIC_BASE_URL")
    if base and not _is_http_url(base):
        found.append("PUBLIC_BASE_URL must be an http(s) URL such as https://book.example.com.")
    if not base and (sms != "log" or email != "log"):
        found.append("PUBLIC_BASE_URL is required when messages leave the machine (SMS_PROVIDER or "
                     "EMAIL_PROVIDER other than log): customers' links point there.")
    try:
        parse_window(config.get("QUIET_HOURS"))
    except ValueError:
        found.append(f"QUIET_HOURS must be HH:MM-HH:MM or empty, not {config.get('QUIET_HOURS')!r}.")
    try:
        parse_hour(config.get("REMINDER_HOUR"))
    except ValueError:
        found.append(f"REMINDER_HOUR must be HH:MM, not {config.get('REMINDER_HOUR')!r}.")
    for name in NUMBERS:
        try:
            if float(config.get(name)) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            found.append(f"{name} must be a positive number, not {config.get(name)!r}.")
    try:
        if float(config["MESSAGE_LEASE_SECONDS"]) <= float(config["MESSAGE_SEND_TIMEOUT_SECONDS"]):
            found.append("MESSAGE_LEASE_SECONDS must be longer than MESSAGE_SEND_TIMEOUT_SECONDS (a lease "
                         "covers one provider call).")
    except (TypeError, ValueError):
        pass  # named above
    broker = config.get("WORKER_BROKER_URL")
    if broker and urlsplit(str(broker)).scheme not in BROKER_SCHEMES:
        found.append("WORKER_BROKER_URL must be redis://… (or sqlite:///path for one host).")
    return found


def public_base_url(config: Mapping[str, Any]) -> str:
    return str(config.get("PUBLIC_BASE_URL") or DEVELOPMENT_BASE_URL).rstrip("/")


def _is_http_url(value: Any) -> bool:
    parts = urlsplit(str(value or ""))
    return parts.scheme in ("http", "https") and bool(parts.netloc)
