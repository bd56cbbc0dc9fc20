"""Rendering a cached day for a request, with a per-process memo of the bodies.

A hit's body depends on the entry, the customer's zone, and *now* only through three
things `answer()` looks at: whether the day is bookable (today/horizon), which slots
the min-advance cut-off keeps (a prefix is dropped: slots ascend), and which of the
kept slots a hold still blocks. That triple is the request's *signature*, cheap to
compute from the plan; the body rendered for (entry, zone, signature) is reused as
long as the entry is served. Misses, an unknown entry, and a switched-off cache
render with `answer()` directly — the memo stores exactly the bytes that produced,
so bodies are identical either way.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from datetime import date, datetime, timedelta

from flask import Response, current_app, g

from portal.domain.availability import is_bookable_date
from portal.services.availability import HORIZON_CAP_DAYS, DayPlan, answer

MEMO_ENTRIES = 4096  # entries remembered per process (each with up to VARIANTS bodies)
VARIANTS = 16

_lock = threading.Lock()
_memo: dict[tuple, tuple[DayPlan, dict]] = {}


def remembered(key: tuple, decode) -> DayPlan | None:
    """The plan of a fresh entry, decoded once per process; `decode()` makes it."""
    found = _memo.get(key)
    if found is not None:
        g.slot_render_variants = found[1]
        return found[0]
    plan = decode()
    if plan is None:
        return None
    variants: dict = {}
    with _lock:
        if len(_memo) >= MEMO_ENTRIES:
            _memo.clear()
        _memo[key] = (plan, variants)
    g.slot_render_variants = variants
    return plan


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


def render(plan: DayPlan, day: date, now: datetime, customer_tz: str) -> Response:
    """The JSON response for the request, as `jsonify(answer(...))` would make it."""
    variants = g.pop("slot_render_variants", None)
    if variants is None:
        return current_app.json.response(answer(plan, day, now, customer_tz))
    key = (customer_tz, signature(plan, day, now))
    body = variants.get(key)
    if body is None:
        response = current_app.json.response(answer(plan, day, now, customer_tz))
        if len(variants) < VARIANTS:
            variants[key] = response.get_data()
        return response
    return current_app.response_class(body, mimetype=current_app.json.mimetype)
