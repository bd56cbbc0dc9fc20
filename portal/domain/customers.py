"""The customers vocabulary (front-desk.md), defined once: the languages a customer may
prefer for messages, and the booking counts shown on their page."""
from __future__ import annotations

from portal.domain.translatable import N_

CUSTOMER_LANGUAGES = ("ne", "en")
DEFAULT_CUSTOMER_LANGUAGE = "ne"
LANGUAGE_LABELS = {"ne": N_("Nepali"), "en": N_("English")}
