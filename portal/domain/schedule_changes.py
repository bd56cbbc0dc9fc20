"""The people's words for schedule changes (spec/ui.md: "override" is "schedule change").

Labels of the override kinds, of the stylist's change-log entries, and the order in
which kinds beat each other. Codes stay in the database and the code; pages and
messages use these words.
"""
from __future__ import annotations

from types import MappingProxyType

# The kinds, strongest first by default priority (overrides-and-budgets.md).
KINDS_BY_PRECEDENCE = ("business_closure", "stylist_vacation", "special_event", "seasonal_hours")

KIND_LABELS = MappingProxyType({
    "business_closure": "Business closure",
    "stylist_vacation": "Vacation",
    "seasonal_hours": "Seasonal hours",
    "special_event": "Special event",
})
# What a form is titled ("New closure"), lower case inside a sentence.
KIND_NOUNS = MappingProxyType({
    "business_closure": "closure",
    "stylist_vacation": "vacation",
    "seasonal_hours": "seasonal hours",
    "special_event": "special event",
})

# `schedule_change_log.change_type`, as a stylist or an auditor reads it.
CHANGE_TYPE_LABELS = MappingProxyType({
    "availability_override": "Own change",
    "emergency_block": "Emergency change",
    "schedule_update": "Weekly hours edited",
})
# What a weekly-schedule log entry did (the `reason` the editor writes).
WEEKLY_EDIT_LABELS = MappingProxyType({
    "schedule_created": "Weekly hours added",
    "schedule_updated": "Weekly hours changed",
    "schedule_deleted": "Weekly hours removed",
})

DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, "Schedule change")


def kind_noun(kind: str) -> str:
    return KIND_NOUNS.get(kind, "schedule change")


def change_label(change_type: str, is_emergency: bool = False) -> str:
    """One label per log entry: "Emergency change", never "emergency block emergency"."""
    if is_emergency:
        return CHANGE_TYPE_LABELS["emergency_block"]
    return CHANGE_TYPE_LABELS.get(change_type, "Schedule change")


def precedence_text() -> str:
    """"Business closure beats vacation beats special event beats seasonal hours"."""
    words = [KIND_NOUNS[k] for k in KINDS_BY_PRECEDENCE]
    return (KIND_LABELS[KINDS_BY_PRECEDENCE[0]] + " beats " + " beats ".join(words[1:])) if words else ""


def override_label(override) -> str:
    """A schedule change named for people, its priority as a detail: "Dashain closure (100)".
    `override` is a `schedule_layers.OverrideRow` (or any object with reason, override_type, priority)."""
    name = override.reason or kind_label(override.override_type)
    return f"{name} ({override.priority})"
