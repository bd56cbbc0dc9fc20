"""Phone numbers as the portal keys customers by them (front-desk.md): E.164 text.

Pure: parsing is the maintained `phonenumbers` library with Nepal as the home region,
so `9841234567`, `984-1234567`, `+977 984 1234567` and `00977 984 1234567` are one
number, `+9779841234567`. A number that is not a valid Nepali or international number
is refused, naming the field.
"""
from __future__ import annotations

import phonenumbers

from portal.domain.refusals import Refused
from portal.domain.translatable import N_

HOME_REGION = "NP"
INVALID_PHONE = "INVALID_PHONE"
INVALID_PHONE_MESSAGE = N_("Give a valid phone number (for example 9841234567).")


def normalise_phone(text: str | None, field: str = "phone") -> str:
    """The E.164 form of ``text`` (`+9779841234567`), or a `Refused` on ``field``."""
    typed = (text or "").strip()
    if typed.startswith("00"):
        typed = "+" + typed[2:]
    try:
        number = phonenumbers.parse(typed, HOME_REGION)
    except phonenumbers.NumberParseException:
        raise Refused(INVALID_PHONE, INVALID_PHONE_MESSAGE, (field,)) from None
    if not phonenumbers.is_valid_number(number):
        raise Refused(INVALID_PHONE, INVALID_PHONE_MESSAGE, (field,))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_or_none(text: str | None) -> str | None:
    """The E.164 form, or None when ``text`` is not a valid number (an unmatched phone)."""
    try:
        return normalise_phone(text)
    except Refused:
        return None


def masked_phone(e164: str) -> str:
    """A list's view of a phone (ui.md, front-desk.md): `98•••••567` — the national
    number's first two and last three digits."""
    try:
        national = str(phonenumbers.parse(e164, HOME_REGION).national_number)
    except phonenumbers.NumberParseException:
        national = "".join(ch for ch in e164 if ch.isdigit())
    if len(national) <= 5:
        return "•" * len(national)
    return national[:2] + "•" * (len(national) - 5) + national[-3:]
