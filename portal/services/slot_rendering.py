"""Rendering a cached day for a request, with a per-process memo of the bodies.

A hit's body depends on the entry, the customer's zone, and *now* only through three
things `answer()` looks at: whether the day is bookable (today/horizon), which slots
the min-advance cut-off keeps (a prefix is dropped: slots ascend), and which of the
kept slots a hold still blocks. That triple is the request's *signature*, cheap to
compute from the plan; the body rendered for (entry, zone, signature) is reused as
long as the entry is served. Misses, an unknown entry, and a switched-off cache
render with `answer()` directly — the memo stores exactly the bytes that produced,
so bodies are identical either way. A zone's latest body is also kept with the span
of instants in which its signature cannot change (`signature_until`), so a repeated
hit within that span does not compute the signature at all.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import Response, current_app

from portal.domain.availability import is_bookable_date
from portal.services.availability import HORIZON_CAP_DAYS, DayPlan, answer

MEMO_ENTRIES = 4096  # entries remembered per process (each with up to VARIANTS bodies)
VARIANTS = 16
UTC = timezone.utc



@dataclass(frozen=True)
class Remembered:
    """A fresh entry's plan, decoded once, and the bodies rendered from it so far."""

    plan: DayPlan
    variants: dict = field(default_factory=dict)  # (customer zone, signature) -> body bytes
    # customer zone -> (since, until, body): the body served for every instant of
    # [since, until), within which the signature cannot change (`signature_until`)
    latest: dict = field(default_factory=dict)


_lock = threading.Lock()
_memo: dict[tuple, Remembered] = {}


def remembered(key: tuple, decode) -> Remembered | None:
    """The entry identified by `key`, decoded once per process; `decode()` makes its plan."""
    found = _memo.get(key)
    if found is not None:
        return found
    plan = decode()
    if plan is None:
        return None
    made = Remembered(plan)
    with _lock:
        if len(_memo) >= MEMO_ENTRIES:
            _memo.clear()
        _memo[key] = made
    return made


def signature(plan: DayPlan, day: date, now: datetime) -> tuple:
    slots = plan.slots
    if not slots or not is_bookable_date(day, plan.stylist_timezone, now, min(plan.max_advance_days,
                                                                             HORIZON_CAP_DAYS)):
        return (False,)
    cutoff = now + timedelta(hours=plan.min_advance_hours)
    first = bisect_left([s.start for s in slots], cutoff)
    held = tuple(i for i in range(first, len(slots))
                 if not slots[i].booked and slots[i].held_until is not None and slots[i].held_until > now)
    return (True, first, held)


def signature_until(plan: DayPlan, now: datetime) -> datetime:
    """The first instant after `now` from which `signature(plan, day, ·)` may differ: the
    next midnight in the stylist's zone ("today" and the horizon move), the instant the
    cut-off reaches the first slot still offered, or a remaining hold's expiry."""
    zone = ZoneInfo(plan.stylist_timezone)
    midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(), tzinfo=zone)
    until = midnight.astimezone(UTC)
    slots = plan.slots
    if slots:
        advance = timedelta(hours=plan.min_advance_hours)
        first = bisect_left([s.start for s in slots], now + advance)
        if first < len(slots):
            until = min(until, slots[first].start - advance)
        for slot in slots[first:]:
            if not slot.booked and slot.held_until is not None and slot.held_until > now:
                until = min(until, slot.held_until)
    return until


def render(plan: DayPlan | None, day: date, now: datetime, customer_tz: str,
           memo: Remembered | None = None) -> Response:
    """The JSON response for the request, as `jsonify(answer(...))` would make it
    (`plan` None: a date outside the bookable range, `[]`)."""
    if plan is None:
        return current_app.json.response([])
    if memo is None:
        return current_app.json.response(answer(plan, day, now, customer_tz))
    latest = memo.latest.get(customer_tz)
    if latest is not None and latest[0] <= now < latest[1]:  # the signature cannot have changed
        return current_app.response_class(latest[2], mimetype=current_app.json.mimetype)
    variants = memo.variants
    key = (customer_tz, signature(plan, day, now))
    body = variants.get(key)
    if body is None:
        response = current_app.json.response(answer(plan, day, now, customer_tz))
        body = response.get_data()
        if len(variants) < VARIANTS:
            variants[key] = body
    else:
        response = current_app.response_class(body, mimetype=current_app.json.mimetype)
    if len(memo.latest) < VARIANTS or customer_tz in memo.latest:
        memo.latest[customer_tz] = (now, signature_until(plan, now), body)
    return response
