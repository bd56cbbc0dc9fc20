"""CPU per cached request, in process (for comparing two checkouts on a busy machine:
CPU time of this process is what the portal's code changes, and other processes'
load barely moves it). Serves a seeded PostgreSQL database (`--url`, already migrated
and seeded by bench/versus.py's `--keep` or any salon of bench/cache.py's `seed`) through
the Flask test client: warms `--keys` slots keys and 14-day ranges, then times
`--rounds` passes over them; prints JSON: CPU and wall microseconds per request
(median pass), for the slots endpoint and the days endpoint, and the Python and C
function calls per request (one more pass under `sys.setprofile`: deterministic, the
machine's load does not move it).

    .venv/bin/python bench/hit_cpu.py --url postgresql+psycopg://…/db --salon salon.json
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402

SLOTS, DAYS = "/api/bookings/available-slots", "/api/bookings/available-days"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--salon", required=True, help="JSON: stylists, services, today")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    salon = json.loads(Path(args.salon).read_text())
    today = date.fromisoformat(salon["today"])
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": args.url,
                      "RATELIMIT_STORAGE_URI": "memory+inline://", "SLOTS_RATE_LIMIT": "1000000 per 10 seconds"})
    client = app.test_client()
    pairs = [(s, v) for s in salon["stylists"] for v in salon["services"]][:args.keys]
    slots = [f"{SLOTS}?stylistId={s}&serviceId={v}&targetDate={(today + timedelta(days=1 + n % 5)).isoformat()}"
             for n, (s, v) in enumerate(pairs)]
    days = [f"{DAYS}?stylistId={s}&serviceId={v}&from={today.isoformat()}&to={(today + timedelta(days=13)).isoformat()}"
            for s, v in pairs]
    result = {}
    for name, paths in (("slots", slots), ("days", days)):
        for _ in range(2):  # computed, then remembered
            for path in paths:
                assert client.get(path).status_code == 200
        assert client.get(paths[0]).headers["X-Cache-Hit"] == "true"
        cpu, wall = [], []
        for _ in range(args.rounds):
            c0, w0 = time.process_time(), time.perf_counter()
            for path in paths:
                client.get(path)
            cpu.append((time.process_time() - c0) / len(paths) * 1e6)
            wall.append((time.perf_counter() - w0) / len(paths) * 1e6)
        calls = Counter()

        def count(frame, event, arg):
            calls[event] += 1
        sys.setprofile(count)
        for path in paths:
            client.get(path)
        sys.setprofile(None)
        result[name] = {"cpu_us": statistics.median(cpu), "wall_us": statistics.median(wall),
                        "calls": calls["call"] / len(paths), "c_calls": calls["c_call"] / len(paths)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
