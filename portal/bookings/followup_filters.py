"""The follow-up list's filters, pages and place (bookings.md): which bookings a page of
the list shows, and where the admin lands after acting on one. Pure reading of the
computed list (`services.appointments.followup.followup_list`); nothing here writes."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from portal.domain.bookings import CAUSES

PAGE_SIZE = 20


@dataclass(frozen=True)
class Criteria:
    """What the admin chose to see; None: any."""

    cause: str | None = None  # a key of CAUSES
    change: uuid.UUID | None = None  # one schedule change (a closure's own bookings)
    stylist: uuid.UUID | None = None
    day: date | None = None  # in the booking's stylist's zone

    def matches(self, hit) -> bool:
        return ((self.cause is None or hit.cause == self.cause)
                and (self.change is None or hit.override_id == self.change)
                and (self.stylist is None or hit.stylist.user_id == self.stylist)
                and (self.day is None or local_day(hit) == self.day))

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.cause, self.change, self.stylist, self.day))

    def params(self) -> dict[str, str]:
        """The GET parameters that show the list filtered so."""
        found = {"cause": self.cause or (str(self.change) if self.change else None),
                 "stylist": str(self.stylist) if self.stylist else None,
                 "date": self.day.isoformat() if self.day else None}
        return {k: v for k, v in found.items() if v}


def local_day(hit) -> date:
    return hit.booking.start_time.astimezone(ZoneInfo(hit.zone)).date()


def criteria_from(form) -> Criteria:
    """The valid fields of a `FollowUpFilterForm` (an invalid one is shown with its error, not used)."""
    cause = form.cause.data if not form.cause.errors else None
    stylist = form.stylist.data if not form.stylist.errors else None
    return Criteria(cause=cause if cause in CAUSES else None,
                    change=uuid.UUID(cause) if cause and cause not in CAUSES else None,
                    stylist=uuid.UUID(stylist) if stylist else None,
                    day=form.date.data if not form.date.errors else None)


def cause_choices(hits) -> list[tuple[str, object]]:
    """(value, words) of every cause on the list: each schedule change by its name, then the others."""
    found: dict[str, object] = {}
    for h in hits:
        found.setdefault(str(h.override_id) if h.override_id else h.cause, h.cause_text)
    return list(found.items())


def stylist_choices(hits) -> list[tuple[str, str]]:
    found = {str(h.stylist.user_id): h.stylist.display_name for h in hits}
    return sorted(found.items(), key=lambda kv: kv[1].lower())


@dataclass(frozen=True)
class Page:
    hits: list
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1 if self.total else 0


def page_of(hits: list, number: int | None) -> Page:
    """One page of ``hits`` (a number past the end shows the last page: after acting on
    the last row of the last page the admin stays near it)."""
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    number = min(max(number or 1, 1), pages)
    return Page(hits[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], number, pages, len(hits))


def neighbour(shown: list[str], removed: set[str]) -> str | None:
    """The row to come back to after ``removed`` left the list: the first shown row after
    the first removed one that stays, else the nearest one before it."""
    at = next((i for i, value in enumerate(shown) if value in removed), None)
    if at is None:
        return None
    after = [v for v in shown[at + 1:] if v not in removed]
    before = [v for v in shown[:at] if v not in removed]
    return after[0] if after else (before[-1] if before else None)


def by_stylist_and_day(hits) -> list[tuple[object, date, int]]:
    """(stylist, day, how many) of the list, by day then name (the home page's links)."""
    counts: dict[tuple[uuid.UUID, date], list] = {}
    for h in hits:
        entry = counts.setdefault((h.stylist.user_id, local_day(h)), [h.stylist, local_day(h), 0])
        entry[2] += 1
    return sorted((tuple(v) for v in counts.values()), key=lambda g: (g[1], g[0].display_name.lower()))
