"""Benchmarks of the availability cache against the five goals of issue 4.

For each engine (a file SQLite database always; PostgreSQL when `--postgres URL` is
given: a scratch database is created next to it and dropped afterwards):

1. migrate a fresh database and seed a salon: `--stylists` stylists (default 500),
   each offering 5 services (30, 45, 60, 90 and 30 minutes), working 09:00–17:00 every
   day in Asia/Kathmandu, with two bookings a day for the next 8 days, a live hold,
   and two business-wide overrides; ANALYZE on PostgreSQL;
2. **entry size** — the stored size of an entry for a 16-slot day (30-minute service);
3. **warm-cache** — `warm_stylist` for every stylist × 5 services × 7 days
   (`--rounds` times, interleaved with) the median uncached request through the Flask
   test client; time per entry / one uncached request;
4. **miss vs hit latency** — `--keys` cold keys, each asked twice in a row (miss,
   then hit) through the Flask test client, limiter on; median miss / median hit;
5. **booking INSERT overhead** — `--inserts` single-row autocommit INSERTs into
   `bookings` with the invalidation trigger and without it (trigger dropped in a
   copy on SQLite, disabled on PostgreSQL), rounds interleaved; median ratio;
6. **throughput** — gunicorn, 2 sync workers, and `wrk -t2 -c8` against the cached
   endpoint (limiter on, one warmed key) and a minimal Flask endpoint in the same
   server returning the same JSON body (`bench/cache_server.py`), alternated
   `--rounds` times; requests/s and the ratio per pair.

    .venv/bin/python bench/cache.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time as clock
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from portal import create_app  # noqa: E402
from portal.extensions import db  # noqa: E402

KTM = ZoneInfo("Asia/Kathmandu")
UTC = timezone.utc
URL = "/api/bookings/available-slots"
DURATIONS = (30, 45, 60, 90, 30)
NO_LIMIT = "1000000 per 10 seconds"  # the limiter runs (moving window) but never refuses


LIMITER_STORAGE = os.environ.get("BENCH_LIMITER_STORAGE", "memory://")


def build_app(database_url: str, **config):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": LIMITER_STORAGE, "SLOTS_RATE_LIMIT": NO_LIMIT, **config,
    })
    return app


def migrate(database_url: str) -> None:
    app = build_app(database_url)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        db.engine.dispose()


def seed(database_url: str, stylists: int) -> dict:
    engine = create_engine(database_url)
    pg = engine.dialect.name == "postgresql"

    def ts(value: datetime):
        return value if pg else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    def uid():
        value = uuid.uuid4()
        return value if pg else str(value)

    today = datetime.now(KTM).date()
    services = [uid() for _ in DURATIONS]
    people = [uid() for _ in range(stylists)]
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO services (id, name, slug, category, duration_minutes, base_price_cents,"
            " min_advance_hours, max_advance_days) VALUES (:id, :n, :n, 'hair', :d, 150000, 0, 30)"),
            [{"id": s, "n": f"svc-{i}", "d": d} for i, (s, d) in enumerate(zip(services, DURATIONS))])
        conn.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:id, :e, :n)"),
                     [{"id": p, "e": f"s{i}@bench.test", "n": f"Stylist {i}"} for i, p in enumerate(people)])
        conn.execute(text("INSERT INTO stylist_profiles (user_id, display_name, booking_buffer_minutes)"
                          " VALUES (:id, :n, 0)"), [{"id": p, "n": f"Stylist {i}"} for i, p in enumerate(people)])
        conn.execute(text("INSERT INTO stylist_services (id, stylist_user_id, service_id) VALUES (:id, :p, :s)"),
                     [{"id": uid(), "p": p, "s": s} for p in people for s in services])
        conn.execute(text(
            "INSERT INTO stylist_schedules (id, stylist_user_id, day_of_week, start_time_local, end_time_local,"
            " effective_from) VALUES (:id, :p, :d, '09:00:00', '17:00:00', '2000-01-01')"),
            [{"id": uid(), "p": p, "d": d} for p in people for d in range(7)])
        rows = []
        for p in people:
            for n in range(8):
                day = today + timedelta(days=n)
                for hour in (10, 14):
                    start = datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=KTM)
                    rows.append({"id": uid(), "p": p, "s": services[2], "a": ts(start),
                                 "b": ts(start + timedelta(hours=1))})
        conn.execute(text("INSERT INTO bookings (id, stylist_user_id, service_id, start_time, end_time,"
                          " price_cents) VALUES (:id, :p, :s, :a, :b, 150000)"), rows)
        start = datetime.combine(today + timedelta(days=3), datetime.min.time().replace(hour=12), tzinfo=KTM)
        conn.execute(text("INSERT INTO booking_reservations (id, stylist_user_id, service_id, start_time, end_time,"
                          " expires_at) VALUES (:id, :p, :s, :a, :b, :x)"),
                     [{"id": uid(), "p": p, "s": services[0], "a": ts(start), "b": ts(start + timedelta(hours=1)),
                       "x": ts(datetime.now(UTC) + timedelta(hours=6))} for p in people])
        conn.execute(text(
            "INSERT INTO schedule_overrides (id, override_type, applies_to_all_stylists, start_date, end_date,"
            " is_closed, priority) VALUES (:id, 'business_closure', :t, :d, :d, :t, 100)"),
            [{"id": uid(), "t": True, "d": (today + timedelta(days=40 + k)).isoformat()} for k in range(2)])
    if pg:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return {"stylists": [str(p) for p in people], "services": [str(s) for s in services], "today": today}


def median(values):
    return statistics.median(values)


# --- goal: entry size ----------------------------------------------------------------

def entry_size(app, salon) -> dict:
    """Bytes of a 16-slot entry: the JSON as stored, and on PostgreSQL the jsonb value and the whole row."""
    day = salon["today"] + timedelta(days=5)
    client = app.test_client()
    body = client.get(URL, query_string={"stylistId": salon["stylists"][0], "serviceId": salon["services"][0],
                                         "targetDate": day.isoformat()})
    assert len(body.get_json()) == 16, len(body.get_json())
    with app.app_context():
        conn = db.session.connection()
        if conn.dialect.name == "postgresql":
            row = conn.execute(text(
                "SELECT length(available_slots::text), pg_column_size(available_slots), pg_column_size(c.*)"
                " FROM private.availability_cache c WHERE stylist_user_id = :s AND service_id = :v"
                " AND cache_date = :d"), {"s": salon["stylists"][0], "v": salon["services"][0], "d": day}).one()
            result = {"json_text": row[0], "stored_value": row[1], "row": row[2]}
        else:
            row = conn.execute(text(
                "SELECT length(available_slots) FROM availability_cache WHERE stylist_user_id = :s"
                " AND service_id = :v AND cache_date = :d"),
                {"s": salon["stylists"][0], "v": salon["services"][0], "d": day.isoformat()}).one()
            result = {"json_text": row[0], "stored_value": row[0]}
        db.session.rollback()
    return result


# --- goals: miss vs hit, warm vs uncached ---------------------------------------------------

def timed_get(client, query) -> float:
    started = clock.perf_counter()
    response = client.get(URL, query_string=query)
    elapsed = clock.perf_counter() - started
    assert response.status_code == 200, response.get_data(as_text=True)
    return elapsed


def miss_vs_hit(app, salon, keys: int) -> dict:
    client = app.test_client()
    misses, hits = [], []
    for k in range(keys):
        stylist = salon["stylists"][(k * 7919) % len(salon["stylists"])]
        query = {"stylistId": stylist, "serviceId": salon["services"][k % 5],
                 "targetDate": (salon["today"] + timedelta(days=8 + k % 20)).isoformat()}
        misses.append(timed_get(client, query))
        hits.append(timed_get(client, query))
    return {"miss_ms": 1000 * median(misses), "hit_ms": 1000 * median(hits),
            "ratio": median(misses) / median(hits)}


def uncached_request(database_url, salon, n: int) -> float:
    app = build_app(database_url, AVAILABILITY_CACHE_ENABLED=False)
    client = app.test_client()
    times = []
    for k in range(n):
        query = {"stylistId": salon["stylists"][k % len(salon["stylists"])], "serviceId": salon["services"][k % 5],
                 "targetDate": (salon["today"] + timedelta(days=k % 7)).isoformat()}
        times.append(timed_get(client, query))
    with app.app_context():
        db.engine.dispose()
    return median(times)


def warm_round(app, salon, days: int) -> tuple[float, int]:
    from portal.slots import warming

    with app.app_context():
        started = clock.perf_counter()
        entries = 0
        for stylist in salon["stylists"]:
            entries += warming.warm_stylist(app.extensions["slots"], uuid.UUID(stylist), days)
        elapsed = clock.perf_counter() - started
        db.session.remove()
    return elapsed, entries


# --- goal: INSERT overhead -----------------------------------------------------------------

def insert_round(url: str, salon, n: int, with_trigger: bool) -> float:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    pg = engine.dialect.name == "postgresql"
    base = datetime.now(UTC) + timedelta(days=200 + (0 if with_trigger else 100))
    with engine.connect() as conn:
        if pg:
            state = "ENABLE" if with_trigger else "DISABLE"
            conn.execute(text(f"ALTER TABLE bookings {state} TRIGGER bookings_availability_insert"))
        statement = text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents)"
                         " VALUES (:p, :s, :a, :b, 100)")
        rows = []
        for k in range(n):
            start = base + timedelta(minutes=90 * k)
            a, b = start, start + timedelta(hours=1)
            if not pg:
                a, b = (x.strftime("%Y-%m-%d %H:%M:%S.%f") for x in (a, b))
            rows.append({"p": salon["stylists"][k % len(salon["stylists"])], "s": salon["services"][2], "a": a, "b": b})
        started = clock.perf_counter()
        for row in rows:
            conn.execute(statement, row)
        elapsed = clock.perf_counter() - started
        conn.execute(text("DELETE FROM bookings WHERE start_time >= :x"),
                     {"x": base if pg else base.strftime("%Y-%m-%d %H:%M:%S.%f")})
        if pg:
            conn.execute(text("ALTER TABLE bookings ENABLE TRIGGER bookings_availability_insert"))
    engine.dispose()
    return elapsed / n


def insert_overhead(url: str, salon, n: int, rounds: int, tmp: Path) -> dict:
    if url.startswith("sqlite"):
        source = Path(make_url(url).database)
        bare = tmp / "no_trigger.sqlite3"
        shutil.copyfile(source, bare)
        conn = create_engine(f"sqlite:///{bare}")
        with conn.begin() as c:
            c.execute(text("DROP TRIGGER bookings_availability_insert"))
        conn.dispose()
        urls = {True: url, False: f"sqlite:///{bare}"}
    else:
        urls = {True: url, False: url}
    with_t, without = [], []
    for _ in range(rounds):
        without.append(insert_round(urls[False], salon, n, False))
        with_t.append(insert_round(urls[True], salon, n, True))
    ratios = [a / b for a, b in zip(with_t, without)]
    return {"with_us": 1e6 * median(with_t), "without_us": 1e6 * median(without), "ratio": median(ratios)}


# --- goal: throughput under gunicorn ----------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int) -> float:
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} non-2xx answers:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def throughput(database_url: str, salon, rounds: int, seconds: int) -> dict:
    port = free_port()
    day = (salon["today"] + timedelta(days=5)).isoformat()
    query = f"stylistId={salon['stylists'][1]}&serviceId={salon['services'][0]}&targetDate={day}"
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_SECRET_KEY": "bench",
           "FLASK_SLOTS_RATE_LIMIT": NO_LIMIT, "FLASK_RATELIMIT_STORAGE_URI": LIMITER_STORAGE,
           "BENCH_SAMPLE_QUERY": query}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "bench.cache_server:app"], cwd=ROOT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                clock.sleep(0.1)
        cached_url, minimal_url = f"{base}{URL}?{query}", f"{base}/bench/minimal"
        import urllib.request
        bodies = [urllib.request.urlopen(u).read() for u in (cached_url, cached_url, minimal_url)]
        assert bodies[1] == bodies[2], "the minimal endpoint returns the same body"
        wrk(cached_url, 2)
        wrk(minimal_url, 2)
        cached, minimal = [], []
        for _ in range(rounds):
            minimal.append(wrk(minimal_url, seconds))
            cached.append(wrk(cached_url, seconds))
        ratios = [c / m for c, m in zip(cached, minimal)]
        return {"cached_rps": median(cached), "minimal_rps": median(minimal), "ratio": median(ratios),
                "ratios": [round(r, 3) for r in ratios]}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)


def run_engine(name: str, url: str, args, tmp: Path) -> dict:
    print(f"== {name}: migrate and seed {args.stylists} stylists", flush=True)
    migrate(url)
    salon = seed(url, args.stylists)
    app = build_app(url)
    results = {"engine": name}
    skip = set(args.skip)
    results["entry_size"] = entry_size(app, salon)
    print("entry size", results["entry_size"], flush=True)
    if "latency" not in skip:
        results["miss_vs_hit"] = miss_vs_hit(app, salon, args.keys)
        print("miss vs hit", results["miss_vs_hit"], flush=True)
    per_entry, uncached = [], []
    for _ in range(0 if "warm" in skip else args.rounds):
        uncached.append(uncached_request(url, salon, 100))
        elapsed, entries = warm_round(app, salon, 7)
        per_entry.append(elapsed / entries)
        print(f"  warm: {entries} entries in {elapsed:.1f} s; uncached request {1000 * uncached[-1]:.2f} ms", flush=True)
    if per_entry:
        results["warm"] = {"entries": entries, "per_entry_ms": 1000 * median(per_entry),
                           "uncached_ms": 1000 * median(uncached),
                           "ratio": median([p / u for p, u in zip(per_entry, uncached)])}
        print("warm", results["warm"], flush=True)
    with app.app_context():
        db.engine.dispose()
    if "insert" not in skip:
        results["insert"] = insert_overhead(url, salon, args.inserts, args.rounds, tmp)
        print("insert", results["insert"], flush=True)
    if "throughput" not in skip:
        results["throughput"] = throughput(url, salon, args.rounds, args.seconds)
        print("throughput", results["throughput"], flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a scratch database is created next to it")
    parser.add_argument("--stylists", type=int, default=500)
    parser.add_argument("--keys", type=int, default=300)
    parser.add_argument("--inserts", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--skip", action="append", default=[], choices=["size", "latency", "warm", "insert", "throughput"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.only != "postgresql":
            results.append(run_engine("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, tmp))
        if args.postgres and args.only != "sqlite":
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            name = f"cache_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(args.postgres).set(drivername="postgresql+psycopg", database=name)
            try:
                results.append(run_engine("postgresql", url.render_as_string(hide_password=False), args, tmp))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    print(json.dumps(results, indent=2, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
