"""warm-cache, prune-cache and /metrics through the CLI runner and the client; the dashboard."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from prometheus_client import REGISTRY
from sqlalchemy import text

from tests.cache.salon import ask, build, hit, truth
from tests.cache.test_freshness import _booking, _hold, _override
from tests.helpers import stamp

UTC = timezone.utc


def _count(raw, table):
    return raw.execute(text(f"SELECT count(*) FROM {raw.private(table)}")).scalar()


def test_warm_cache_precomputes_what_a_miss_would(app, client, factory, raw, engine_name, runner, computations):
    salon = build(factory, days_ahead=1)
    _booking(raw, engine_name, salon, salon.at(10))
    _hold(raw, engine_name, salon, salon.at(13))
    _override(raw, salon, None, closed=False, hours=("11:00:00", "15:00:00"), day=salon.day + timedelta(days=1))
    _override(raw, salon, salon.sid, closed=True, day=salon.day + timedelta(days=2))
    before = computations.count
    result = runner.invoke(args=["warm-cache", "--days", "4"])
    assert result.exit_code == 0, result.output
    assert "Warmed 8 entries for 2 stylists (4 days)." in result.output
    assert _count(raw, "availability_cache") == 8
    for n in range(-1, 3):
        day = salon.day + timedelta(days=n)
        for who in (salon.sid, salon.oid):
            response = ask(client, salon, stylist=who, day=day, tz="Europe/London")
            assert hit(response), (who, day)
            assert response.get_json() == truth(app, salon, stylist=who, day=day, tz="Europe/London")
    assert computations.count == before  # every request above was served from the warmed entries


def test_warm_cache_top_takes_the_most_booked(app, factory, raw, engine_name, runner):
    salon = build(factory)
    _booking(raw, engine_name, salon, salon.at(10), stylist=salon.oid)
    result = runner.invoke(args=["warm-cache", "--days", "2", "--top", "1"])
    assert result.exit_code == 0 and "Warmed 2 entries for 1 stylists" in result.output
    owners = raw.execute(text(f"SELECT DISTINCT stylist_user_id FROM {raw.private('availability_cache')}")).scalars()
    assert [str(o) for o in owners] == [salon.oid]
    assert runner.invoke(args=["warm-cache", "--days", "0"]).exit_code != 0  # refused, nothing done
    raw.execute(text("UPDATE stylist_profiles SET timezone = 'Mars/Olympus' WHERE user_id = :s"), {"s": salon.oid})
    result = runner.invoke(args=["warm-cache", "--days", "2"])  # a zone other clients wrote: skipped, no crash
    assert result.exit_code == 0 and "Warmed 2 entries for 2 stylists" in result.output


def test_a_write_after_warming_is_still_seen(app, client, factory, raw, engine_name, runner):
    salon = build(factory, days_ahead=0)
    assert runner.invoke(args=["warm-cache", "--days", "2"]).exit_code == 0
    tomorrow = salon.day + timedelta(days=1)
    _booking(raw, engine_name, salon, salon.at(10, day=tomorrow))
    response = ask(client, salon, day=tomorrow)
    assert not hit(response) and response.get_json() == truth(app, salon, day=tomorrow)


def test_prune_cache_deletes_expired_and_invalidated_entries(app, client, factory, raw, engine_name, runner):
    salon = build(factory)
    for n in range(3):
        ask(client, salon, day=salon.day + timedelta(days=n))
    ask(client, salon, stylist=salon.oid)
    cache = raw.private("availability_cache")
    raw.execute(text(f"UPDATE {cache} SET expires_at = :past WHERE cache_date = :d AND stylist_user_id = :s"),
                {"past": stamp(engine_name, datetime.now(UTC) - timedelta(minutes=1)),
                 "d": (salon.day + timedelta(days=2)).isoformat(), "s": salon.sid})
    _booking(raw, engine_name, salon, salon.at(10), stylist=salon.oid)  # makes the other stylist's entry stale
    result = runner.invoke(args=["prune-cache"])
    assert result.exit_code == 0, result.output
    assert "Pruned 2 cache entries" in result.output
    assert _count(raw, "availability_cache") == 2
    assert hit(ask(client, salon))


def _sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_slot_requests_by_result(app, client, factory, raw):
    salon = build(factory)
    before = {r: _sample("slot_requests_total", result=r) for r in ("hit", "miss", "error", "rate_limited")}
    ask(client, salon)
    ask(client, salon)
    ask(client, salon)
    client.get("/api/bookings/available-slots", query_string={"stylistId": "nope"})
    app.config["SLOTS_RATE_LIMIT"] = "1 per hour"
    client.get("/api/bookings/available-slots", query_string={"stylistId": salon.sid})
    statuses = {client.get("/api/bookings/available-slots").status_code for _ in range(2)}
    assert 429 in statuses
    body = client.get("/metrics")
    assert body.status_code == 200 and body.mimetype == "text/plain"
    text_ = body.get_data(as_text=True)
    after = {r: _sample("slot_requests_total", result=r) for r in before}
    assert after["hit"] - before["hit"] == 2
    assert after["miss"] - before["miss"] == 1
    assert after["error"] - before["error"] >= 2
    assert after["rate_limited"] - before["rate_limited"] >= 1
    for series in ('slot_requests_total{result="hit"}', "slot_request_duration_seconds_bucket",
                   "availability_cache_entries 1.0", "availability_cache_invalidations_total",
                   "override_budget_refusals_total", 'logins_total{outcome="failure"}'):
        assert series in text_, series
    bumps = raw.execute(text(f"SELECT sum(generation) FROM {raw.private('availability_generation')}")).scalar()
    assert f"availability_cache_invalidations_total {float(bumps)}" in text_


def test_metrics_token_when_configured(app, client):
    app.config["METRICS_TOKEN"] = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_a_hit_is_one_statement_and_a_login_is_counted(app, client, factory, auth, monkeypatch):
    from sqlalchemy import event

    from portal.extensions import db

    salon = build(factory)
    ask(client, salon)
    seen, reads = [], []
    real_read = type(app.extensions["slots"].store).lookup

    def counted(store, key):
        reads.append(store.sql["lookup"])
        return real_read(store, key)

    def record(conn, cursor, statement, *args):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(statement)

    monkeypatch.setattr(type(app.extensions["slots"].store), "lookup", counted)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert hit(ask(client, salon))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert seen == []  # nothing through the session or the pool ...
    assert len(reads) == 1  # ... one statement on the hit path's own connection:
    assert reads[0].lstrip().startswith("SELECT") and "availability_generation" in reads[0] and "LEFT JOIN" in reads[0]
    failures = _sample("logins_total", outcome="failure")
    auth.login(factory.user("admin").email, password="wrong password")
    assert _sample("logins_total", outcome="failure") == failures + 1


def test_warm_cache_skips_fresh_entries_and_recomputes_only_what_a_booking_changed(app, client, factory, raw,
                                                                                    engine_name, runner):
    salon = build(factory, days_ahead=1)
    assert "Warmed 8 entries for 2 stylists" in runner.invoke(args=["warm-cache", "--days", "4"]).output
    assert "Warmed 0 entries for 2 stylists" in runner.invoke(args=["warm-cache", "--days", "4"]).output
    _booking(raw, engine_name, salon, salon.at(10))  # one stylist, one date
    assert "Warmed 1 entries for 2 stylists" in runner.invoke(args=["warm-cache", "--days", "4"]).output
    response = ask(client, salon)
    assert hit(response) and response.get_json() == truth(app, salon)
    raw.execute(text("UPDATE services SET base_price_cents = 7 WHERE id = :v"), {"v": salon.vid})  # coarse
    assert "Warmed 8 entries for 2 stylists" in runner.invoke(args=["warm-cache", "--days", "4"]).output
