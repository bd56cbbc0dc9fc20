"""How one day of an effective schedule reads: its hours and why (Jinja filters `day_hours`,
`day_reason` and `day_layers`, registered with the date filters in the page's language).

Everyday pages say why in plain words ("Family puja"); the layering — which change beat
which, with priorities — is `day_layers`, for the effective-schedule view and details
folds (spec/ui.md "Words", overrides-and-budgets.md).

English by default (pure); the pages pass `tr` (gettext), `clock` and `num` (the page's
times and digits) so the words are translated (they are marked `N_`)."""
from __future__ import annotations

from typing import Callable

from portal.domain import override_kinds
from portal.domain.schedule_layers import DayWindow
from portal.domain.translatable import N_
from portal.presentation.formats import format_time


def _same(text: str) -> str:
    return text


def _name(override, tr: Callable[[str], str]) -> str:
    """"Dashain closure": the reason as typed, else the kind's label, translated."""
    return override.reason or tr(override_kinds.label(override.override_type))


def _label(override, tr: Callable[[str], str], num: Callable[[int], str]) -> str:
    """"Dashain closure (100)": the name and its priority."""
    return f"{_name(override, tr)} ({num(override.priority)})"


def day_reason(window: DayWindow, tr: Callable[[str], str] = _same, num: Callable[[int], str] = str) -> str:
    """Why the day has its hours, in plain words: "Dashain closure", "Weekly hours"."""
    return _why(window, tr, lambda o: _name(o, tr), layered=False)


def day_layers(window: DayWindow, tr: Callable[[str], str] = _same, num: Callable[[int], str] = str) -> str:
    """Why, with the layering: "Dashain closure (100) beat Winter hours (10)"."""
    return _why(window, tr, lambda o: _label(o, tr, num), layered=True)


def _why(window: DayWindow, tr: Callable[[str], str], name: Callable, layered: bool) -> str:
    if window.winner is None:
        return tr(N_("Weekly hours")) if window.verdict == "base schedule" else tr(N_("No weekly hours on this day"))
    text = name(window.winner)
    if layered and window.beaten:
        text = tr(N_("%(winner)s beat %(beaten)s")) % {
            "winner": text, "beaten": ", ".join(name(o) for o in window.beaten)}
    if window.verdict == "day off":
        text += " — " + tr(N_("salon-wide hours do not open a day off"))
    return text


def day_hours(window: DayWindow, tr: Callable[[str], str] = _same, clock: Callable = format_time) -> str:
    """"10:00 AM – 6:00 PM (break 1:00 PM – 2:00 PM)", "Closed" or "Day off"."""
    if window.window is None:
        return tr(N_("Closed")) if window.verdict == "closed" else tr(N_("Day off"))
    text = f"{clock(window.window[0])} – {clock(window.window[1])}"
    if window.break_:
        text += " " + tr(N_("(break %(start)s – %(end)s)")) % {
            "start": clock(window.break_[0]), "end": clock(window.break_[1])}
    return text
