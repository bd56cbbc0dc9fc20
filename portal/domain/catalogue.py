"""Catalogue vocabulary and money: prices are shown in rupees and stored in paisa.

Pure (no Flask, no session). `rupees_to_paisa` parses exactly (digits, never a
float): "1,500.50" → 150050 (Devanagari digits read as 0-9, other scripts' refused); more than two decimals, negatives and amounts beyond
the column's range are refused with a sentence a person can act on.
"""
from __future__ import annotations

import re

from portal.domain.input_bounds import OTHER_DIGITS, typed_digits
from portal.domain.translatable import N_

SERVICE_CATEGORIES = ("hair", "makeup", "nails", "spa", "consultation")
CATEGORY_LABELS = {"hair": N_("Hair"), "makeup": N_("Make-up"), "nails": N_("Nails"), "spa": N_("Spa"),
                   "consultation": N_("Consultation")}
MAX_PAISA = 2_147_483_647  # the integer column
MAX_DURATION = 480
MAX_MIN_ADVANCE_HOURS = 24 * 30
MAX_ADVANCE_DAYS = 365
MAX_SERVICE_NAME = 120


class BadAmount(ValueError):
    """The text is not an amount in rupees; `str()` is the message for the person."""


_AMOUNT = re.compile(r"(\d{1,9})(?:\.(\d{1,2}))?", re.ASCII)


def rupees_to_paisa(text: str | None) -> int:
    cleaned = typed_digits(text or "")
    if cleaned is None:
        raise BadAmount(OTHER_DIGITS)
    cleaned = cleaned.strip().replace(",", "").removeprefix("Rs").removeprefix("NPR").strip()
    if cleaned.startswith("-"):
        raise BadAmount("A price cannot be negative.")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        if re.fullmatch(r"\d+\.\d{3,}", cleaned):
            raise BadAmount("Use at most two decimals (paisa).")
        raise BadAmount("Enter a price in rupees, such as 1500 or 1500.50.")
    paisa = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if paisa > MAX_PAISA:
        raise BadAmount("That price is too large.")
    return paisa


def paisa_to_rupees(paisa: int | None) -> str:
    """Plain text for a form field: 150050 → "1500.50", 150000 → "1500"."""
    if paisa is None:
        return ""
    rupees, rest = divmod(int(paisa), 100)
    return f"{rupees}" if rest == 0 else f"{rupees}.{rest:02d}"


def slug_for(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "service"
