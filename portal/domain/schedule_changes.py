"""The people's words for schedule changes (spec/ui.md: "override" is "schedule change").

The stylist's change-log entries, the weekly editor's log entries, the order in which
override kinds beat each other, and a change named for people. The kinds themselves
(labels, nouns, default priorities) live in `override_kinds`.
"""
from __future__ import annotations

from types import MappingProxyType

from portal.domain import override_kinds
from portal.domain.translatable import N_, Msg

DAY_NAMES = (N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
             N_("Saturday"))
# A weekly row's day as a history line says it (index 0 = Sunday, as `day_of_week`).
EVERY_WEEKDAY = (N_("Sundays"), N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
                 N_("Saturdays"))

# `schedule_change_log.change_type`, as a stylist or an auditor reads it.
CHANGE_TYPE_LABELS = MappingProxyType({
    "availability_override": N_("Own change"),
    "emergency_block": N_("Emergency change"),
    "schedule_update": N_("Weekly hours edited"),
})
# What a weekly-schedule log entry did (the `reason` the editor writes).
WEEKLY_EDIT_LABELS = MappingProxyType({
    "schedule_created": N_("Weekly hours added"),
    "schedule_updated": N_("Weekly hours changed"),
    "schedule_deleted": N_("Weekly hours removed"),
})


def change_label(change_type: str, is_emergency: bool = False) -> str:
    """One label per log entry: "Emergency change", never "emergency block emergency"."""
    if is_emergency:
        return CHANGE_TYPE_LABELS["emergency_block"]
    return CHANGE_TYPE_LABELS.get(change_type, N_("Schedule change"))


def precedence_text() -> Msg:
    """"Business closure beats vacation beats special event beats seasonal hours": one `Msg`
    per step (the first kind's label, then each beaten kind's noun), read whole on a page."""
    first, *rest = override_kinds.by_precedence()
    text: Msg = Msg(override_kinds.label(first))
    for kind in rest:
        text = Msg("%(winner)s beats %(beaten)s", winner=text, beaten=Msg(override_kinds.noun(kind)))
    return text


def override_label(override) -> Msg | str:
    """A schedule change named for people: its reason as typed ("Dashain closure"), else its
    kind's label (a `Msg`, read in the page's language). No priority: the layering is shown
    only on the effective-schedule view (`presentation.schedule_text.day_layers`).
    `override` is a `schedule_layers.OverrideRow` (or any object with reason, override_type)."""
    return override.reason or Msg(override_kinds.label(override.override_type))


def listing(items) -> Msg | str:
    """"A, B, C" as one `Msg` (each item translated on a page)."""
    items = list(items)
    if not items:
        return ""
    text = items[0]
    for item in items[1:]:
        text = Msg("%(list)s, %(item)s", list=text, item=item)
    return text
