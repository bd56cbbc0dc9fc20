"""Message templates (messages.md): the placeholders, the defaults per kind and language,
checking an edited template and filling one in. Pure Python.

A template is plain text with `{placeholder}` fields; `{{` and `}}` write a brace.
The stored and previewed text carries `LINK_MARK` where the customer's link goes: the
link's token is minted at each send attempt and never stored (messages.md).
"""
from __future__ import annotations

from string import Formatter

from portal.domain.translatable import N_

PLACEHOLDERS = {
    "first_name": N_("the customer's first name"),
    "date": N_("the booking's date"),
    "bs_date": N_("its Bikram Sambat date"),
    "time": N_("its start time"),
    "stylist": N_("the stylist"),
    "service": N_("the service"),
    "price": N_("the price"),
    "salon_name": N_("the salon's name"),
    "salon_phone": N_("the salon's phone"),
    "link": N_("the customer's link"),
}
LINK_MARK = "{link}"
LINK_TOKEN_LENGTH = 22  # secrets.token_urlsafe(16): 128 bits
MAX_BODY = 640
MAX_SUBJECT = 150

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    ("confirmation", "en"): (
        "Your booking at {salon_name}",
        "{salon_name}: {first_name}, your {service} with {stylist} is booked for {date} ({bs_date}) "
        "at {time}. Keep, change or cancel: {link}"),
    ("confirmation", "ne"): (
        "{salon_name} मा तपाईंको बुकिङ",
        "{salon_name}: {first_name}, {stylist} सँग {service} {bs_date} ({date}) {time} मा बुक भयो। "
        "राख्न, बदल्न वा रद्द गर्न: {link}"),
    ("change_notice", "en"): (
        "Your booking at {salon_name} needs a new time",
        "{salon_name}: {first_name}, we cannot keep your {service} on {date} ({bs_date}) at {time}. "
        "Please choose another time, keep or cancel: {link} or call {salon_phone}"),
    ("change_notice", "ne"): (
        "{salon_name} मा तपाईंको बुकिङको समय बदल्नुपर्छ",
        "{salon_name}: {first_name}, {bs_date} {time} को तपाईंको {service} हामी राख्न सक्दैनौं। "
        "अर्को समय रोज्नुहोस्: {link} वा {salon_phone} मा फोन गर्नुहोस्"),
    ("cancellation", "en"): (
        "Your booking at {salon_name} is cancelled",
        "{salon_name}: {first_name}, your {service} on {date} ({bs_date}) at {time} is cancelled. "
        "Book again: {link}"),
    ("cancellation", "ne"): (
        "{salon_name} मा तपाईंको बुकिङ रद्द भयो",
        "{salon_name}: {first_name}, {bs_date} {time} को तपाईंको {service} रद्द भयो। "
        "फेरि बुक गर्न: {link}"),
    ("reminder", "en"): (
        "Reminder: {service} tomorrow at {time}",
        "{salon_name}: reminder, {first_name}: {service} with {stylist} tomorrow {date} at {time}. "
        "Change or cancel: {link}"),
    ("reminder", "ne"): (
        "सम्झना: भोलि {time} मा {service}",
        "{salon_name}: सम्झना, {first_name}: भोलि {bs_date} {time} मा {stylist} सँग {service}। "
        "बदल्न वा रद्द गर्न: {link}"),
}


def unknown_placeholders(text: str) -> list[str]:
    """Fields the template names that do not exist; raises ValueError on broken braces."""
    names = [field for _, field, _, _ in Formatter().parse(text) if field is not None]
    return [name for name in names if name not in PLACEHOLDERS]


def fill(text: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled in; `{link}` stays as `LINK_MARK`."""
    return text.format_map({**values, "link": LINK_MARK})


def with_link(text: str, link: str) -> str:
    """The text as sent: the link in place of its mark."""
    return text.replace(LINK_MARK, link)


def sample_link(base_url: str) -> str:
    """A link of the real length (for previews and segment counts)."""
    return f"{base_url.rstrip('/')}/b/" + "x" * LINK_TOKEN_LENGTH


# What the editor's preview fills in (a made-up booking, in each language).
SAMPLE_VALUES = {
    "en": {"first_name": "Sita", "date": "Mon 7 Dec 2026", "bs_date": "22 Mangsir 2083", "time": "10:30 AM",
           "stylist": "Anjali", "service": "Haircut", "price": "NPR 1,500"},
    "ne": {"first_name": "सीता", "date": "सोम ७ डिसेम्बर २०२६", "bs_date": "२२ मंसिर २०८३", "time": "बिहान १०:३०",
           "stylist": "अञ्जली", "service": "कपाल काट्ने", "price": "रु. १,५००"},
}


def preview(body: str, language: str, salon_name: str, salon_phone: str, base_url: str) -> str:
    """The text a customer would read, with the made-up booking and a link of real length."""
    values = {**SAMPLE_VALUES[language], "salon_name": salon_name, "salon_phone": salon_phone}
    return with_link(fill(body, values), sample_link(base_url))
