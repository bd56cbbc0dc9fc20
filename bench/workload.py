"""Benchmarks of issue 16: the cache under a mixed workload, the cost of a miss, the hit
path against a minimal app, the days endpoint, and warm-cache over a warm cache.

Every phase stops by itself (fixed durations and counts). PostgreSQL by default (a
scratch database created next to `--postgres`, dropped afterwards); `--sqlite` uses
a file database instead. The app runs under gunicorn (`-w 2`, sync) on this machine,
the load generator too; the machine is shared, so every comparison is a ratio within
the same run, repeated `--runs` times with the sides alternated, and medians reported.

Phases (`--phase`, repeatable; all by default):

- `mixed`: 40 stylists × 5 services × 14 days, warmed by one pass before each rate; 4 reader threads
  choose a stylist by Zipf popularity (s = 1.1) and a date skewed to the near days
  (weight 1 / (1 + d)); a writer inserts confirmed bookings by plain SQL (autocommit,
  as the public site does) for a Zipf-chosen stylist on a skewed date, at 0, 0.2, 1
  and 5 bookings/s, `--seconds` per rate. Prints hit rate, hit and miss p50/p99 and
  throughput per rate.
- `latency`: at concurrency 1, cold keys asked on the cache-on server (a miss), again
  (a hit), and on a cache-off server with the same data (alternated per key): median
  miss / cache-off and miss / hit; plus cold 14-day ranges against single-day misses.
- `throughput`: wrk (c = 8, 2 threads) round-robin over 1,000 distinct warmed keys
  against the slots endpoint and a minimal Flask app (bench/minimal_server.py, its own
  gunicorn with the same settings) returning the pre-encoded bytes of the very same
  answers; then the days endpoint (14-day ranges,
  200 distinct) against the single-day endpoint on hits. Limiter on, storage
  `--limiter-storage` (default `memory+inline://`, the portal's own default).
- `warm`: `warm-cache` (the service) over 500 stylists × 5 services × 30 days: a cold
  run, then a run over the unchanged warm cache, then one after a single booking
  (entries recomputed are counted).

    .venv/bin/python bench/workload.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.cache import KTM, NO_LIMIT, build_app, free_port, migrate, seed  # noqa: E402
from portal.extensions import db  # noqa: E402

UTC = timezone.utc
SLOTS, DAYS = "/api/bookings/available-slots", "/api/bookings/available-days"


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Server:
    """gunicorn -w 2, sync workers, no access log (bench/gunicorn_sync.py; without `-c`
    gunicorn would read the project's gunicorn.conf.py, production's settings), serving
    the portal (or `app`) on a free port."""

    def __init__(self, url: str, storage: str, cache: bool = True, app: str = "wsgi:app", env: dict | None = None):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "FLASK_SECRET_KEY": "bench", "FLASK_SLOTS_RATE_LIMIT": NO_LIMIT,
               "FLASK_RATELIMIT_STORAGE_URI": storage, "FLASK_AVAILABILITY_CACHE_ENABLED": json.dumps(cache),
               **(env or {})}
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "bench/gunicorn_sync.py"),
             "-b", f"127.0.0.1:{self.port}", app],
            cwd=ROOT, env=env, start_new_session=True)
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(15)


def get(conn, path: str) -> tuple[float, bool, bytes]:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:200]!r}")
    return elapsed, response.getheader("X-Cache-Hit") == "true", body


def slots_path(stylist, service, day) -> str:
    return f"{SLOTS}?{urlencode({'stylistId': stylist, 'serviceId': service, 'targetDate': day.isoformat()})}"


def days_path(stylist, service, first, last) -> str:
    query = {"stylistId": stylist, "serviceId": service, "from": first.isoformat(), "to": last.isoformat()}
    return f"{DAYS}?{urlencode(query)}"


# --- mixed workload --------------------------------------------------------------------

def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (k + 1) ** s for k in range(n)]


def mixed(url: str, salon: dict, server: Server, rates, seconds: int, readers: int = 4) -> dict:
    stylists, services, today = salon["stylists"], salon["services"], salon["today"]
    popularity = zipf_weights(len(stylists))
    near = [1 / (1 + d) for d in range(14)]
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    pg = engine.dialect.name == "postgresql"
    conn = server.connection()
    results = {}
    for rate in rates:
        for stylist in stylists:  # the warm pass, before every rate
            for service in services:
                for d in range(14):
                    get(conn, slots_path(stylist, service, today + timedelta(days=d)))
        stop = threading.Event()
        samples: list[tuple[float, bool]] = []
        lock = threading.Lock()

        def reader(seed_value):
            rng = random.Random(seed_value)
            c = server.connection()
            mine = []
            while not stop.is_set():
                stylist = rng.choices(stylists, popularity)[0]
                day = today + timedelta(days=rng.choices(range(14), near)[0])
                mine.append(get(c, slots_path(stylist, rng.choice(services), day))[:2])
            with lock:
                samples.extend(mine)

        def writer():
            rng = random.Random(7)
            with engine.connect() as w:
                next_at = time.perf_counter()
                while rate and not stop.is_set():
                    next_at += rng.expovariate(rate)
                    pause = next_at - time.perf_counter()
                    if pause > 0 and stop.wait(pause):
                        break
                    day = today + timedelta(days=rng.choices(range(14), near)[0])
                    start = datetime.combine(day, datetime.min.time(), tzinfo=KTM) + timedelta(
                        hours=9, minutes=30 * rng.randrange(14))
                    a, b = start, start + timedelta(hours=1)
                    if not pg:
                        a, b = (x.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for x in (a, b))
                    w.execute(text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time,"
                                   " price_cents) VALUES (:p, :s, :a, :b, 100)"),
                              {"p": rng.choices(stylists, popularity)[0], "s": rng.choice(services), "a": a, "b": b})

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
        threads.append(threading.Thread(target=writer))
        started = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join(60)
        elapsed = time.perf_counter() - started
        hits = [s[0] for s in samples if s[1]]
        misses = [s[0] for s in samples if not s[1]]
        results[rate] = {
            "requests": len(samples), "hit_rate": len(hits) / max(1, len(samples)),
            "rps": len(samples) / elapsed,
            "hit_p50_ms": 1000 * pct(hits, 0.5), "hit_p99_ms": 1000 * pct(hits, 0.99),
            "miss_p50_ms": 1000 * pct(misses, 0.5), "miss_p99_ms": 1000 * pct(misses, 0.99),
        }
        print(f"  mixed {rate}/s: {json.dumps(results[rate])}", flush=True)
    engine.dispose()
    return results


# --- latency at c = 1 -------------------------------------------------------------------

def latency(salon: dict, on: Server, off: Server, keys: int, round_no: int) -> dict:
    stylists, services, today = salon["stylists"], salon["services"], salon["today"]
    c_on, c_off = on.connection(), off.connection()
    miss, hit, cold = [], [], []
    for k in range(keys):  # keys never asked before in this run (dates 15..28, per round)
        stylist = stylists[k % len(stylists)]
        service = services[(k // len(stylists) + round_no) % len(services)]
        day = today + timedelta(days=15 + (k * 7 + round_no * 3) % 14)
        path = slots_path(stylist, service, day)
        if k % 2:
            cold.append(get(c_off, path)[0])
            elapsed, was_hit, _ = get(c_on, path)
        else:
            elapsed, was_hit, _ = get(c_on, path)
            cold.append(get(c_off, path)[0])
        if not was_hit:
            miss.append(elapsed)
            hit.append(get(c_on, path)[0])
    ranges, singles = [], []
    for k in range(20):  # cold 14-day ranges vs cold single days (other stylists' far dates)
        stylist = stylists[(k + 20 * round_no) % len(stylists)]
        first = today + timedelta(days=15)
        ranges.append(get(c_on, days_path(stylist, services[4 - round_no % 5], first,
                                          first + timedelta(days=13)))[0])
        singles.append(get(c_on, slots_path(stylist, services[(3 - round_no) % 5],
                                            today + timedelta(days=29)))[0])
    return {"miss_ms": 1000 * statistics.median(miss), "cache_off_ms": 1000 * statistics.median(cold),
            "hit_ms": 1000 * statistics.median(hit),
            "miss_over_off": statistics.median(miss) / statistics.median(cold),
            "miss_over_hit": statistics.median(miss) / statistics.median(hit),
            "cold_range_ms": 1000 * statistics.median(ranges), "single_miss_ms": 1000 * statistics.median(singles),
            "cold_range_over_miss": statistics.median(ranges) / statistics.median(singles)}


# --- throughput with wrk --------------------------------------------------------------------

LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def wrk(port: int, paths_file: str, seconds: int, tmp: Path) -> float:
    import re

    script = tmp / f"rr_{Path(paths_file).stem}.lua"
    script.write_text(LUA % paths_file)
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"wrk saw {errors.group(1)} non-2xx answers:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def throughput_keys(salon: dict, tmp: Path) -> dict[str, str]:
    stylists, services, today = salon["stylists"], salon["services"], salon["today"]
    slots = [slots_path(s, v, today + timedelta(days=1 + d)) for s in stylists for v in services for d in range(5)]
    days = [days_path(s, v, today, today + timedelta(days=13)) for s in stylists for v in services]
    files = {}
    for name, paths in (("slots", slots[:1000]), ("days", days[:200]),
                        ("minimal", ["/bench/minimal?" + p.split("?", 1)[1] for p in slots[:1000]])):
        files[name] = str(tmp / f"{name}.txt")
        Path(files[name]).write_text("\n".join(paths) + "\n")
    return files


def minimal_server(url: str, storage: str, portal: Server, files: dict, tmp: Path) -> Server:
    """The minimal app (bench/minimal_server.py) in its own gunicorn, with the portal's
    answers to the same 1,000 queries pre-encoded (fetched here through the portal)."""
    conn = portal.connection()
    bodies = {}
    for path in Path(files["slots"]).read_text().split():
        bodies[path.split("?", 1)[1]] = get(conn, path)[2].decode()
    conn.close()
    bodies_file = tmp / "minimal_bodies.json"
    bodies_file.write_text(json.dumps(bodies))
    return Server(url, storage, app="bench.minimal_server:app", env={"BENCH_BODIES": str(bodies_file)})


def throughput(server: Server, minimal: Server, files: dict, seconds: int, runs: int, tmp: Path) -> dict:
    conn = server.connection()
    for name in ("slots", "days", "slots"):  # warm every key (twice for slots: memo of bodies)
        for path in Path(files[name]).read_text().split():
            get(conn, path)
    ports = {"slots": server.port, "days": server.port, "minimal": minimal.port}
    for name in ("slots", "minimal"):
        wrk(ports[name], files[name], 2, tmp)
    pairs, day_pairs = [], []
    for n in range(runs):
        order = ("minimal", "slots") if n % 2 == 0 else ("slots", "minimal")
        got = {name: wrk(ports[name], files[name], seconds, tmp) for name in order}
        pairs.append((got["slots"], got["minimal"]))
        order = ("days", "slots") if n % 2 == 0 else ("slots", "days")
        got = {name: wrk(ports[name], files[name], seconds, tmp) for name in order}
        day_pairs.append((got["days"], got["slots"]))
        print(f"  throughput run {n}: slots/minimal {pairs[-1]}, days/slots {day_pairs[-1]}", flush=True)
    return {"slots_rps": statistics.median(p[0] for p in pairs),
            "minimal_rps": statistics.median(p[1] for p in pairs),
            "slots_over_minimal": statistics.median(a / b for a, b in pairs),
            "days_rps": statistics.median(p[0] for p in day_pairs),
            "days_over_slots": statistics.median(a / b for a, b in day_pairs),
            "pairs": pairs, "day_pairs": day_pairs}


# --- warm-cache ---------------------------------------------------------------------------------

def warm_runs(url: str, salon: dict) -> dict:
    from portal.slots import warming

    app = build_app(url)
    timings = {}
    with app.app_context():
        for label in ("cold", "unchanged"):
            started = time.perf_counter()
            result = warming.warm(app.extensions["slots"], 30)
            timings[label] = (time.perf_counter() - started, result.entries)
            print(f"  warm {label}: {timings[label]}", flush=True)
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            start = datetime.combine(salon["today"] + timedelta(days=2), datetime.min.time(), tzinfo=KTM)
            start += timedelta(hours=15)
            pg = engine.dialect.name == "postgresql"
            a, b = start, start + timedelta(hours=1)
            if not pg:
                a, b = (x.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") for x in (a, b))
            conn.execute(text("INSERT INTO bookings (stylist_user_id, service_id, start_time, end_time, price_cents)"
                              " VALUES (:p, :s, :a, :b, 100)"),
                         {"p": salon["stylists"][0], "s": salon["services"][0], "a": a, "b": b})
        engine.dispose()
        started = time.perf_counter()
        result = warming.warm(app.extensions["slots"], 30)
        timings["after_one_booking"] = (time.perf_counter() - started, result.entries)
        db.engine.dispose()
    return {label: {"seconds": t, "entries": n} for label, (t, n) in timings.items()} | {
        "unchanged_over_cold": timings["unchanged"][0] / timings["cold"][0]}


# --- driver -----------------------------------------------------------------------------------

def scratch(postgres: str | None, tmp: Path):
    if not postgres:
        return f"sqlite:///{tmp / f'bench_{uuid.uuid4().hex[:6]}.sqlite3'}", lambda: None
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    name = f"workload_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL URL; scratch databases are created next to it")
    parser.add_argument("--phase", action="append", choices=["mixed", "latency", "throughput", "warm"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=60, help="per rate (mixed)")
    parser.add_argument("--wrk-seconds", type=int, default=8)
    parser.add_argument("--keys", type=int, default=200, help="cold keys per latency run")
    parser.add_argument("--rates", default="0,0.2,1,5")
    parser.add_argument("--limiter-storage", default="memory+inline://", help="the portal's default storage")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    phases = args.phase or ["mixed", "latency", "throughput", "warm"]
    results: dict = {"phases": phases, "load_at_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if {"mixed", "latency", "throughput"} & set(phases):
            url, drop = scratch(args.postgres, tmp)
            try:
                migrate(url)
                salon = seed(url, 40)
                files = throughput_keys(salon, tmp)
                on = Server(url, args.limiter_storage)
                off = Server(url, args.limiter_storage, cache=False)
                try:
                    rates = [float(r) for r in args.rates.split(",")]
                    for n in range(args.runs):
                        if "mixed" in phases:
                            order = rates if n % 2 == 0 else rates[::-1]
                            results.setdefault("mixed", []).append(mixed(url, salon, on, order, args.seconds))
                        if "latency" in phases:
                            results.setdefault("latency", []).append(latency(salon, on, off, args.keys, n))
                            print("  latency", results["latency"][-1], flush=True)
                    if "throughput" in phases:
                        minimal = minimal_server(url, args.limiter_storage, on, files, tmp)
                        try:
                            results["throughput"] = throughput(on, minimal, files, args.wrk_seconds, args.runs, tmp)
                        finally:
                            minimal.stop()
                        print("  throughput", results["throughput"], flush=True)
                finally:
                    on.stop()
                    off.stop()
            finally:
                drop()
        if "warm" in phases:
            url, drop = scratch(args.postgres, tmp)
            try:
                migrate(url)
                results["warm"] = warm_runs(url, seed(url, 500))
                print("  warm", results["warm"], flush=True)
            finally:
                drop()
    results["load_at_end"] = os.getloadavg()
    print(json.dumps(results, indent=2, default=str))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
