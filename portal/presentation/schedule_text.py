"""How one day of an effective schedule reads: its hours and why (Jinja filters `day_hours`
and `day_reason`, registered with the date filters)."""
from __future__ import annotations

from portal.domain.schedule_changes import override_label
from portal.domain.schedule_layers import DayWindow
from portal.presentation.formats import format_time_range


def day_reason(window: DayWindow) -> str:
    """Why the day has its hours: "Dashain closure (100) beat Winter hours (10)"."""
    if window.winner is None:
        return "Weekly hours" if window.verdict == "base schedule" else "No weekly hours on this day"
    text = override_label(window.winner)
    if window.beaten:
        text += " beat " + ", ".join(override_label(o) for o in window.beaten)
    if window.verdict == "day off":
        text += " — salon-wide hours do not open a day off"
    return text


def day_hours(window: DayWindow) -> str:
    """"10:00 AM – 6:00 PM (break 1:00 PM – 2:00 PM)", "Closed" or "Day off"."""
    if window.window is None:
        return "Closed" if window.verdict == "closed" else "Day off"
    text = format_time_range(*window.window)
    if window.break_:
        text += f" (break {format_time_range(*window.break_)})"
    return text
