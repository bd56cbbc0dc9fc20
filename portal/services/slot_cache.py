"""The availability cache (slots-api.md "The cache"; docs/architecture.md "Availability cache").

`slot_source(session, stylist_id, service_id, day) -> (plan, hit, computed_at)` gives
the date-stable `DayPlan`; the endpoint renders it per request (min-advance cut-off,
hold expiry, "today"/horizon, customer zone), so hits are right at request time.

Freshness: database triggers bump `private.availability_generation` for the stylist
(or the global scope) in the writer's own transaction. A miss reads the current
generations BEFORE it reads the data, and stores them with the entry; a hit is served
only while the entry's generations are still the current ones — checked in the same
single query that fetches the entry.

Stampede (PostgreSQL): a miss takes `pg_advisory_xact_lock` on a hash of its key, looks
again, and computes only if the entry is still missing or stale. SQLite has no such
lock: concurrent misses there each compute (the database serialises their writes).
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from flask import current_app, g

from portal.models.logs import GLOBAL_SCOPE
from portal.services.availability import DayPlan, load_day_plan
from portal.services.audit import audit_exempt

UTC = timezone.utc

# Test-only seams: called after a miss has read its data and before it stores the entry.
after_compute: Callable[[], None] | None = None
computations = 0  # plans computed by misses in this process (tests count stampedes)

LOOKUP = """
SELECT
  (SELECT generation FROM {p}availability_generation WHERE scope = :stylist),
  (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope),
  c.available_slots, c.computed_at, c.expires_at, c.stylist_generation, c.global_generation
FROM (SELECT 1 AS one) AS one
LEFT JOIN {p}availability_cache AS c
  ON c.stylist_user_id = :stylist AND c.service_id = :service AND c.cache_date = :day
"""

GENERATIONS = """
SELECT (SELECT generation FROM {p}availability_generation WHERE scope = :stylist),
       (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope)
"""

STORE = """
INSERT INTO {p}availability_cache AS c
  (stylist_user_id, service_id, cache_date, available_slots, computed_at, expires_at,
   stylist_generation, global_generation)
VALUES (:stylist, :service, :day, {plan}, :computed_at, :expires_at, :stylist_generation, :global_generation)
ON CONFLICT (stylist_user_id, service_id, cache_date) DO UPDATE SET
  available_slots = excluded.available_slots, computed_at = excluded.computed_at,
  expires_at = excluded.expires_at, stylist_generation = excluded.stylist_generation,
  global_generation = excluded.global_generation
WHERE excluded.stylist_generation >= c.stylist_generation
  AND excluded.global_generation >= c.global_generation
"""

STATEMENTS = {
    "postgresql": {
        "lookup": LOOKUP.format(p="private."),
        "generations": GENERATIONS.format(p="private."),
        "store": STORE.format(p="private.", plan="CAST(:plan AS jsonb)"),
    },
    "sqlite": {
        "lookup": LOOKUP.format(p=""),
        "generations": GENERATIONS.format(p=""),
        "store": STORE.format(p="", plan=":plan"),
    },
}


def clock() -> datetime:
    """The current instant; tests travel in time with `app.config["CLOCK"]`."""
    travel = current_app.config.get("CLOCK")
    return travel() if travel else datetime.now(UTC)


@dataclass(frozen=True)
class Generations:
    stylist: int
    global_: int


@dataclass(frozen=True)
class Lookup:
    current: Generations
    plan: DayPlan | None  # set only when the entry is fresh
    computed_at: datetime | None


# --- encoding: DayPlan's compact JSON, tagged with the slot interval -----------------

def encode(plan: DayPlan, interval_minutes: int) -> str:
    return json.dumps({"i": interval_minutes, **plan.to_json()}, separators=(",", ":"))


def decode(data, interval_minutes: int) -> DayPlan | None:
    """The stored plan, or None when it was made for another interval or format (a miss)."""
    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    if data.get("i") != interval_minutes:
        return None
    try:
        return DayPlan.from_json(data)
    except (ValueError, KeyError, TypeError):
        return None


# --- the database side ---------------------------------------------------------------

def _params(dialect: str, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date) -> dict:
    if dialect == "postgresql":
        return {"stylist": stylist_id, "service": service_id, "day": day, "global_scope": GLOBAL_SCOPE}
    return {"stylist": str(stylist_id), "service": str(service_id), "day": day.isoformat(),
            "global_scope": str(GLOBAL_SCOPE)}


def _instant(value) -> datetime:
    return _text_instant(value) if isinstance(value, str) else (value if value.tzinfo else value.replace(tzinfo=UTC))


@lru_cache(maxsize=8192)
def _text_instant(value: str) -> datetime:
    """SQLite's UTC text (entries' computed_at / expires_at repeat on every hit)."""
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def lookup(conn, dialect: str, params: dict, now: datetime, interval: int) -> Lookup:
    """ONE query: the current generations, and the entry if it is still fresh."""
    from sqlalchemy import text

    return _judge(conn.execute(text(STATEMENTS[dialect]["lookup"]), params).one(), now, interval)


def _fast_lookup(engine, params: dict, now: datetime, interval: int) -> Lookup | None:
    """The hit path (cache_reader); None when its connection failed (the session path decides)."""
    from portal.services import cache_reader

    try:
        row = cache_reader.read(engine, params)
    except Exception:
        current_app.logger.warning("cache hit path failed; using the session", exc_info=True)
        return None
    return _judge(row, now, interval, memo_key=(params["stylist"], params["service"], params["day"], interval))


def _judge(row, now: datetime, interval: int, memo_key: tuple | None = None) -> Lookup:
    current = Generations(row[0] or 0, row[1] or 0)
    if row[2] is None or (row[5], row[6]) != (current.stylist, current.global_) or _instant(row[4]) <= now:
        return Lookup(current, None, None)
    if memo_key is None:
        plan = decode(row[2], interval)
    else:  # same key, generations and computation instant: the same entry, decoded once
        from portal.services.slot_rendering import remembered

        plan = remembered((*memo_key, row[5], row[6], str(row[3])), lambda: decode(row[2], interval))
    return Lookup(current, plan, _instant(row[3]) if plan is not None else None)


def read_generations(conn, dialect: str, stylist_id: uuid.UUID) -> Generations:
    from sqlalchemy import text

    params = _params(dialect, stylist_id, stylist_id, date(2000, 1, 1))
    row = conn.execute(text(STATEMENTS[dialect]["generations"]),
                       {"stylist": params["stylist"], "global_scope": params["global_scope"]}).one()
    return Generations(row[0] or 0, row[1] or 0)


def store(conn, dialect: str, params: dict, plan: DayPlan, gens: Generations, computed_at: datetime,
          ttl_seconds: int, interval: int) -> None:
    from sqlalchemy import text

    expires = computed_at + timedelta(seconds=ttl_seconds)
    if dialect == "sqlite":
        stamp = "%Y-%m-%d %H:%M:%S.%f"
        times = {"computed_at": computed_at.strftime(stamp), "expires_at": expires.strftime(stamp)}
    else:
        times = {"computed_at": computed_at, "expires_at": expires}
    conn.execute(text(STATEMENTS[dialect]["store"]), {
        **params, **times, "plan": encode(plan, interval),
        "stylist_generation": gens.stylist, "global_generation": gens.global_,
    })


def advisory_key(stylist_id, service_id, day: date) -> int:
    digest = hashlib.blake2b(f"slots:{stylist_id}:{service_id}:{day}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@audit_exempt("stores a derived cache entry for a public read")
def slot_source(session, stylist_id: uuid.UUID, service_id: uuid.UUID, day: date):
    """(plan, hit, computed_at) for the endpoint; honours AVAILABILITY_CACHE_ENABLED."""
    config = current_app.config
    interval = int(config["SLOT_INTERVAL_MINUTES"])
    g.pop("slot_render_variants", None)  # set again below only for a remembered entry
    if not config["AVAILABILITY_CACHE_ENABLED"]:
        computed_at = clock()
        plan = load_day_plan(session, stylist_id, service_id, day, interval)
        g.slot_cache_result = "miss"
        return plan, False, computed_at

    engine = session.get_bind()
    dialect = engine.dialect.name
    params = _params(dialect, stylist_id, service_id, day)
    now = clock()
    found = _fast_lookup(engine, params, now, interval)
    if found is not None and found.plan is not None:
        g.slot_cache_result = "hit"
        return found.plan, True, found.computed_at

    if dialect == "postgresql":
        # Stampede protection: one computation per key; unrelated keys never wait. After
        # the lock, look again (a new READ COMMITTED snapshot): a waiter finds the entry
        # the holder stored.
        from sqlalchemy import text

        conn = session.connection()
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": advisory_key(stylist_id, service_id, day)})
        found = lookup(conn, dialect, params, now, interval)
        if found.plan is not None:
            session.commit()
            g.slot_cache_result = "hit"
            return found.plan, True, found.computed_at
    elif found is None:  # the hit path's connection failed: read the generations here
        found = lookup(session.connection(), dialect, params, now, interval)
    # SQLite otherwise keeps the generations of the hit path's statement: it ran before
    # the session's snapshot below began, which is all the argument needs.

    # Miss: `found.current` was read before any of the data below.
    global computations
    computations += 1
    plan = load_day_plan(session, stylist_id, service_id, day, interval)
    if after_compute is not None:
        after_compute()
    if dialect == "sqlite":
        session.commit()  # end the read snapshot first: a stale snapshot cannot take the write lock
    store(session.connection(), dialect, params, plan, found.current, now,
          int(config["AVAILABILITY_CACHE_TTL_SECONDS"]), interval)
    session.commit()  # also releases the advisory lock
    g.slot_cache_result = "miss"
    return plan, False, now
