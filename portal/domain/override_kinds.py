"""The four kinds of schedule override, defined once (pure: no Flask, no session).

Each kind has its label (what people read), its noun (a page's title: "New closure"),
its default priority (when the admin gives none) and whether it closes the whole day. The table's CHECK constraint, the
layering engine, the admin forms and the stylist's self-service requests all read
this module.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from portal.domain.translatable import N_, Msg

BUSINESS_CLOSURE = "business_closure"
STYLIST_VACATION = "stylist_vacation"
SEASONAL_HOURS = "seasonal_hours"
SPECIAL_EVENT = "special_event"


@dataclass(frozen=True)
class OverrideKind:
    name: str
    label: str
    noun: str  # lower case, inside a sentence or a title
    default_priority: int
    closed: bool  # closes the whole day (no hours)
    scope: str  # "salon" (always every stylist), "stylist" (one stylist), "either"

    @property
    def for_one_stylist(self) -> bool:
        """The form asks who (a vacation is always one stylist's)."""
        return self.scope == "stylist"

    @property
    def salon_or_one_stylist(self) -> bool:
        """The form offers every stylist or one (seasonal hours, special events)."""
        return self.scope == "either"


KINDS = MappingProxyType({kind.name: kind for kind in (
    OverrideKind(BUSINESS_CLOSURE, N_("Business closure"), N_("closure"), 100, closed=True, scope="salon"),
    OverrideKind(STYLIST_VACATION, N_("Vacation"), N_("vacation"), 50, closed=True, scope="stylist"),
    OverrideKind(SEASONAL_HOURS, N_("Seasonal hours"), N_("seasonal hours"), 10, closed=False, scope="either"),
    OverrideKind(SPECIAL_EVENT, N_("Special event"), N_("special event"), 30, closed=False, scope="either"),
)})

OVERRIDE_TYPES: tuple[str, ...] = tuple(KINDS)  # in the order forms offer them
LABELS = MappingProxyType({name: kind.label for name, kind in KINDS.items()})
NOUNS = MappingProxyType({name: kind.noun for name, kind in KINDS.items()})
DEFAULT_PRIORITY = MappingProxyType({name: kind.default_priority for name, kind in KINDS.items()})
CLOSED_TYPES = frozenset(name for name, kind in KINDS.items() if kind.closed)


def kind_of(name: str | None) -> OverrideKind | None:
    """The kind named `name` (None for anything else): what a page asks of a kind."""
    return KINDS.get(name) if name else None


def label(kind: str) -> str:
    """The kind's label; an unknown kind is shown as it is stored."""
    return LABELS.get(kind, kind)


def noun(kind: str) -> str:
    """"closure", "vacation", …; anything else is a "schedule change"."""
    return NOUNS.get(kind, N_("schedule change"))


def by_precedence() -> tuple[str, ...]:
    """The kinds, strongest default priority first."""
    return tuple(sorted(KINDS, key=lambda name: -KINDS[name].default_priority))


LONG_CHANGE_DAYS = 14  # longer than two weeks: the preview asks for a second look (ui.md)


def second_look(start: date, end: date, today: date) -> tuple[str, ...]:
    """What the preview of a closure or vacation points out before it is saved: a change
    longer than two weeks (a typo in the year closes the salon for ten), or one that
    starts in the past (which no customer can be told about any more)."""
    notes = []
    if (end - start).days + 1 > LONG_CHANGE_DAYS:
        notes.append(Msg("It lasts %(days)s days, more than two weeks: check the last date.",
                         days=(end - start).days + 1))
    if start < today:
        notes.append(Msg("It starts in the past (%(start)s): past days cannot be changed for anyone; check the "
                         "first date.", start=start))
    return tuple(notes)
