"""The process's memory of answers: the ONE owner of both process caches.

- Entries (`entry`): a fresh entry's plan is decoded once per process — same key and
  proof, the same stored bytes — and keeps the bodies rendered from it: the slots
  endpoint's body per (customer zone, request-time signature) (`day_body`) and the days
  endpoint's summary of that date per the same (`day_summary`). A body depends on the
  entry, the zone and *now* only through the signature: whether the day is bookable
  (today/horizon), which slots the min-advance cut-off keeps (a prefix: slots ascend)
  and which of those a hold still blocks. A zone's latest body is also kept with the
  span of instants in which its signature cannot change (`signature_until`), so a
  repeated hit within it does not compute the signature at all.
- Range answers (`range_answer`): a fully cached days answer, reused while the range
  reads as it did (the store's `RangeRead.identity`) and the request comes before the
  first instant at which the clock alone could change it.

Both tables are bounded (cleared when full) and guarded by one lock for writes.
"""
from __future__ import annotations

import threading
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from portal.slots import plan as wire
from portal.slots.plan import Answer, DayPlan

UTC = timezone.utc
ENTRIES_KEPT = 4096  # entries remembered per process (each with up to VARIANTS bodies and summaries)
ANSWERS_KEPT = 4096  # days answers remembered per process
VARIANTS = 16


@dataclass(frozen=True)
class Remembered:
    """A fresh entry's plan, decoded once, and what was rendered from it so far."""

    plan: DayPlan
    bodies: dict = field(default_factory=dict)  # (customer zone, signature) -> slots body bytes
    summaries: dict = field(default_factory=dict)  # (customer zone, signature) -> days summary
    # customer zone -> (since, until, body): the body served for every instant of
    # [since, until), within which the signature cannot change
    latest: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RangeAnswer:
    identity: tuple
    until: datetime
    answer: Answer


_lock = threading.Lock()
_entries: dict[tuple, Remembered] = {}
_answers: dict[tuple, RangeAnswer] = {}


def entry(key: tuple, interval_minutes: int, row) -> Remembered | None:
    """A fresh store row's entry for `key` (the store's Key), decoded once per process —
    same key, interval and proof: the same stored bytes; None when it cannot be decoded."""
    memo_key = (*key, interval_minutes, *row.proof())
    found = _entries.get(memo_key)
    if found is not None:
        return found
    plan = wire.decode(row.entry, interval_minutes)
    if plan is None:
        return None
    made = Remembered(plan)
    with _lock:
        if len(_entries) >= ENTRIES_KEPT:
            _entries.clear()
        _entries[memo_key] = made
    return made


def day_body(key: tuple, interval_minutes: int, row, day: date, now: datetime, customer_tz: str) -> bytes | None:
    """The slots endpoint's body from a fresh row's entry (None when it cannot be
    decoded), rendered once per signature."""
    memo = entry(key, interval_minutes, row)
    if memo is None:
        return None
    latest = memo.latest.get(customer_tz)
    if latest is not None and latest[0] <= now < latest[1]:  # the signature cannot have changed
        return latest[2]
    plan = memo.plan
    key = (customer_tz, signature(plan, day, now))
    made = memo.bodies.get(key)
    if made is None:
        made = wire.body(wire.answer(plan, day, now, customer_tz))
        if len(memo.bodies) < VARIANTS:
            memo.bodies[key] = made
    if len(memo.latest) < VARIANTS or customer_tz in memo.latest:
        memo.latest[customer_tz] = (now, signature_until(plan, now), made)
    return made


def day_summary(memo: Remembered, day: date, now: datetime, customer_tz: str) -> dict:
    """The days endpoint's summary of a remembered entry's date, made once per signature."""
    key = (customer_tz, signature(memo.plan, day, now))
    made = memo.summaries.get(key)
    if made is None:
        made = wire.summary(memo.plan, day, now, customer_tz)
        if len(memo.summaries) < VARIANTS:
            memo.summaries[key] = made
    return made


def range_answer(key: tuple, identity: tuple, now: datetime) -> Answer | None:
    """A days answer made for a range that read exactly as this one, still right at `now`."""
    found = _answers.get(key)
    if found is not None and found.identity == identity and now < found.until:
        return found.answer
    return None


def keep_range_answer(key: tuple, identity: tuple, plans: list[tuple[date, DayPlan | None]], expires: datetime,
                      now: datetime, answer: Answer) -> None:
    """Remember a fully cached range's answer until the clock alone could change it:
    a cut-off, a hold's expiry, a midnight, or an entry's expiry."""
    tomorrow_utc = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(), tzinfo=UTC)
    until = min([tomorrow_utc, expires, *(signature_until(p, now) for _, p in plans if p is not None)])
    with _lock:
        if len(_answers) >= ANSWERS_KEPT:
            _answers.clear()
        _answers[key] = RangeAnswer(identity, until, answer)


def signature(plan: DayPlan, day: date, now: datetime) -> tuple:
    slots = plan.slots
    if not slots or not plan.bookable_on(day, now):
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
