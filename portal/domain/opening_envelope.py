"""The salon's opening envelope for stylists' own changes of a day's hours
(overrides-and-budgets.md; setting `SELF_SERVICE_HOURS`, default `06:00-21:00` salon
time). A stylist's own hours must lie inside it and last at least 30 minutes; longer
leave is a time-off request. Pure: no Flask, no session."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from portal.domain.translatable import Msg

DEFAULT = "06:00-21:00"
MIN_MINUTES = 30
_SHAPE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class Envelope:
    opens: time
    closes: time
    min_minutes: int = MIN_MINUTES

    def contains(self, start: time, end: time) -> bool:
        return self.opens <= start and end <= self.closes


def parse(text: str | None) -> Envelope:
    """`"06:00-21:00"` → Envelope; ValueError on anything else (start-up stops on it)."""
    match = _SHAPE.match(text or DEFAULT)
    if not match:
        raise ValueError(f"SELF_SERVICE_HOURS must look like 06:00-21:00, not {text!r}")
    opens, closes = (datetime.strptime(part, "%H:%M").time() for part in match.groups())
    if closes <= opens:
        raise ValueError(f"SELF_SERVICE_HOURS must close after it opens, not {text!r}")
    return Envelope(opens, closes)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def hours_refusal(start: time, end: time, envelope: Envelope) -> tuple[str, Msg] | None:
    """(field, message) when a stylist's own hours break the limits, else None."""
    if not envelope.contains(start, end):
        return "start", Msg("Your own hours must lie between %(opens)s and %(closes)s, the salon's opening "
                            "hours for changes you make yourself. For anything else ask an admin; for days "
                            "away ask for time off.", opens=envelope.opens, closes=envelope.closes)
    if _minutes(end) - _minutes(start) < envelope.min_minutes:
        return "end", Msg("Work at least %(minutes)s minutes that day, or take the day off.",
                          minutes=envelope.min_minutes)
    return None
