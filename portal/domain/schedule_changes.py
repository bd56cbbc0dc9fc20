"""The people's words for schedule changes (spec/ui.md: "override" is "schedule change").

The stylist's change-log entries, the weekly editor's log entries, the order in which
override kinds beat each other, and a change named for people. The kinds themselves
(labels, nouns, default priorities) live in `override_kinds`.
"""
from __future__ import annotations

from types import MappingProxyType

from portal.domain import override_kinds
from portal.domain.translatable import N_

DAY_NAMES = (N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
             N_("Saturday"))

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


def precedence_text() -> str:
    """"Business closure beats vacation beats special event beats seasonal hours"."""
    first, *rest = override_kinds.by_precedence()
    return " beats ".join([override_kinds.label(first)] + [override_kinds.noun(kind) for kind in rest])


def override_label(override) -> str:
    """A schedule change named for people, its priority as a detail: "Dashain closure (100)".
    `override` is a `schedule_layers.OverrideRow` (or any object with reason, override_type, priority)."""
    name = override.reason or override_kinds.label(override.override_type)
    return f"{name} ({override.priority})"
