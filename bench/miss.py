"""The miss against the same request with the cache off (issue 23), on PostgreSQL under
the project's own gunicorn.conf.py, each request a separate customer (a new HTTP
connection, `Connection: close`).

1. a scratch database next to `--postgres` is migrated and seeded with bench/cache.py's
   salon (`--stylists` stylists × 5 services, bookings, a hold, two business-wide
   overrides; ANALYZE);
2. two servers run `gunicorn -c gunicorn.conf.py wsgi:app` on the same database: one
   with the cache on (siblings refreshed: the default), one with it off;
3. `--keys` keys nobody asked before — each (stylist, date) used once, so no key is a
   sibling another miss already stored — are asked one by one: the same key of the
   cache-off server and of the cache-on server (a miss), in alternating order;
4. medians of the two latencies and their ratio (goal: miss ≤ 1.15 × off), per round;
   the figure is the median over `--rounds` rounds (each with keys of its own).

With `--base PATH` (another checkout, e.g. main in a `git worktree`), its two servers
run beside these on the same database, and each round asks this checkout and the base
alternately, key by key, each its own never-asked keys (a miss of one would otherwise
be the other's hit): the same run, the same moment, for both.

    .venv/bin/python bench/miss.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/miss.py --postgres … --base /work/wt/slots-base --stylists 150
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.cache import NO_LIMIT, URL, free_port, median, migrate, seed  # noqa: E402


def start(url: str, cache: bool, root: Path = ROOT) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "FLASK_SECRET_KEY": "bench", "FLASK_SLOTS_RATE_LIMIT": NO_LIMIT,
           "FLASK_RATELIMIT_STORAGE_URI": "memory://", "FLASK_AVAILABILITY_CACHE_ENABLED": json.dumps(cache),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "PYTHONPATH": str(root),
           # BENCH_SIBLINGS=off: measure the miss without planning the date's other services
           "FLASK_AVAILABILITY_CACHE_REFRESH_SIBLINGS": json.dumps(os.environ.get("BENCH_SIBLINGS", "on") != "off")}
    server = subprocess.Popen([str(root / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=root,
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def get(port: int, path: str) -> tuple[float, bytes, str]:
    """One request on a connection of its own: (seconds, body, X-Cache-Hit)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", path, headers={"Connection": "close"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    assert response.status == 200, body
    return elapsed, body, response.getheader("X-Cache-Hit")


def keys(salon: dict, count: int, offset: int) -> list[str]:
    """`count` paths of distinct (stylist, date) pairs, starting at pair `offset`."""
    stylists, paths = salon["stylists"], []
    for n in range(offset, offset + count):
        stylist = stylists[n % len(stylists)]
        day = salon["today"] + timedelta(days=8 + (n // len(stylists)) % 20)
        paths.append(f"{URL}?stylistId={stylist}&serviceId={salon['services'][n % 5]}&targetDate={day.isoformat()}")
    return paths


def run(url: str, args) -> dict:
    migrate(url)
    salon = seed(url, args.stylists)
    sides = {"this": ROOT, **({"base": Path(args.base).resolve()} if args.base else {})}
    servers = {(side, cache): start(url, cache, root) for side, root in sides.items() for cache in (True, False)}
    pairs = len(salon["stylists"]) * 20
    try:
        for server, port in servers.values():  # every worker imported and connected
            for path in keys(salon, 40, pairs - 40):  # pairs the rounds never reach
                get(port, path)
        rounds = {side: [] for side in sides}
        for r in range(args.rounds):
            times = {side: ([], []) for side in sides}
            paths = keys(salon, args.keys * len(sides), r * args.keys * len(sides))
            assert r * args.keys * len(sides) + len(paths) <= pairs - 40, "too few (stylist, date) pairs: --stylists"
            for n, path in enumerate(paths):
                side = list(sides)[n % len(sides)]
                on_port, off_port = servers[side, True][1], servers[side, False][1]
                first, second = ((off_port, on_port) if (n // len(sides)) % 2 else (on_port, off_port))
                timed = {port: get(port, path) for port in (first, second)}
                assert timed[on_port][2] == "false" and timed[on_port][1] == timed[off_port][1]
                times[side][0].append(timed[on_port][0])
                times[side][1].append(timed[off_port][0])
            for side, (misses, offs) in times.items():
                rounds[side].append({"miss_ms": 1000 * median(misses), "off_ms": 1000 * median(offs),
                                     "ratio": median(misses) / median(offs)})
                print(f"  round {r + 1} {side}: {rounds[side][-1]}", flush=True)
        return {side: {"rounds": got, "miss_ms": median([x["miss_ms"] for x in got]),
                       "off_ms": median([x["off_ms"] for x in got]), "ratio": median([x["ratio"] for x in got])}
                for side, got in rounds.items()} | {"load": os.getloadavg()}
    finally:
        for server, _ in servers.values():
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", required=True, help="a PostgreSQL URL; a scratch database is created next to it")
    parser.add_argument("--stylists", type=int, default=100)
    parser.add_argument("--keys", type=int, default=280)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", help="another checkout to measure alongside, alternately (its .venv, its wsgi.py)")
    args = parser.parse_args()
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"miss_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.postgres).set(drivername="postgresql+psycopg", database=name)
    try:
        print(json.dumps(run(url.render_as_string(hide_password=False), args), indent=2))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
