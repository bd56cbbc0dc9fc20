"""The bookings vocabulary of the portal (bookings.md), defined once: statuses as people
say them, follow-up actions, and the causes that leave a booking outside the hours."""
from __future__ import annotations

from portal.domain.translatable import N_

PENDING, CONFIRMED, IN_PROGRESS, COMPLETED, CANCELLED, NO_SHOW = (
    "pending", "confirmed", "in_progress", "completed", "cancelled", "no_show")
BOOKING_STATUSES = (PENDING, CONFIRMED, IN_PROGRESS, COMPLETED, CANCELLED, NO_SHOW)
OCCUPYING_BOOKING_STATUSES = (PENDING, CONFIRMED, IN_PROGRESS)  # the booking holds its slot
MOVABLE_STATUSES = (PENDING, CONFIRMED)  # the desk may move it to another time
MISSED_STATUSES = (CANCELLED, NO_SHOW)  # the visit did not happen
STATUS_LABELS = {
    PENDING: N_("Pending"),
    CONFIRMED: N_("Confirmed"),
    IN_PROGRESS: N_("In progress"),
    COMPLETED: N_("Completed"),
    CANCELLED: N_("Cancelled"),
    NO_SHOW: N_("No-show"),
}

# Who wrote a booking (front-desk.md): the public site, or the desk on the phone or at
# the counter. `bookings.source` (migration 0012) checks against this list.
BOOKING_SOURCES = ("online", "phone", "walk_in")
DESK_SOURCES = ("phone", "walk_in")
SOURCE_LABELS = {
    "online": N_("Online"),
    "phone": N_("Phone"),
    "walk_in": N_("Walk-in"),
}

# The day's steps (front-desk.md "Arrivals and outcomes"): step → (from statuses, to).
STEPS = {
    "confirm": ((PENDING,), CONFIRMED),
    "arrived": ((CONFIRMED,), IN_PROGRESS),
    "done": ((IN_PROGRESS,), COMPLETED),
    "no_show": ((CONFIRMED,), NO_SHOW),
    "cancel": ((PENDING, CONFIRMED), CANCELLED),
}
STEP_LABELS = {
    "confirm": N_("Confirm"),
    "arrived": N_("Arrived"),
    "done": N_("Done"),
    "no_show": N_("No-show"),
    "cancel": N_("Cancel"),
}
STYLIST_STEPS = ("arrived", "done")  # a stylist may take these on their own bookings; all are the admins'
UNDO_MINUTES = 10


def next_steps(status: str, started: bool) -> tuple[str, ...]:
    """The steps a booking in ``status`` offers (no-show only once its start has passed)."""
    return tuple(step for step, (sources, _to) in STEPS.items()
                 if status in sources and (step != "no_show" or started))


# What an admin records about a booking on the follow-up list.
FOLLOWUP_ACTIONS = ("contacted", "moved", "cancelled", "kept")
FOLLOWUP_LABELS = {
    "contacted": N_("Customer contacted"),
    "moved": N_("Moved (customer rebooked)"),
    "cancelled": N_("Cancelled"),
    "kept": N_("Kept (the salon will honour it)"),
}
# Actions that end the follow-up: moved/cancelled cancel the booking, kept keeps it.
CLOSING_ACTIONS = ("moved", "cancelled", "kept")
RESCHEDULED_REASON = "rescheduled"

# Why an occupying booking lies outside its stylist's hours.
CAUSES = {
    "stylist_inactive": N_("The stylist is no longer active"),
    "service_inactive": N_("The service has been switched off"),
    "service_not_offered": N_("The stylist no longer offers this service"),
    "override": N_("A schedule change"),  # the override is named on the page
    "weekly_hours": N_("The weekly hours changed"),
    "break": N_("It now falls in the break"),
    "zone_unknown": N_("The stylist's time zone is not valid (fix the stylist's profile)"),
}

# Days ahead (today included) a stylist sees a customer's phone and email for their own
# appointments (bookings.md: "the next 2 days").
STYLIST_CONTACT_DAYS = 2
AGENDA_DAYS = 14  # the stylist's home: today and the next 14 days


CUSTOMER = N_("Customer")  # a booking without a name (translated on the page)


def first_name(full_name: str | None) -> str:
    """What a list shows of a customer: the first name, or a neutral word."""
    name = (full_name or "").strip()
    return name.split()[0] if name else CUSTOMER


def clock(value, zone: str | None = None) -> str:
    """12-hour time without seconds (`9:30 AM`), in ``zone`` when given (ui.md)."""
    from zoneinfo import ZoneInfo

    if zone is not None:
        value = value.astimezone(ZoneInfo(zone))
    return f"{value.hour % 12 or 12}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def day_text(value) -> str:
    """One date format everywhere (ui.md): `Mon 7 Dec 2026`."""
    return f"{value:%a} {value.day} {value:%b %Y}"
