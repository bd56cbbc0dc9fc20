"""Time-off requests (time-off-and-reports.md), defined once: kinds, states, limits and
the rules a request's dates must follow (pure: no Flask, no session).

A stylist asks for whole days off; an admin approves (the stylist's vacation is made
in the same transaction), declines with a reason, or cancels an approved request
before its first day. The stylist may withdraw a request while it waits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from portal.domain.refusals import Refused, Stale
from portal.domain.translatable import Msg, N_

# --- kinds: what the time off is for (the vacation's public reason) ------------------
LEAVE, SICK, FESTIVAL, OTHER = "leave", "sick", "festival", "other"
KINDS = (LEAVE, SICK, FESTIVAL, OTHER)
KIND_LABELS = MappingProxyType({
    LEAVE: N_("Leave"), SICK: N_("Sick"), FESTIVAL: N_("Festival"), OTHER: N_("Other"),
})

# --- states -----------------------------------------------------------------------
WAITING, APPROVED, DECLINED, WITHDRAWN, CANCELLED = "waiting", "approved", "declined", "withdrawn", "cancelled"
STATES = (WAITING, APPROVED, DECLINED, WITHDRAWN, CANCELLED)
OPEN_STATES = (WAITING, APPROVED)  # a new request may not overlap one of these
STATE_LABELS = MappingProxyType({
    WAITING: N_("Waiting"), APPROVED: N_("Approved"), DECLINED: N_("Declined"),
    WITHDRAWN: N_("Withdrawn"), CANCELLED: N_("Cancelled"),
})
# Bootstrap colour per state; the label is always written too (colour is never the only signal).
STATE_STYLES = MappingProxyType({
    WAITING: "warning", APPROVED: "success", DECLINED: "danger", WITHDRAWN: "secondary", CANCELLED: "secondary",
})

# --- limits -----------------------------------------------------------------------
MAX_DAYS = 60  # at most 60 days in one request
HORIZON_DAYS = 365  # the last day within the next 365 days
MAX_TEXT = 500  # note, decline reason
DECISIONS_SHOWN_DAYS = 30  # the stylist's home page shows decisions of the last 30 days

# --- audit actions (service_management_log, category configuration) ------------------
ASKED, WITHDRAWN_ACTION, APPROVED_ACTION, DECLINED_ACTION, CANCELLED_ACTION = (
    "time_off_asked", "time_off_withdrawn", "time_off_approved", "time_off_declined", "time_off_cancelled")
AUDIT_TARGET = "time_off_request"


class AlreadyDecided(Stale):
    """Someone decided (or withdrew) the request first; nothing was changed."""

    default_code = "ALREADY_DECIDED"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def state_style(state: str) -> str:
    return STATE_STYLES.get(state, "secondary")


def days_in(start: date, end: date) -> int:
    return (end - start).days + 1


def range_errors(kind: str | None, start: date | None, end: date | None, note: str | None,
                 today: date) -> dict[str, str]:
    """What is wrong with a request as typed (field → message); empty when it may be asked."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = N_("Choose leave, sick, festival or other.")
    if start is None:
        errors["start_date"] = N_("Give the first day off.")
    elif start < today:
        errors["start_date"] = Msg("%(day)s is in the past; time off starts today or later.", day=start)
    if end is None:
        errors["end_date"] = N_("Give the last day off (the same as the first for one day).")
    elif start is not None and end < start:
        errors["end_date"] = N_("The last day must not be before the first day.")
    elif end > today + timedelta(days=HORIZON_DAYS):
        errors["end_date"] = Msg("You can ask for days up to %(days)s days ahead (until %(last)s).",
                                 days=HORIZON_DAYS, last=today + timedelta(days=HORIZON_DAYS))
    elif start is not None and days_in(start, end) > MAX_DAYS:
        errors["end_date"] = Msg("One request covers at most %(max)s days; this one has %(days)s. "
                                 "Ask for the rest in a second request.", max=MAX_DAYS, days=days_in(start, end))
    if note is not None and len(note) > MAX_TEXT:
        errors["note"] = Msg("Keep the note under %(max)s characters.", max=MAX_TEXT)
    return errors


def overlap_refusal(start: date, end: date) -> Refused:
    message = Msg("You already have time off asked for or approved from %(start)s to %(end)s; choose other "
                  "days (a request still waiting can be withdrawn first).", start=start, end=end)
    return Refused("OVERLAPS", message, {"start_date": message})


def already_decided(state: str) -> AlreadyDecided:
    """The refusal for a second decision (the page then shows the current state)."""
    messages = {
        APPROVED: N_("This request was already approved (perhaps by another admin just now); nothing was changed."),
        DECLINED: N_("This request was already declined (perhaps by another admin just now); nothing was changed."),
        WITHDRAWN: N_("The stylist withdrew this request; nothing was changed."),
        CANCELLED: N_("This request was already cancelled; nothing was changed."),
    }
    return AlreadyDecided(message=messages.get(state, N_("This request is no longer waiting; nothing was changed.")))


@dataclass(frozen=True)
class DayCover:
    """How many stylists work on `day` by the effective schedule, and how many still
    would with this request approved ("5 of 8 working on Tue 12 Dec")."""

    day: date
    scheduled: int  # stylists working that day by the effective schedule (this request's vacation left out)
    still: int  # of those, working with the request approved
    requester_works: bool  # the requester would have worked that day
    also_asked: tuple[str, ...] = ()  # others with a waiting request that day

    @property
    def short(self) -> bool:
        """Nobody, or only one person, left to work."""
        return self.scheduled > 0 and self.still <= 1
