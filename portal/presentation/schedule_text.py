"""How one day of an effective schedule reads: its hours and why (Jinja filters `day_hours`
and `day_reason`, registered with the date filters in the page's language).

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


def _label(override, tr: Callable[[str], str], num: Callable[[int], str]) -> str:
    """"Dashain closure (100)": the reason as typed, else the kind's label, translated."""
    name = override.reason or tr(override_kinds.label(override.override_type))
    return f"{name} ({num(override.priority)})"


def day_reason(window: DayWindow, tr: Callable[[str], str] = _same, num: Callable[[int], str] = str) -> str:
    """Why the day has its hours: "Dashain closure (100) beat Winter hours (10)"."""
    if window.winner is None:
        return tr(N_("Weekly hours")) if window.verdict == "base schedule" else tr(N_("No weekly hours on this day"))
    text = _label(window.winner, tr, num)
    if window.beaten:
        text = tr(N_("%(winner)s beat %(beaten)s")) % {
            "winner": text, "beaten": ", ".join(_label(o, tr, num) for o in window.beaten)}
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
