"""The cache's statements, written once for both stores: `{p}` is the private schema's
prefix, `{entry}` the entry column and `{plan}` the entry's bind value, as each store
(portal/slots/store_*.py) spells them. Every column is named."""


COUNTERS = """
  (SELECT generation FROM {p}availability_generation WHERE scope = :stylist) AS stylist_now,
  (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope) AS global_now,
  (SELECT sum(d.generation) FROM {day_counters} AND d.day BETWEEN c.days_from AND c.days_to) AS days_now,
  {entry} AS entry, c.computed_at, c.expires_at,
  c.stylist_generation, c.global_generation, c.day_generation"""
# where days_now sums from: the counters table itself (one entry), or the range's counters
# read once (`DAYS`'s `d`): 14 correlated scans of the table cost 0.5 ms more than one
TABLE_COUNTERS = "{p}availability_day_generation AS d WHERE d.scope IN (:stylist, :global_scope)"
RANGE_COUNTERS = "d WHERE true"

LOOKUP = """
SELECT {counters}
FROM (SELECT 1 AS one) AS one
LEFT JOIN {p}availability_cache AS c
  ON c.stylist_user_id = :stylist AND c.service_id = :service AND c.cache_date = :day
"""

DAYS = """
WITH e AS MATERIALIZED (
  SELECT * FROM {p}availability_cache AS c
  WHERE c.stylist_user_id = :stylist AND c.service_id = :service AND c.cache_date BETWEEN :first AND :last),
d AS MATERIALIZED (
  SELECT g.day, g.generation FROM {p}availability_day_generation AS g
  WHERE g.scope IN (:stylist, :global_scope)
    AND g.day BETWEEN (SELECT min(days_from) FROM e) AND (SELECT max(days_to) FROM e))
SELECT c.cache_date, {counters}
FROM e AS c
"""

GENERATIONS = """
SELECT (SELECT generation FROM {p}availability_generation WHERE scope = :stylist) AS stylist_now,
       (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope) AS global_now
"""

DAY_COUNTERS = """
SELECT d.day, d.generation FROM {p}availability_day_generation AS d
WHERE d.scope IN (:stylist, :global_scope) AND d.day BETWEEN :first AND :last
"""

SAVE = """
INSERT INTO {p}availability_cache AS c
  (stylist_user_id, service_id, cache_date, available_slots, computed_at, expires_at,
   stylist_generation, global_generation, day_generation, days_from, days_to)
VALUES (:stylist, :service, :day, {plan}, :computed_at, :expires_at, :stylist_generation, :global_generation,
        :day_generation, :days_from, :days_to)
ON CONFLICT (stylist_user_id, service_id, cache_date) DO UPDATE SET
  available_slots = excluded.available_slots, computed_at = excluded.computed_at,
  expires_at = excluded.expires_at, stylist_generation = excluded.stylist_generation,
  global_generation = excluded.global_generation, day_generation = excluded.day_generation,
  days_from = excluded.days_from, days_to = excluded.days_to
WHERE excluded.stylist_generation >= c.stylist_generation
  AND excluded.global_generation >= c.global_generation
"""

FRESH = """
SELECT c.service_id, c.cache_date FROM {p}availability_cache AS c
WHERE c.stylist_user_id = :stylist AND c.cache_date BETWEEN :first AND :last AND c.expires_at > :now
  AND c.stylist_generation = coalesce((SELECT generation FROM {p}availability_generation WHERE scope = :stylist), 0)
  AND c.global_generation = coalesce((SELECT generation FROM {p}availability_generation WHERE scope = :global_scope), 0)
  AND c.day_generation = coalesce((SELECT sum(d.generation) FROM {p}availability_day_generation AS d
        WHERE d.scope IN (:stylist, :global_scope) AND d.day BETWEEN c.days_from AND c.days_to), 0)
"""

PRUNE = """
DELETE FROM {p}availability_cache
WHERE expires_at <= :now OR cache_date < :past
   OR stylist_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = {p}availability_cache.stylist_user_id), 0)
   OR global_generation <> coalesce(
        (SELECT g.generation FROM {p}availability_generation g WHERE g.scope = :global_scope), 0)
   OR day_generation <> coalesce(
        (SELECT sum(d.generation) FROM {p}availability_day_generation d
         WHERE d.scope IN ({p}availability_cache.stylist_user_id, :global_scope)
           AND d.day BETWEEN {p}availability_cache.days_from AND {p}availability_cache.days_to), 0)
"""
PRUNE_DAY_COUNTERS = "DELETE FROM {p}availability_day_generation WHERE day < :before"
PRUNE_STATS = "DELETE FROM {p}slot_request_stats WHERE minute < :before"
RECORD_REQUESTS = (
    "INSERT INTO {p}slot_request_stats AS s (minute, result, requests) VALUES (:minute, :result, :n)"
    " ON CONFLICT (minute, result) DO UPDATE SET requests = s.requests + excluded.requests"
)
REQUEST_COUNTS = ("SELECT minute, result, requests FROM {p}slot_request_stats"
                  " WHERE minute >= :since AND result IN ('hit', 'miss')")
FIGURES = ("SELECT (SELECT count(*) FROM {p}availability_cache) AS entries,"
           " (SELECT coalesce(sum(generation), 0) FROM {p}availability_generation) AS invalidations")

STALE_OFFERS = """
SELECT v.id AS service_id, v.duration_minutes, v.base_price_cents, v.min_advance_hours, v.max_advance_days,
       o.custom_price_cents, o.custom_duration_minutes
FROM stylist_services AS o JOIN services AS v ON v.id = o.service_id
WHERE o.stylist_user_id = :stylist AND o.is_available AND v.is_active AND v.id <> :service
  AND NOT EXISTS (SELECT 1 FROM {p}availability_cache AS c
    WHERE c.stylist_user_id = :stylist AND c.service_id = v.id AND c.cache_date = :day AND c.expires_at > :now
      AND c.stylist_generation = coalesce((SELECT generation FROM {p}availability_generation WHERE scope = :stylist), 0)
      AND c.global_generation = coalesce(
            (SELECT generation FROM {p}availability_generation WHERE scope = :global_scope), 0)
      AND c.day_generation = coalesce((SELECT sum(d.generation) FROM {p}availability_day_generation AS d
            WHERE d.scope IN (:stylist, :global_scope) AND d.day BETWEEN c.days_from AND c.days_to), 0))
ORDER BY v.id
"""
